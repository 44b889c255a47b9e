/**
 * Who is signed in, and to which team the dashboard is talking. The session itself is an HttpOnly cookie; what the
 * page keeps is the user, their memberships, the CSRF token and the current team (remembered per browser).
 */
import { computed, signal } from '@preact/signals';
import { get, post, sessionLost, useCredentials } from './http';

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';

export interface Membership {
  teamId: string;
  teamName: string;
  teamSlug?: string;
  role: Role;
}

export interface Me {
  user: { id: string; email: string; name: string };
  memberships: Membership[];
  csrfToken: string;
  twoFactorEnabled: boolean;
}

export type SignInResult = { status: 'signed-in' } | { status: 'two-factor'; challenge: string };

const TEAM_KEY = 'parley.team';

/** undefined while the first check runs; null when nobody is signed in. */
export const me = signal<Me | null | undefined>(undefined);
export const teamId = signal<string>('');

export const membership = computed(() => me.value?.memberships.find((m) => m.teamId === teamId.value) ?? null);

/**
 * What each role may do in the dashboard, mirroring the server's permission matrix (worker/auth/permissions.ts).
 * The server enforces it; the dashboard only hides what would be refused.
 */
const allowed: Record<Role, ReadonlySet<string>> = {
  owner: new Set(['read', 'chat', 'edit', 'manage']),
  admin: new Set(['read', 'chat', 'edit', 'manage']),
  editor: new Set(['read', 'chat', 'edit']),
  viewer: new Set(['read']),
};

export function can(action: 'read' | 'chat' | 'edit' | 'manage'): boolean {
  const role = membership.value?.role;
  return role ? allowed[role].has(action) : false;
}

function adopt(value: Me): void {
  const remembered = localStorage.getItem(TEAM_KEY);
  const team = value.memberships.find((m) => m.teamId === remembered) ?? value.memberships[0];
  teamId.value = team?.teamId ?? '';
  useCredentials(value.csrfToken, teamId.value);
  me.value = value;
}

/** Asks the server who the cookie belongs to (on load, and after a 401). */
export async function checkSession(): Promise<void> {
  try {
    adopt(await get<Me>('/api/v1/auth/me', { quiet401: true }));
  } catch {
    useCredentials('', '');
    me.value = null;
  }
}

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const result = await post<{ twoFactorRequired?: boolean; challenge?: string }>(
    '/api/v1/auth/sign-in',
    { email, password },
    { quiet401: true },
  );
  if (result.twoFactorRequired && result.challenge) return { status: 'two-factor', challenge: result.challenge };
  await checkSession();
  return { status: 'signed-in' };
}

export async function completeTwoFactor(challenge: string, code: string): Promise<void> {
  const body = /^\d{6}$/.test(code) ? { challenge, code } : { challenge, recoveryCode: code };
  await post('/api/v1/auth/sign-in/totp', body, { quiet401: true });
  await checkSession();
}

export async function signOut(everywhere = false): Promise<void> {
  try {
    await post(everywhere ? '/api/v1/auth/sign-out-all' : '/api/v1/auth/sign-out');
  } finally {
    useCredentials('', '');
    me.value = null;
  }
}

export function switchTeam(id: string): void {
  localStorage.setItem(TEAM_KEY, id);
  if (me.value) adopt(me.value);
}

// A 401 from any view: the session is gone; re-check (it may have been a race with sign-out) and show sign-in.
sessionLost.subscribe((count) => {
  if (count > 0) void checkSession();
});
