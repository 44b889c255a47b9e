import { createRoute, z } from '@hono/zod-openapi';
import { database } from '../db/client.ts';
import { roles } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { ErrorSchema, errorResponses } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../security/password-policy.ts';
import { clearedSessionCookie } from './cookies.ts';
import { requireSession } from './middleware.ts';
import { membershipsOf } from './session-auth.ts';
import { TEAM_HEADER } from './session-policy.ts';
import { deleteSession, deleteSessionsOfUser } from './sessions.ts';
import { checkPassword, normalizeEmail, signIn } from './sign-in.ts';
import { createAccount } from './sign-up.ts';
import { openSignUpLink, requestSignUp } from './sign-up-request.ts';
import { startSecondFactor, totpEnabled } from './totp-store.ts';

export const EmailSchema = z.string().trim().toLowerCase().email().max(254).openapi({ example: 'ada@example.com' });
/** Every password someone sets (setup, sign-up, invitation accept) passes worker/security/password-policy.ts. */
export const NewPasswordSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({
    example: 'correct horse battery',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    description: 'Not a common password, a repetition or a simple sequence',
  });

const UserSchema = z.object({ id: z.string(), email: z.string(), name: z.string() }).openapi('User');
export const SignedInSchema = z
  .object({
    twoFactorRequired: z.literal(false),
    user: UserSchema,
    csrfToken: z.string().openapi({ description: 'Send as X-CSRF-Token on every cookie-authenticated write' }),
    expiresAt: z.string(),
  })
  .openapi('SignedIn');
const ChallengeSchema = z
  .object({
    twoFactorRequired: z.literal(true),
    challenge: z.string().openapi({ description: 'Pass to POST /api/v1/auth/sign-in/totp within 5 minutes' }),
  })
  .openapi('SecondFactorChallenge');
const MembershipSchema = z.object({
  teamId: z.string(),
  teamName: z.string(),
  teamSlug: z.string(),
  role: z.enum(roles),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const tooMany = json(ErrorSchema, 'Too many failed sign-ins; retry after `Retry-After` seconds');
/** Account routes authenticate a person (or nobody), never an API key: an explicitly empty OpenAPI `security`. */
const noApiKey = { security: [], tags: ['Accounts'] };

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-in',
      summary: 'Sign in with email and password: sets the `parley_session` cookie (or asks for a TOTP code)',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ email: EmailSchema, password: z.string().min(1).max(256) }),
            },
          },
        },
      },
      responses: {
        200: json(z.union([SignedInSchema, ChallengeSchema]), 'Signed in, or a second factor is required'),
        ...errorResponses,
        401: json(ErrorSchema, 'Wrong email or password'),
        429: tooMany,
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const db = database(c.env.DB);
      const user = await checkPassword(c, db, normalizeEmail(email), password);
      if (await totpEnabled(db, user.id)) return c.json(await startSecondFactor(c, db, user.id), 200);
      return c.json(await signIn(c, db, user), 200);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-up',
      summary: 'Ask for an account and its own team (only with OPEN_SIGNUP=true): the next step arrives by mail',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
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
        202: json(
          z.object({ status: z.literal('check_email'), message: z.string() }).openapi('SignUpRequested'),
          'The same answer for every email: a sign-up link (new email) or a sign-in notice (taken) is on its way',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      if (c.env.OPEN_SIGNUP !== 'true') throw new ApiError(403, 'signup_closed', 'Sign-up is closed on this instance');
      const body = c.req.valid('json');
      return c.json(await requestSignUp(c.env, database(c.env.DB), new URL(c.req.url).origin, body), 202);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-up/verify',
      summary: 'Follow a sign-up link: creates the account and its own team, and signs in',
      request: {
        body: { content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(4000) }) } } },
      },
      responses: {
        201: json(SignedInSchema, 'Account created and signed in'),
        ...errorResponses,
        409: json(ErrorSchema, 'The link was used already: the account exists'),
      },
    }),
    async (c) => {
      if (c.env.OPEN_SIGNUP !== 'true') throw new ApiError(403, 'signup_closed', 'Sign-up is closed on this instance');
      const pending = await openSignUpLink(c.env, c.req.valid('json').token);
      const db = database(c.env.DB);
      const user = await createAccount(db, pending);
      return c.json(await signIn(c, db, user), 201);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-out',
      summary: 'Sign out this session (needs X-CSRF-Token)',
      middleware: [requireSession()] as const,
      responses: { 204: { description: 'Signed out; the cookie is cleared' }, ...errorResponses },
    }),
    async (c) => {
      const session = c.var.session;
      if (session) await deleteSession(database(c.env.DB), session.id);
      c.header('Set-Cookie', clearedSessionCookie(c.req.url));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-out-all',
      summary: 'Sign out every session of this account, on every device (needs X-CSRF-Token)',
      middleware: [requireSession()] as const,
      responses: { 204: { description: 'Every session revoked; the cookie is cleared' }, ...errorResponses },
    }),
    async (c) => {
      const session = c.var.session;
      if (session) await deleteSessionsOfUser(database(c.env.DB), session.userId);
      c.header('Set-Cookie', clearedSessionCookie(c.req.url));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'get',
      path: '/api/v1/auth/me',
      summary: 'The signed-in person, their teams and roles, the current team and the CSRF token',
      middleware: [requireSession()] as const,
      responses: {
        200: json(
          z
            .object({
              user: UserSchema,
              memberships: z.array(MembershipSchema),
              currentTeam: MembershipSchema.nullable().openapi({
                description: 'The team X-Parley-Team names, else the first; null when it names none of theirs',
              }),
              csrfToken: z.string(),
              expiresAt: z.string(),
              twoFactorEnabled: z.boolean(),
            })
            .openapi('Me'),
          'The signed-in person',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const session = c.var.session;
      if (!session) throw new ApiError(401, 'unauthorized', 'Not signed in');
      const memberships = await membershipsOf(c, session.userId);
      const requested = c.req.header(TEAM_HEADER);
      const currentTeam = requested ? memberships.find((m) => m.teamId === requested) : memberships[0];
      return c.json(
        {
          user: { id: session.userId, email: session.email, name: session.name },
          memberships,
          currentTeam: currentTeam ?? null,
          csrfToken: session.csrfToken,
          expiresAt: new Date(session.expiresAt).toISOString(),
          twoFactorEnabled: await totpEnabled(database(c.env.DB), session.userId),
        },
        200,
      );
    },
  );
