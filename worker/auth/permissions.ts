import type { ApiKeyScope, Role } from '../db/schema/index.ts';

/**
 * The permission matrix, in one place. API keys keep their scopes (read, chat, admin ⊇ all); people get a role per
 * team, and each role grants permissions. A route declares the scope an API key needs and, when a role needs a
 * finer rule than that scope, the permission a person needs (`requireApiKey('admin', 'chatbots.write')`); without
 * one, the scope's own permission below applies. README "Accounts and access" shows this table.
 */
export const permissions = [
  /** Every GET of the team's resources (scope `read`). */
  'read',
  /** Start conversations, send messages, tags, participants (scope `chat`). */
  'chat',
  /** Create and edit chatbots, their versions, publish and restore, archive. */
  'chatbots.write',
  /** Every other configuration (credentials, channels, widget keys, …): what scope `admin` guards by default. */
  'configure',
  'members.manage',
  'api_keys.manage',
  'audit.read',
  /** Owner-only: make someone an owner, demote or remove an owner. */
  'ownership.manage',
  /** Owner-only. */
  'team.delete',
] as const;
export type Permission = (typeof permissions)[number];

/** The permission a person needs on a route that names only an API-key scope. */
export const scopePermission: Record<ApiKeyScope, Permission> = {
  read: 'read',
  chat: 'chat',
  admin: 'configure',
};

const viewer: readonly Permission[] = ['read'];
const editor: readonly Permission[] = [...viewer, 'chat', 'chatbots.write'];
const admin: readonly Permission[] = [...editor, 'configure', 'members.manage', 'api_keys.manage', 'audit.read'];
const owner: readonly Permission[] = [...admin, 'ownership.manage', 'team.delete'];

export const rolePermissions: Record<Role, readonly Permission[]> = { owner, admin, editor, viewer };

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** What an API key may do: `admin` holds every permission; `read` and `chat` only their own. */
export function scopesAllow(scopes: readonly ApiKeyScope[], permission: Permission): boolean {
  if (scopes.includes('admin')) return true;
  return scopes.some((scope) => scopePermission[scope] === permission);
}
