import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { EmailSchema, NewPasswordSchema, SignedInSchema } from '../auth/routes.ts';
import { checkPassword, signIn } from '../auth/sign-in.ts';
import { startSecondFactor, totpEnabled } from '../auth/totp-store.ts';
import { database } from '../db/client.ts';
import { type invitations, roles, users } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, ErrorSchema, errorResponses, idParam, iso } from '../http/schemas.ts';
import { newId } from '../ids.ts';
import {
  acceptInvitation,
  createInvitation,
  findPendingInvitation,
  invitationStatus,
  invitationStatuses,
  listInvitations,
  revokeInvitation,
} from './invitations.ts';

const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(roles),
    status: z.enum(invitationStatuses),
    invitedBy: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('Invitation');

export type Invitation = z.infer<typeof InvitationSchema>;

const present = (row: typeof invitations.$inferSelect) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row),
  invitedBy: row.invitedBy,
  createdAt: iso(row.createdAt) ?? '',
  expiresAt: iso(row.expiresAt) ?? '',
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The dashboard's page that reads `#invite=<token>` and posts it to /api/v1/invitations/accept. */
export const acceptUrl = (origin: string, token: string) => `${origin}/dashboard/#invite=${token}`;

export const invitationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/invitations',
      tags: ['Members'],
      summary: 'Invite someone by email; the one-time link (valid 7 days) is in this response only',
      middleware: [requireApiKey('admin', 'members.manage')] as const,
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ email: EmailSchema, role: z.enum(roles) }) } },
        },
      },
      responses: {
        201: json(
          InvitationSchema.extend({ token: z.string(), acceptUrl: z.string() }),
          'The invitation; send `acceptUrl` to the person (Parley sends no email)',
        ),
        ...errorResponses,
        409: json(ErrorSchema, 'Already a member'),
      },
    }),
    async (c) => {
      const { email, role } = c.req.valid('json');
      const { teamId, actor } = c.var.auth;
      const { row, token } = await createInvitation(database(c.env.DB), actor, teamId, email, role);
      return c.json({ ...present(row), token, acceptUrl: acceptUrl(new URL(c.req.url).origin, token) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/invitations',
      tags: ['Members'],
      summary: 'The team’s invitations, newest first, with their status, a page at a time',
      description: 'Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.',
      middleware: [requireApiKey('admin', 'members.manage')] as const,
      request: {
        query: cursorQuery.extend({
          status: z.enum(invitationStatuses).optional().openapi({ description: 'Only invitations in this status' }),
        }),
      },
      responses: {
        200: json(
          z.object({ data: z.array(InvitationSchema), nextCursor: z.string().nullable() }),
          'A page of invitations, newest first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await listInvitations(database(c.env.DB), c.var.auth.teamId, c.req.valid('query'));
      return c.json({ data: result.data.map(present), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/invitations/{id}',
      tags: ['Members'],
      summary: 'Revoke an invitation: its link stops working',
      middleware: [requireApiKey('admin', 'members.manage')] as const,
      request: { params: z.object({ id: idParam('id', 'inv_01hzx3k9q0abcdefghjkmnpqrs') }) },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      await revokeInvitation(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      security: [],
      method: 'post',
      path: '/api/v1/invitations/accept',
      tags: ['Members'],
      summary:
        'Accept an invitation and sign in: a new person sends name and password; someone with an account, their password',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                token: z.string().min(20).max(100),
                name: z.string().trim().min(1).max(100).optional(),
                password: z.string().min(1).max(256).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.union([SignedInSchema, z.object({ twoFactorRequired: z.literal(true), challenge: z.string() })]),
          'Joined the team and signed in (or a TOTP code is needed to finish signing in)',
        ),
        ...errorResponses,
        429: json(ErrorSchema, 'Too many failed password attempts'),
      },
    }),
    async (c) => {
      const { token, name, password } = c.req.valid('json');
      const db = database(c.env.DB);
      const invitation = await findPendingInvitation(db, token);
      const existing = await db.query.users.findFirst({
        where: eq(users.email, invitation.email),
        columns: { id: true },
      });
      if (existing) {
        // The link proves control of the mailbox, not of the account: an existing account also needs its password.
        if (!password) throw missing('body.password', 'Your password is required to join with your existing account');
        const user = await checkPassword(c, db, invitation.email, password);
        await acceptInvitation(db, invitation, { id: user.id });
        if (await totpEnabled(db, user.id)) return c.json(await startSecondFactor(c, db, user.id), 200);
        return c.json(await signIn(c, db, user), 200);
      }
      const checked = NewPasswordSchema.safeParse(password);
      if (!name) throw missing('body.name', 'Your name is required to create your account');
      if (!checked.success) {
        const problem = password === undefined ? 'A password is required to create your account' : undefined;
        throw missing('body.password', problem ?? checked.error.issues[0]?.message ?? 'Choose a stronger password');
      }
      const userId = newId('user');
      await acceptInvitation(db, invitation, { id: userId, newAccount: { name, password: checked.data } });
      return c.json(await signIn(c, db, { id: userId, email: invitation.email, name }), 200);
    },
  );

function missing(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request', `Invalid ${field}`, [{ field, message }]);
}
