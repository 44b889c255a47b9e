/**
 * Session lifetimes. OWASP ASVS 4.0.3 V3.3.2 asks for re-authentication both after a maximum session age and after
 * an idle period, enforced on the server (OWASP Session Management Cheat Sheet, "Session Expiration"). A dashboard
 * session holds admin power over a team, so it gets ASVS level 2's limits: 12 hours absolute, 30 minutes idle.
 */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** Sliding the idle window costs a D1 write; once a minute is precise enough for a 30-minute limit. */
export const SESSION_TOUCH_RESOLUTION_MS = 60 * 1000;
/** A sign-in waiting for its TOTP code: long enough to open an authenticator app, short enough to be useless later. */
export const SECOND_FACTOR_CHALLENGE_MS = 5 * 60 * 1000;

export const SESSION_COOKIE = 'parley_session';
export const TEAM_HEADER = 'x-parley-team';
export const CSRF_HEADER = 'x-csrf-token';
