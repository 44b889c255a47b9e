import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, signIn, type TestSession, withSession } from '../worker/auth/testing.ts';
import { type ApiKeyScope, eventLog } from '../worker/db/schema/index.ts';
import { teamDatabase } from '../worker/db/shards.ts';
import { OPS_SECURITY } from '../worker/ops/auth.ts';
import { insertChannel } from './api-fixtures.ts';
import { createApiKey } from './api-keys.ts';
import { authed, BASE, seedDemo, startConversation } from './seed.ts';

/**
 * The auth sweep: every operation of the OpenAPI document — so a route added later is swept without touching this
 * file — must refuse a missing key (401), a key without its scope (403), and another team's key on the demo team's
 * ids (403 or 404, none of the demo team's ids in the body).
 */

interface Parameter {
  name: string;
  in: string;
  schema?: { example?: unknown; enum?: unknown[] };
  example?: unknown;
}
type Schema = {
  $ref?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
};
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, unknown>;
}
interface Swept {
  method: string;
  path: string;
  scope: ApiKeyScope;
  parameters: Parameter[];
  body?: unknown;
  upgrade: boolean;
}

/**
 * A valid body from the documented schema (examples first), so validation passes and the request reaches the team
 * check: a 400 would prove nothing about it. Team A's ids go wherever a field names one. A body whose rules a
 * schema cannot express (`exactly one of`) needs a documented `example`.
 */
function sample(schema: Schema | undefined, components: Record<string, Schema>, ids: Record<string, string>): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sample(components[schema.$ref.split('/').pop() ?? ''], components, ids);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  const variant = schema.anyOf?.find((s) => s.type !== 'null') ?? schema.oneOf?.[0];
  if (variant) return sample(variant, components, ids);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    // Required fields, and the well-known ones (team A's ids, a message text) wherever the schema has them.
    const names = new Set([
      ...(schema.required ?? []),
      ...Object.keys(schema.properties ?? {}).filter((n) => n in ids),
    ]);
    const entries = [...names].map((name) => [name, ids[name] ?? sample(schema.properties?.[name], components, ids)]);
    return Object.fromEntries(entries);
  }
  if (type === 'array')
    return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, components, ids));
  if (type === 'string') return 'sweep'.padEnd(schema.minLength ?? 0, '-');
  if (type === 'integer' || type === 'number') return Math.max(schema.minimum ?? 1, 1);
  if (type === 'boolean') return true;
  return null;
}

const SCOPES: ApiKeyScope[] = ['read', 'chat', 'admin'];

/**
 * The sweeps below make one or two requests per operation, in sequence, so their time grows with the API: vitest's
 * 5 s default was hit at ~60 operations on a loaded 2-core CI machine.
 */
const SWEEP_TIMEOUT_MS = 30_000;

async function sweptOperations(ids: Record<string, string>): Promise<Swept[]> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  const document = (await res.json()) as {
    paths: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, Schema> };
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    // An explicitly empty `security` marks the account routes (/api/v1/auth/…), which authenticate a person by
    // cookie or nobody at all (worker/auth/routes.test.ts covers them), and the intentionally public download of a
    // file the admin marked public, whose link carries its own capability (worker/knowledge/public-files tests),
    // the download behind a reply file's signed, expiring channel link (worker/channels/file-links tests),
    // and the MCP OAuth callback, where the authorization server sends a browser that carries no API key: its sealed,
    // single-use, 10-minute state authenticates it (worker/mcp/authorization-code.test.ts).
    // Operations behind a widget token or key take no API key: test/auth-sweep-widget.test.ts sweeps them.
    Object.entries(item)
      .filter(([, operation]) => !(Array.isArray(operation.security) && operation.security.length === 0))
      .filter(([, operation]) => !operation.security?.some((s) => Object.keys(s).some((n) => n.startsWith('widget'))))
      // The operator API takes the deployment's OPS_TOKEN, no API key: swept below ("the operator API").
      .filter(([, operation]) => !operation.security?.some((s) => OPS_SECURITY in s))
      .map(([method, operation]) => {
        const scope = operation.security?.[0]?.apiKey?.[0] as ApiKeyScope | undefined;
        if (path.startsWith('/api/v1/') && !scope) throw new Error(`${method} ${path} declares no API key scope`);
        return {
          method,
          path,
          scope: scope ?? 'admin',
          parameters: (operation.parameters ?? []).filter((p) => p.in === 'path'),
          upgrade: '101' in operation.responses,
          body: sample(
            operation.requestBody?.content?.['application/json']?.schema,
            document.components?.schemas ?? {},
            ids,
          ),
        };
      }),
  );
}

