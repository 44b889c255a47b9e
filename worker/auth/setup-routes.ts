import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { ErrorSchema, errorResponses } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { constantTimeEqual } from '../security/constant-time.ts';
import { hashPassword } from '../security/passwords.ts';
import { EmailSchema, NewPasswordSchema, SignedInSchema } from './routes.ts';
import { signIn } from './sign-in.ts';
import { createAccount } from './sign-up.ts';

/**
 * The first owner of a deployed instance (which has no seed): whoever holds the `SETUP_TOKEN` secret creates the
 * first account and its team, once. After that the route answers 409; invitations add everyone else.
 */
export const setupRoutes = createRouter().openapi(
  createRoute({
    security: [],
    tags: ['Accounts'],
    method: 'post',
    path: '/api/v1/auth/setup',
    summary: 'Create the first owner of a fresh instance with the SETUP_TOKEN secret (only while no account exists)',
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({
              token: z.string().min(1).max(200),
              email: EmailSchema,
              password: NewPasswordSchema,
              name: humanText().trim().min(1).max(100),
              teamName: humanText().trim().min(1).max(100).optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: 'The owner, signed in', content: { 'application/json': { schema: SignedInSchema } } },
      ...errorResponses,
      409: {
        description: 'The instance already has accounts',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  }),
  async (c) => {
    const { token, ...account } = c.req.valid('json');
    const expected = c.env.SETUP_TOKEN;
    if (!expected) throw new ApiError(403, 'setup_disabled', 'Set the SETUP_TOKEN secret to enable first-owner setup');
    if (!constantTimeEqual(token, expected)) throw new ApiError(401, 'unauthorized', 'Wrong setup token');
    const db = database(c.env.DB);
    const anyone = await db.select({ id: users.id }).from(users).limit(1);
    if (anyone.length > 0) throw new ApiError(409, 'already_set_up', 'This instance already has accounts; sign in');
    const { password, ...rest } = account;
    const user = await createAccount(db, { ...rest, passwordHash: await hashPassword(password) });
    return c.json(await signIn(c, db, user), 201);
  },
);
