import type { Env } from '../../env.ts';

/**
 * The download link of a file the admin marked public, as citations carry it: absolute on `PUBLIC_URL` when set,
 * else relative to the deployment (`/api/v1/...`; the widget resolves it against its API base, channels skip it).
 * The link is a capability (an HMAC of team and document under a key derived from ENCRYPTION_KEY), so it needs no
 * sign-in and cannot be guessed for a private file.
 *
 * Placeholder of the seam commit: the citations helper implements it and the route that serves the file.
 */
export async function publicFileUrl(
  env: Pick<Env, 'PUBLIC_URL' | 'ENCRYPTION_KEY'>,
  teamId: string,
  documentId: string,
): Promise<string> {
  void env;
  void teamId;
  return `/api/v1/knowledge/public-files/${encodeURIComponent(documentId)}`;
}