interface TeamA {
  ids: Record<string, string>;
  adminKey: string;
}

/** The value for a path parameter: one of team A's ids where the path names one, else the documented example. */
function pathValue(team: TeamA, path: string, parameter: Parameter): { value: string; teamOwned: boolean } {
  const segment = path.split('/').at(path.split('/').indexOf(`{${parameter.name}}`) - 1) ?? '';
  const key = parameter.name === 'id' ? segment : parameter.name;
  const byName: Record<string, string | undefined> = {
    chatbots: team.ids.chatbotId,
    idOrSlug: team.ids.chatbotId,
    chatbotId: team.ids.chatbotId,
    conversations: team.ids.conversationId,
    conversationId: team.ids.conversationId,
    participants: team.ids.participantId,
    participantId: team.ids.participantId,
    channels: team.ids.channelId,
    'plugin-configs': team.ids.pluginConfigId,
    messageId: team.ids.messageId,
    'custom-actions': team.ids.customActionId,
    scheduleId: team.ids.scheduleId,
  };
  const owned = byName[key];
  if (owned) return { value: owned, teamOwned: true };
  const example = parameter.example ?? parameter.schema?.example ?? parameter.schema?.enum?.[0];
  if (example === undefined) {
    throw new Error(`The sweep cannot fill {${parameter.name}} of ${path}: document an example or map it above`);
  }
  return { value: String(example), teamOwned: false };
}

function request(team: TeamA, op: Swept, apiKey?: string): { url: string; init: RequestInit; teamOwned: boolean } {
  let url = op.path;
  let teamOwned = false;
  for (const parameter of op.parameters) {
    const { value, teamOwned: owned } = pathValue(team, op.path, parameter);
    url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
    teamOwned ||= owned;
  }
  const init: RequestInit = { method: op.method.toUpperCase(), headers: op.upgrade ? { upgrade: 'websocket' } : {} };
  if (op.body !== undefined) init.body = JSON.stringify(op.body);
  return { url: `${BASE}${url}`, init: apiKey ? authed(apiKey, init) : init, teamOwned };
}

/**
 * Another team's answer on team A's operation: 403 or 404 where the request names one of A's resources, never a 500,
 * and none of A's ids anywhere in the body.
 */
async function expectUnreached(team: TeamA, op: Swept, teamOwned: boolean, res: Response): Promise<void> {
  const where = `${op.method} ${op.path} → ${res.status}`;
  const body = await res.text();
  if (teamOwned) expect([403, 404], `${where} ${body}`).toContain(res.status);
  expect(res.status, where).toBeLessThan(500);
  for (const id of Object.values(team.ids)) expect(body, where).not.toContain(id);
}

