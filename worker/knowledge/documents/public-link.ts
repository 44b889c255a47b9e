import type { Env } from '../../env.ts';
import { constantTimeEqual } from '../../security/constant-time.ts';
import { labelledHmac } from '../../security/labelled-hmac.ts';

/** The HKDF label of the public-file link key (worker/security/labelled-hmac.ts). */
const LABEL = 'parley-public-file';

export const PUBLIC_FILES_PATH = '/api/v1/knowledge/public-files/';

/** The capability of a public file's link: base64url HMAC-SHA256 of `teamId:documentId`. */
export function publicFileToken(env: Pick<Env, 'ENCRYPTION_KEY'>, teamId: string, documentId: string) {
  return labelledHmac(env.ENCRYPTION_KEY, LABEL, `${teamId}:${documentId}`);
}

/** Whether `token` is the link capability of this team's document, compared in constant time. */
export async function isPublicFileToken(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  teamId: string,
  documentId: string,
  token: string,
): Promise<boolean> {
  return constantTimeEqual(await publicFileToken(env, teamId, documentId), token);
}

/**
 * The download link of a file the admin marked public, as citations carry it: absolute on `PUBLIC_URL` when set,
 * else relative to the deployment (`/api/v1/...`; the widget resolves it against its API base, channels skip it).
 * The link is a capability (an HMAC of team and document under a key derived from ENCRYPTION_KEY), so it needs no
 * sign-in and cannot be guessed for a private file; it stops working when the file is made private again
 * (worker/knowledge/public-files/routes.ts checks the flag on every download).
 */
export async function publicFileUrl(
  env: Pick<Env, 'PUBLIC_URL' | 'ENCRYPTION_KEY'>,
  teamId: string,
  documentId: string,
): Promise<string> {
  const token = await publicFileToken(env, teamId, documentId);
  const path = `${PUBLIC_FILES_PATH}${encodeURIComponent(documentId)}?t=${token}`;
  // A trailing slash in PUBLIC_URL would give `//api`, which is a different path.
  return env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/+$/, '')}${path}` : path;
}
