import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, type TestSession } from '../worker/auth/testing.ts';
import { ORIGIN, openSession } from '../worker/widget/testing.ts';
import { createApiKey } from './api-keys.ts';
import { BASE, seedDemo, startConversation } from './seed.ts';

/**
 * The body sweep: every operation of the OpenAPI document that declares a JSON body — so a route added later is
 * swept without touching this file — refuses a missing body, an empty one and one of another media type with a 4xx
 * JSON error naming the problem, before its handler runs: no row is created or changed anywhere in D1.
 */

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
  parameters?: { name: string; in: string }[];
  security?: Record<string, string[]>[];
}
interface Swept {
  method: string;
  path: string;
  optional: boolean;
}

const SWEEP_TIMEOUT_MS = 30_000;

/** Every table's row count plus the newest audit entry: any write by a swept request changes this. */
async function databaseState(): Promise<string> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const counts = await env.DB.batch(results.map(({ name }) => env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`)));
  const updated = await env.DB.prepare('SELECT max(updated_at) AS t FROM chatbots').first<{ t: number }>();
  return JSON.stringify([results.map(({ name }, i) => [name, counts[i]?.results[0]]), updated]);
}

describe('body sweep over every OpenAPI operation with a JSON body', () => {
  let operations: Swept[];
  let ids: Record<string, string>;
  let adminKey: string;
  let owner: TestSession;
  // The widget's conversation routes take a widget token of their own conversation, from its page origin.
  let widget: { token: string; conversationId: string };

  beforeAll(async () => {
    const demo = await seedDemo();
    adminKey = await createApiKey(demo.teamId, ['admin']);
    owner = await signIn(demo.ownerEmail, demo.ownerPassword);
    ids = { chatbots: demo.chatbotId, conversations: await startConversation(adminKey, demo.chatbotId) };
    widget = await openSession({ widgetKey: demo.widgetKey });
    const document = (await (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.requestBody?.content?.['application/json'])
        // The operator API answers 404 without OPS_TOKEN, before any body is read (worker/ops/routes.sharded.test.ts).
        .filter(([, operation]) => !operation.security?.some((s) => 'opsToken' in s))
        .map(([method, operation]) => ({ method, path, optional: operation.requestBody?.required === false })),
    );
  });

  /** The request as the team's owner (cookie + CSRF) holding an admin key too, so every auth check passes. */
  function send(op: Swept, body: string | undefined, contentType?: string): Promise<Response> {
    const widgetRoute = op.path.startsWith('/api/widget/v1/conversations/');
    const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (widgetRoute) return widget.conversationId;
      const segment = op.path.split('/').at(op.path.split('/').indexOf(`{${name}}`) - 1) ?? '';
      return ids[segment] ?? ids[name] ?? ids.chatbots ?? 'sweep';
    });
    const bearer = widgetRoute ? widget.token : adminKey;
    const headers = new Headers({ authorization: `Bearer ${bearer}`, cookie: owner.cookie });
    if (op.path.startsWith('/api/widget/')) headers.set('origin', ORIGIN);
    headers.set('x-csrf-token', owner.csrfToken);
    if (contentType) headers.set('content-type', contentType);
    return SELF.fetch(`${BASE}${url}`, { method: op.method.toUpperCase(), headers, body });
  }

  async function expectRefused(op: Swept, res: Response, status: number, field?: string): Promise<void> {
    const where = `${op.method} ${op.path} → ${res.status}`;
    const text = await res.text();
    expect(res.status, `${where} ${text}`).toBe(status);
    expect(res.headers.get('content-type'), where).toMatch(/application\/json/);
    const body = JSON.parse(text) as { error: { message: string; details?: { field: string }[] } };
    expect(body.error.message, where).toMatch(/\w/);
    if (field && !op.path.startsWith('/v1/')) expect(body.error.details?.map((d) => d.field)).toContain(field);
  }

  it('sweeps every kind of body: REST, account, OpenAI-compatible', () => {
    expect(operations.length).toBeGreaterThan(15);
    for (const path of [
      '/api/v1/api-keys',
      '/api/v1/auth/sign-in',
      '/api/v1/chatbots/{idOrSlug}',
      '/v1/chat/completions',
      '/api/widget/v1/sessions',
      '/api/widget/v1/conversations/{id}/messages',
    ]) {
      expect(operations.map((op) => op.path)).toContain(path);
    }
  });

  it(
    'answers 400 naming `body` when the body is missing, without writing anything',
    async () => {
      const before = await databaseState();
      for (const op of operations.filter((o) => !o.optional))
        await expectRefused(op, await send(op, undefined), 400, 'body');
      expect(await databaseState()).toBe(before);
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'answers 400 naming `body` when a JSON body is empty or not JSON, without writing anything',
    async () => {
      const before = await databaseState();
      for (const op of operations) {
        await expectRefused(op, await send(op, '', 'application/json'), 400, 'body');
        await expectRefused(op, await send(op, '{"name":', 'application/json'), 400, 'body');
      }
      expect(await databaseState()).toBe(before);
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'answers 415 to a body of another media type, or of none, without writing anything',
    async () => {
      const before = await databaseState();
      for (const op of operations) {
        await expectRefused(op, await send(op, '{}', 'text/plain'), 415);
        await expectRefused(op, await send(op, 'name=x', 'application/x-www-form-urlencoded'), 415);
        await expectRefused(op, await send(op, '{}'), 415);
      }
      expect(await databaseState()).toBe(before);
    },
    SWEEP_TIMEOUT_MS,
  );
});