async function seedTeamA(): Promise<TeamA> {
  const demo = await seedDemo();
  const adminKey = await createApiKey(demo.teamId, ['admin']);
  const ids: Record<string, string> = {
    teamId: demo.teamId,
    chatbotId: demo.chatbotId,
    conversationId: await startConversation(adminKey, demo.chatbotId),
    channelId: await insertChannel(demo.teamId, demo.chatbotId),
  };
  // A message of that conversation, for the routes under /messages/{messageId}.
  const sent = await SELF.fetch(
    `${BASE}/api/v1/conversations/${ids.conversationId}/messages`,
    authed(adminKey, { method: 'POST', body: JSON.stringify({ text: 'sweep' }) }),
  );
  const turn = (await sent.json()) as { message?: { id: string } };
  if (turn.message) ids.messageId = turn.message.id;
  // A tool's configuration, for the routes under /plugin-configs/{id}.
  const config = await SELF.fetch(
    `${BASE}/api/v1/plugin-configs`,
    authed(adminKey, { method: 'POST', body: JSON.stringify({ pluginId: 'clock', settings: {} }) }),
  );
  ids.pluginConfigId = ((await config.json()) as { id: string }).id;
  // A custom action, for the routes under /custom-actions/{id}.
  const action = await SELF.fetch(
    `${BASE}/api/v1/custom-actions`,
    authed(adminKey, {
      method: 'POST',
      body: JSON.stringify({
        name: 'Sweep',
        spec: {
          source: 'text',
          text: 'openapi: 3.0.3\ninfo: {title: S, version: "1"}\nservers: [{url: "https://sweep.example"}]\npaths: {/a: {get: {operationId: a, responses: {"200": {description: ok}}}}}',
        },
        selectedOperations: ['a'],
        healthCheckUrl: 'https://sweep.example/health',
      }),
    }),
  );
  ids.customActionId = ((await action.json()) as { id: string }).id;
  const participant = await SELF.fetch(
    `${BASE}/api/v1/participants/web/sweep-user`,
    authed(adminKey, { method: 'PUT', body: JSON.stringify({}) }),
  );
  if (participant.ok) ids.participantId = ((await participant.json()) as { id: string }).id;
  // A schedule of that participant, for the routes under /schedules/{scheduleId} and in the team's D1 copy (GET
  // /schedules), so another team's list would show it if it were not scoped.
  const schedule = await SELF.fetch(
    `${BASE}/api/v1/participants/${ids.participantId}/schedules`,
    authed(adminKey, {
      method: 'POST',
      body: JSON.stringify({ chatbotId: demo.chatbotId, prompt: 'sweep', at: new Date(Date.now() + 86_400_000) }),
    }),
  );
  ids.scheduleId = ((await schedule.json()) as { id: string }).id;
  await vi.waitFor(
    async () => {
      const copies = await SELF.fetch(`${BASE}/api/v1/schedules`, authed(adminKey));
      expect(JSON.stringify(await copies.json())).toContain(ids.scheduleId);
    },
    { timeout: 15_000, interval: 200 },
  );
  // An event log entry of team A, as the events consumer writes one, so GET /events/log has something to leak.
  ids.eventLogId = `evl_sweep${crypto.randomUUID().replace(/-/g, '')}`;
  await teamDatabase(env, demo.teamId)
    .insert(eventLog)
    .values({
      id: ids.eventLogId,
      teamId: demo.teamId,
      chatbotId: demo.chatbotId,
      conversationId: ids.conversationId as string,
      participantId: ids.participantId ?? null,
      triggerId: 'sweep',
      triggerType: 'user_message',
      actionType: 'log',
      outcome: 'ok',
      attempt: 1,
      firedAt: Date.now(),
    });
  return { ids, adminKey };
}

