import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { ErrorSchema, errorResponses } from '../http/schemas.ts';
import { requireSession } from './middleware.ts';
import { SignedInSchema } from './routes.ts';
import { deleteSession, findChallenge } from './sessions.ts';
import { checkPassword, clientInfo, signIn } from './sign-in.ts';
import { clearPairFailures, lockedForSeconds, recordFailure, secondFactorBuckets } from './throttle.ts';
import { otpauthUri } from './totp.ts';
import { otpauthQrSvg } from './totp-qr.ts';
import {
  createPendingSecret,
  disableTotp,
  enableTotp,
  totpEnabled,
  useRecoveryCode,
  useTotpCode,
} from './totp-store.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } } } });
const Code = z
  .string()
  .regex(/^\d{6}$/, 'six digits')
  .openapi({ example: '123456' });
const noApiKey = { security: [], tags: ['Accounts'] };
const invalidCode = () => new ApiError(400, 'invalid_code', 'Wrong or already used code');

function signedInSession(c: { var: { session?: { userId: string; email: string } } }) {
  const session = c.var.session;
  if (!session) throw new ApiError(401, 'unauthorized', 'Not signed in');
  return session;
}

/** TOTP second factor (RFC 6238): set up, enable with a first code, disable; and finishing a sign-in with a code. */
export const totpRoutes = createRouter()
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/totp/setup',
      summary: 'Start TOTP setup: a new secret, its otpauth:// URI and that URI as a QR code (SVG), shown this once',
      middleware: [requireSession()] as const,
      responses: {
        200: json(
          z.object({
            secret: z.string(),
            otpauthUri: z.string(),
            qrSvg: z.string().openapi({ description: 'The otpauth URI as an SVG QR code, with a <title>' }),
          }),
          'The secret, not active until enabled',
        ),
        ...errorResponses,
        409: json(ErrorSchema, 'TOTP is already enabled'),
      },
    }),
    async (c) => {
      const session = signedInSession(c);
      const db = database(c.env.DB);
      if (await totpEnabled(db, session.userId)) {
        throw new ApiError(409, 'totp_enabled', 'TOTP is already enabled; disable it first to replace it');
      }
      const secret = await createPendingSecret(db, c.env.ENCRYPTION_KEY, session.userId);
      const uri = otpauthUri(secret, session.email);
      return c.json({ secret, otpauthUri: uri, qrSvg: otpauthQrSvg(uri) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/totp/enable',
      summary: 'Enable TOTP with a first code from the app; returns 10 single-use recovery codes, shown this once',
      middleware: [requireSession()] as const,
      request: body(z.object({ code: Code })),
      responses: {
        200: json(z.object({ recoveryCodes: z.array(z.string()) }), 'TOTP is on'),
        ...errorResponses,
        409: json(ErrorSchema, 'TOTP is already enabled'),
      },
    }),
    async (c) => {
      const session = signedInSession(c);
      const db = database(c.env.DB);
      if (await totpEnabled(db, session.userId)) throw new ApiError(409, 'totp_enabled', 'TOTP is already enabled');
      if (!(await useTotpCode(db, c.env.ENCRYPTION_KEY, session.userId, c.req.valid('json').code))) throw invalidCode();
      return c.json({ recoveryCodes: await enableTotp(db, session.userId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/totp/disable',
      summary: 'Turn TOTP off, proven with a current code or the account password',
      middleware: [requireSession()] as const,
      request: body(
        z
          .object({ code: Code.optional(), password: z.string().min(1).max(256).optional() })
          .refine((value) => value.code !== undefined || value.password !== undefined, 'code or password is required')
          .openapi({ example: { code: '123456' } }),
      ),
      responses: { 204: { description: 'TOTP is off' }, ...errorResponses },
    }),
    async (c) => {
      const session = signedInSession(c);
      const { code, password } = c.req.valid('json');
      const db = database(c.env.DB);
      if (code !== undefined) {
        if (!(await useTotpCode(db, c.env.ENCRYPTION_KEY, session.userId, code))) throw invalidCode();
      } else {
        const user = await db.query.users.findFirst({ where: eq(users.id, session.userId), columns: { email: true } });
        await checkPassword(c, db, user?.email ?? '', password ?? '');
      }
      await disableTotp(db, session.userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...noApiKey,
      method: 'post',
      path: '/api/v1/auth/sign-in/totp',
      summary: 'Finish a sign-in that answered `twoFactorRequired`: the challenge and a TOTP or recovery code',
      request: body(
        z
          .object({
            challenge: z.string().min(20).max(100),
            code: Code.optional(),
            recoveryCode: z.string().min(1).max(40).optional(),
          })
          .refine((value) => (value.code === undefined) !== (value.recoveryCode === undefined), {
            message: 'exactly one of code and recoveryCode',
          })
          .openapi({ example: { challenge: 'challenge-from-sign-in-response', code: '123456' } }),
      ),
      responses: {
        200: json(SignedInSchema, 'Signed in'),
        ...errorResponses,
        429: json(ErrorSchema, 'Too many wrong codes'),
      },
    }),
    async (c) => {
      const { challenge, code, recoveryCode } = c.req.valid('json');
      const db = database(c.env.DB);
      const pending = await findChallenge(db, challenge);
      if (!pending) throw new ApiError(401, 'unauthorized', 'Sign-in expired; enter your password again');
      // Six digits are guessable without a limit: wrong codes count like wrong passwords.
      const buckets = secondFactorBuckets(pending.userId, clientInfo(c).ip);
      const wait = await lockedForSeconds(db, buckets);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new ApiError(429, 'rate_limited', 'Too many wrong codes; try again later', { retryAfter: wait });
      }
      const ok =
        code !== undefined
          ? await useTotpCode(db, c.env.ENCRYPTION_KEY, pending.userId, code)
          : await useRecoveryCode(db, pending.userId, recoveryCode ?? '');
      if (!ok) {
        await recordFailure(db, buckets);
        throw invalidCode();
      }
      await clearPairFailures(db, buckets);
      await deleteSession(db, pending.id);
      const user = await db.query.users.findFirst({
        where: eq(users.id, pending.userId),
        columns: { id: true, email: true, name: true },
      });
      if (!user) throw new ApiError(401, 'unauthorized', 'Sign-in expired; enter your password again');
      return c.json(await signIn(c, db, user), 200);
    },
  );
