import { SESSION_COOKIE } from './session-policy.ts';

/**
 * `Secure` everywhere except plain-HTTP localhost: `npm start` serves http://localhost:8787, and Safari (unlike
 * Chrome and Firefox, which treat localhost as a secure context) drops Secure cookies set over http. Any other
 * host is reached over HTTPS, where the cookie must never travel in clear.
 */
function secureFor(requestUrl: string): boolean {
  const url = new URL(requestUrl);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return !(url.protocol === 'http:' && local);
}

/** HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Path=/ (the API and dashboard). */
export function sessionCookie(requestUrl: string, token: string, maxAgeSeconds: number): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, 'HttpOnly', 'SameSite=Lax', 'Path=/', `Max-Age=${maxAgeSeconds}`];
  if (secureFor(requestUrl)) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookie(requestUrl: string): string {
  return sessionCookie(requestUrl, '', 0);
}

/** The session token from a Cookie header, if any (the last wins if a client sends it twice). */
export function sessionTokenFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  let token: string | null = null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) token = value.join('=');
  }
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}
