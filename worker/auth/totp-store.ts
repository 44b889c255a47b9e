import { and, eq, isNotNull } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Database } from '../db/client.ts';
import { userTotp } from '../db/schema/index.ts';
import { randomBytes, sha256Hex } from '../security/encoding.ts';
import { SecretBox } from '../security/secrets.ts';
import { createSession } from './sessions.ts';
import { clientInfo } from './sign-in.ts';
import { base32Decode, base32Encode, verifyTotp } from './totp.ts';

/** 20 bytes = 160 bits, the HMAC-SHA-1 key length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;

/** Binds the sealed secret to its user: a ciphertext copied to another user's row does not decrypt. */
const totpContext = (userId: string) => `user:${userId}:totp`;

export async function totpEnabled(db: Database, userId: string): Promise<boolean> {
  const row = await db.query.userTotp.findFirst({
    where: and(eq(userTotp.userId, userId), isNotNull(userTotp.enabledAt)),
    columns: { userId: true },
  });
  return Boolean(row);
}

/** A sign-in that passed the password and now needs a code: a short-lived pending session, not a cookie. */
export async function startSecondFactor(c: Context, db: Database, userId: string) {
  const challenge = await createSession(db, userId, clientInfo(c), { pendingSecondFactor: true });
  return { twoFactorRequired: true as const, challenge: challenge.token };
}

/** A fresh (not yet enabled) secret, replacing any earlier unconfirmed one. Refuses while TOTP is enabled. */
export async function createPendingSecret(db: Database, encryptionKey: string, userId: string): Promise<string> {
  const secret = base32Encode(randomBytes(SECRET_BYTES));
  const sealed = await (await SecretBox.fromBase64Url(encryptionKey)).seal(secret, totpContext(userId));
  await db
    .insert(userTotp)
    .values({ userId, secret: sealed, recoveryCodeHashes: [], createdAt: Date.now() })
    .onConflictDoUpdate({ target: userTotp.userId, set: { secret: sealed, recoveryCodeHashes: [], enabledAt: null } });
  return secret;
}

const hashRecoveryCode = (code: string) => sha256Hex(`parley-recovery:${code.replace(/[\s-]/g, '').toLowerCase()}`);

/** `xxxxx-xxxxx` from 50 random bits each: typed by hand rarely, guessed never (and sign-in is throttled). */
function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(7)).toLowerCase().slice(0, 10);
  return `${text.slice(0, 5)}-${text.slice(5)}`;
}

type TotpRow = typeof userTotp.$inferSelect;

async function loadRow(db: Database, userId: string): Promise<TotpRow | undefined> {
  return db.query.userTotp.findFirst({ where: eq(userTotp.userId, userId) });
}

/** Checks a TOTP code for `userId` and burns its time step; false when wrong, replayed or no secret exists. */
export async function useTotpCode(db: Database, encryptionKey: string, userId: string, code: string): Promise<boolean> {
  const row = await loadRow(db, userId);
  if (!row) return false;
  const secret = await (await SecretBox.fromBase64Url(encryptionKey)).open(row.secret, totpContext(userId));
  const step = await verifyTotp(base32Decode(secret), code, Date.now(), row.lastUsedStep);
  if (step === null) return false;
  await db.update(userTotp).set({ lastUsedStep: step }).where(eq(userTotp.userId, userId)).run();
  return true;
}

/** Uses up one recovery code; true when it was one of the user's unused codes. */
export async function useRecoveryCode(db: Database, userId: string, code: string): Promise<boolean> {
  const row = await loadRow(db, userId);
  if (!row?.enabledAt) return false;
  const hash = await hashRecoveryCode(code);
  if (!row.recoveryCodeHashes.includes(hash)) return false;
  const remaining = row.recoveryCodeHashes.filter((candidate) => candidate !== hash);
  await db.update(userTotp).set({ recoveryCodeHashes: remaining }).where(eq(userTotp.userId, userId)).run();
  return true;
}

/** Turns TOTP on after a correct first code; returns the recovery codes (shown once, stored hashed). */
export async function enableTotp(db: Database, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map(hashRecoveryCode));
  await db
    .update(userTotp)
    .set({ enabledAt: Date.now(), recoveryCodeHashes: hashes })
    .where(eq(userTotp.userId, userId))
    .run();
  return codes;
}

export async function disableTotp(db: Database, userId: string): Promise<void> {
  await db.delete(userTotp).where(eq(userTotp.userId, userId)).run();
}
