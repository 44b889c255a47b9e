import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ActionOperation } from '../../custom-actions/spec/types.ts';
import { teamRef } from './team-ref.ts';

/** What the API may show of an action's auth: its kind and non-secret parts (never a key, token or password). */
export interface CustomActionAuthInfo {
  kind: 'none' | 'api_key' | 'bearer' | 'basic' | 'oauth2_client_credentials';
  in?: 'header' | 'query';
  name?: string;
  username?: string;
  tokenUrl?: string;
  clientId?: string;
  scopes?: string[];
}

export type SecuritySchemeInfo = {
  type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect';
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  scheme?: string;
  tokenUrl?: string;
};

/**
 * Custom actions: an OpenAPI 3.0/3.1 spec whose selected operations a team's chatbots call as tools
 * (worker/custom-actions/, docs/custom-actions.md). The spec is kept as its derived operations (dereferenced
 * parameter schemas), not as the document: that is all a call needs, and publishing freezes the selected ones into
 * the version (`chatbot_versions.actions`). `sealed_auth` holds the whole auth (AES-GCM, bound to team and action);
 * `auth_info` only its non-secret parts, so lists need no decryption.
 */
export const customActions = sqliteTable(
  'custom_actions',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    specUrl: text('spec_url'),
    title: text('title').notNull(),
    version: text('version').notNull(),
    servers: text('servers', { mode: 'json' }).$type<string[]>().notNull(),
    baseUrl: text('base_url').notNull(),
    operations: text('operations', { mode: 'json' }).$type<ActionOperation[]>().notNull(),
    securitySchemes: text('security_schemes', { mode: 'json' }).$type<Record<string, SecuritySchemeInfo>>().notNull(),
    selectedOperations: text('selected_operations', { mode: 'json' }).$type<string[]>().notNull(),
    authInfo: text('auth_info', { mode: 'json' }).$type<CustomActionAuthInfo>().notNull(),
    sealedAuth: text('sealed_auth'),
    healthUrl: text('health_url'),
    healthStatus: text('health_status', { enum: ['ok', 'failing', 'unknown'] }),
    healthCheckedAt: integer('health_checked_at'),
    healthMessage: text('health_message'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('custom_actions_team').on(t.teamId, t.createdAt), index('custom_actions_health').on(t.healthCheckedAt)],
);