describe('auth sweep over every operation in the OpenAPI document', () => {
  let operations: Swept[];
  let teamA: TeamA;
  const keysA = new Map<ApiKeyScope, string>();
  let otherTeamKey: string;
  let otherTeamSession: TestSession;
  let viewerOfA: TestSession;

  beforeAll(async () => {
    teamA = await seedTeamA();
    // References to team A's resources in a body must be refused as firmly as those in the path.
    const { chatbotId = '', conversationId = '', participantId } = teamA.ids;
    const bodyIds: Record<string, string> = { chatbotId, conversationId, model: chatbotId, text: 'sweep' };
    if (participantId) bodyIds.participantId = participantId;
    operations = await sweptOperations(bodyIds);
    for (const scope of SCOPES) keysA.set(scope, await createApiKey(teamA.ids.teamId as string, [scope]));
    const teamB = await seedDemo();
    otherTeamKey = await createApiKey(teamB.teamId, ['admin']);
    // The dashboard's way in: a session cookie (+ CSRF token) instead of an API key.
    otherTeamSession = await signIn(teamB.ownerEmail, teamB.ownerPassword);
    viewerOfA = await signIn((await addMember(teamA.ids.teamId as string, 'viewer')).email);
  });

  it('sweeps a non-trivial number of operations, most of them on the demo team’s own ids', () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.filter((op) => request(teamA, op).teamOwned).length).toBeGreaterThan(5);
    if (operations.some((op) => op.path.startsWith('/api/v1/participants/{id}'))) {
      expect(teamA.ids.participantId).toMatch(/\w/);
    }
    expect(operations.some((op) => op.path === '/api/v1/conversations/{id}/messages')).toBe(true);
    // Issue 17 §5: every events and schedules route, swept on team A's own schedule and event log entry.
    for (const path of [
      '/api/v1/events/log',
      '/api/v1/events/webhook-secret',
      '/api/v1/schedules',
      '/api/v1/participants/{id}/schedules',
      '/api/v1/participants/{id}/schedules/{scheduleId}',
      '/api/v1/participants/{id}/schedules/{scheduleId}/attempts',
    ])
      expect(
        operations.some((op) => op.path === path),
        path,
      ).toBe(true);
    expect(
      operations
        .filter((op) => op.path.includes('{scheduleId}'))
        .map((op) => op.method)
        .sort(),
    ).toEqual(['delete', 'get', 'patch']);
    expect(teamA.ids.scheduleId).toMatch(/^sch_/);
    // Routes under a message are swept on a real message of team A, not on a made-up id that 404s anyway.
    expect(operations.some((op) => op.path.includes('{messageId}'))).toBe(true);
    expect(teamA.ids.messageId).toMatch(/^msg_/);
  });

  it(
    'answers 401 without an API key',
    async () => {
      for (const op of operations) {
        const { url, init } = request(teamA, op);
        const res = await SELF.fetch(url, init);
        expect(res.status, `${op.method} ${op.path}`).toBe(401);
        await res.body?.cancel();
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'answers 403 to a key of the team that lacks the required scope',
    async () => {
      for (const op of operations) {
        // `admin` implies every scope, so only the others can lack one; a key holding all but `admin` must fail admin.
        const scopes =
          op.scope === 'admin' ? (['read', 'chat'] as const) : SCOPES.filter((s) => s !== op.scope && s !== 'admin');
        const key = await createApiKey(teamA.ids.teamId as string, [...scopes]);
        const { url, init } = request(teamA, op, key);
        const res = await SELF.fetch(url, init);
        expect(res.status, `${op.method} ${op.path} with ${scopes.join('+')}`).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'never lets another team reach the demo team’s resources or see their ids',
    async () => {
      for (const op of operations) {
        const { url, init, teamOwned } = request(teamA, op, otherTeamKey);
        await expectUnreached(teamA, op, teamOwned, await SELF.fetch(url, init));
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'never lets an owner of another team, signed in with a cookie, reach the demo team’s resources',
    async () => {
      for (const op of operations) {
        const { url, init, teamOwned } = request(teamA, op);
        await expectUnreached(teamA, op, teamOwned, await SELF.fetch(url, withSession(otherTeamSession, init)));
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'refuses every write to a viewer of the demo team signed in with a cookie',
    async () => {
      // A POST that only reads (scope `read`, e.g. knowledge search) is open to viewers like a GET.
      for (const op of operations.filter((o) => o.method !== 'get' && o.scope !== 'read')) {
        const { url, init } = request(teamA, op);
        const res = await SELF.fetch(url, withSession(viewerOfA, init));
        expect(res.status, `${op.method} ${op.path}`).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'lets the demo team’s own scoped keys through the auth check',
    async () => {
      for (const op of operations.filter((o) => o.method === 'get' && !o.upgrade)) {
        const { url, init } = request(teamA, op, keysA.get(op.scope));
        const res = await SELF.fetch(url, init);
        expect([401, 403], `${op.method} ${op.path}`).not.toContain(res.status);
        await res.body?.cancel();
      }
    },
    SWEEP_TIMEOUT_MS,
  );
});

describe('auth sweep over the operator API (every operation with the opsToken scheme)', () => {
  it(
    'does not exist without OPS_TOKEN (404), and refuses a team’s admin key and a signed-in owner',
    async () => {
      const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`);
      const document = (await res.json()) as {
        paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      };
      const operations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, operation]) => operation.security?.some((s) => OPS_SECURITY in s))
          .map(([method]) => ({ method: method.toUpperCase(), path: path.replace('{teamId}', 'team_sweep') })),
      );
      expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
        'GET /api/v1/ops/teams',
        'POST /api/v1/ops/teams/team_sweep/bodies/blank',
        'POST /api/v1/ops/teams/team_sweep/legacy-rows/delete',
        'POST /api/v1/ops/teams/team_sweep/move',
      ]);
      const demo = await seedDemo();
      const owner = await signIn(demo.ownerEmail, demo.ownerPassword);
      // The test config sets no OPS_TOKEN (worker/ops/routes.sharded.test.ts sets one): every way in is a 404.
      for (const op of operations) {
        for (const init of [{}, authed(demo.apiKey), withSession(owner)]) {
          const answer = await SELF.fetch(`${BASE}${op.path}`, { ...init, method: op.method });
          expect(answer.status, `${op.method} ${op.path}`).toBe(404);
          await answer.body?.cancel();
        }
      }
    },
    SWEEP_TIMEOUT_MS,
  );
});
