import type { AuditChanges } from '../db/schema/index.ts';

/**
 * How a request is named in the audit log, from the route it matched: `PATCH /api/v1/chatbots/:idOrSlug` →
 * `chatbot.update` on target chatbot <id>; `POST /api/v1/chatbots/:idOrSlug/archive` → `chatbot.archive`;
 * `POST /api/v1/chatbots/:idOrSlug/versions` → `chatbot.version.create`.
 */
export interface AuditName {
  action: string;
  targetType: string | null;
  targetId: string | null;
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** `api-keys` → `api_key`: singular, snake case. */
const singular = (segment: string) => segment.replace(/-/g, '_').replace(/s$/, '');

export function auditName(method: string, routePath: string, params: Record<string, string>): AuditName {
  const segments = routePath
    .replace(/^\/api\/v1\/?/, '')
    .split('/')
    .filter(Boolean);
  const names: string[] = [];
  let targetType: string | null = null;
  let targetId: string | null = null;
  let verb = VERBS[method] ?? method.toLowerCase();
  segments.forEach((segment, index) => {
    if (segment.startsWith(':')) {
      // The first parameter after a resource names the target (`/participants/:platform/:externalId` keeps platform).
      const previous = segments[index - 1];
      if (previous && !previous.startsWith(':')) {
        targetType = singular(previous);
        targetId = params[segment.slice(1)] ?? null;
      }
      return;
    }
    const last = index === segments.length - 1;
    const afterParameter = index > 0 && segments[index - 1]?.startsWith(':');
    // A last, singular segment after an id is an action on it (`archive`, `publish`, `cancel`); a plural one is a
    // collection being added to (`versions`, `messages`).
    if (last && afterParameter && method === 'POST' && !segment.endsWith('s')) verb = segment.replace(/-/g, '_');
    else names.push(singular(segment));
  });
  return { action: [...names, verb].join('.'), targetType, targetId };
}

const SECRET_FIELD = /secret|password|token|api_?key|credential|^key$|authorization|private/i;
const MAX_VALUE_CHARS = 80;
const MAX_FIELDS = 20;

/** A value short enough to show in a list: long strings cut, objects and arrays summarised. */
function shortValue(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.length <= 5 && value.every((item) => typeof item === 'string' && item.length <= 40)
      ? value
      : `[${value.length} items]`;
  }
  return '{…}';
}

/** The fields a request set, with short values and secrets redacted: what changed, never a credential. */
export function changesFromBody(body: unknown): AuditChanges | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const entries = Object.entries(body as Record<string, unknown>).slice(0, MAX_FIELDS);
  if (entries.length === 0) return null;
  return Object.fromEntries(
    entries.map(([field, value]) => [field, { after: SECRET_FIELD.test(field) ? '[redacted]' : shortValue(value) }]),
  );
}

/**
 * What a write actually changed, set by the route (`c.set('auditChange', { before, after })`) once it has applied
 * it: the middleware then records only the fields whose values differ, never the request body as sent.
 */
export interface AuditChange {
  before: Readonly<Record<string, unknown>>;
  after: Readonly<Record<string, unknown>>;
}
export type AuditVariables = { auditChange?: AuditChange };

declare module '../http/app.ts' {
  /** `c.var.auditChange`, set by the routes that record what they changed (worker/audit/middleware.ts). */
  interface AppVariables extends AuditVariables {}
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const shown = (field: string, value: unknown) => (SECRET_FIELD.test(field) ? '[redacted]' : shortValue(value ?? null));

/** The fields of `after` that differ from `before`, each with both values (secrets redacted); null when none do. */
export function changesFromDiff({ before, after }: AuditChange): AuditChanges | null {
  const changed = Object.keys(after)
    .filter((field) => !same(before[field], after[field]))
    .slice(0, MAX_FIELDS);
  if (changed.length === 0) return null;
  return Object.fromEntries(
    changed.map((field) => [field, { before: shown(field, before[field]), after: shown(field, after[field]) }]),
  );
}
