/**
 * The custom-actions API as the dashboard calls it (docs/custom-actions.md): shapes are the worker's zod schemas,
 * taken as types only (scripts/check-ui-imports.ts), and the paths are built here so no view spells one twice.
 */
import type { z } from 'zod';
import type {
  AuthInput,
  CreateAction,
  CustomAction,
  ParseResult,
  SpecInput,
  UpdateAction,
} from '../../../../worker/custom-actions/schemas.ts';

export type Action = z.infer<typeof CustomAction>;
export type ActionOperationRow = Action['operations'][number];
export type AuthView = Action['auth'];
export type AuthKind = AuthView['kind'];
export type Auth = z.infer<typeof AuthInput>;
export type Spec = z.infer<typeof SpecInput>;
export type Parsed = z.infer<typeof ParseResult>;
export type CreateBody = z.input<typeof CreateAction>;
export type UpdateBody = z.input<typeof UpdateAction>;

const base = '/api/v1/custom-actions';
const part = encodeURIComponent;

export const actionPaths = {
  list: base,
  parse: `${base}/parse`,
  one: (id: string) => `${base}/${part(id)}`,
  check: (id: string) => `${base}/${part(id)}/health/check`,
};

export const AUTH_LABELS: Record<AuthKind, string> = {
  none: 'No auth',
  api_key: 'API key',
  bearer: 'Bearer token',
  basic: 'Basic (username and password)',
  oauth2_client_credentials: 'OAuth 2 client credentials',
};

/** A spec issue sent back in a 400's details: `[{field, path, message}]`. */
export interface SpecProblem {
  path: string;
  message: string;
}

export function specProblems(details: unknown): SpecProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail) =>
    typeof detail === 'object' && detail !== null && 'message' in detail
      ? [{ path: String((detail as { path?: unknown }).path ?? ''), message: String(detail.message) }]
      : [],
  );
}
