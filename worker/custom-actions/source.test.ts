import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { hostToolIssues, toolReferences } from '../tools/checks.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import type { ActionAuth } from './auth.ts';
import { MAX_READ_BYTES } from './caller.ts';
import {
  API_KEY,
  BASIC_PASSWORD,
  BASIC_USER,
  BEARER_TOKEN,
  HUGE_BYTES,
  OAUTH_SECRET,
  REPORT_BYTES,
  TOKEN_EXPIRES_IN,
} from './fake/server.ts';
import { fakeAction, fakeActionsUrl } from './testing.ts';

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };
const turnOf = (teamId: string, over: Partial<{ env: Env; conversationId: string }> = {}) => ({
  env: over.env ?? env,
  teamId,
  chatbotId: 'bot_x',
  conversationId: over.conversationId ?? `conv_${crypto.randomUUID().replaceAll('-', '')}`,
  participantId: null,
  clock: systemClock,
});

async function toolsOf(selected: string[], auth: ActionAuth = { kind: 'none' }, over = {}) {
  const demo = await seedDemo();
  const row = await fakeAction(demo.teamId, selected, auth);
  const turn = turnOf(demo.teamId, over);
  const toolbox = await toolboxFor(turn, [`action:${row.id}`]);
  const call = async (name: string, args: unknown = {}) =>
    toolbox.run({ id: `c-${name}`, name, arguments: JSON.stringify(args) }, ports);
  return { demo, row, turn, toolbox, call };
}

describe('custom action tools', () => {
  it('places path, query, header and body parameters where the spec says', async () => {
    const { toolbox, call } = await toolsOf(['getPet', 'createPet']);
    expect(
      toolbox
        .specs()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['createPet', 'getPet']);
    const got = await call('getPet', {
      path: { petId: 'rex 1' },
      query: { verbose: true },
      header: { 'X-Trace': 't-1' },
    });
    expect(got.ok).toBe(true);
    expect(JSON.parse(got.output)).toEqual({ status: 200, body: { id: 'rex 1', verbose: 'true', trace: 't-1' } });
    const created = await call('createPet', { body: { name: 'Rex', tag: 'dog' } });
    expect(JSON.parse(created.output)).toEqual({
      status: 201,
      body: { created: { name: 'Rex', tag: 'dog' }, contentType: 'application/json' },
    });
  });

  it.each([
    ['withKey', { kind: 'api_key', in: 'header', name: 'X-Api-Key', value: API_KEY }, API_KEY],
    ['withKey', { kind: 'api_key', in: 'query', name: 'api_key', value: API_KEY }, API_KEY],
    ['withBearer', { kind: 'bearer', token: BEARER_TOKEN }, BEARER_TOKEN],
    ['withBasic', { kind: 'basic', username: BASIC_USER, password: BASIC_PASSWORD }, BASIC_PASSWORD],
  ] as [string, ActionAuth, string][])('%s authenticates with %o', async (operation, auth, secret) => {
    const { row, call } = await toolsOf([operation], auth);
    expect(row.sealedAuth).not.toContain(secret);
    const result = await call(operation);
    expect(JSON.parse(result.output)).toMatchObject({ status: 200 });
    expect(result.output).not.toContain(secret);
    // Without the auth the same call is refused by the API, and the model sees its status.
    const { call: anonymous } = await toolsOf([operation]);
    expect(JSON.parse((await anonymous(operation)).output)).toMatchObject({ status: 401 });
  });

  it('never hands a secret the API echoes back to the model', async () => {
    const { call } = await toolsOf(['leaky'], { kind: 'api_key', in: 'header', name: 'X-Api-Key', value: API_KEY });
    const result = await call('leaky');
    expect(JSON.parse(result.output)).toEqual({ status: 200, body: { youSent: '[redacted]' } });
  });

  it('fetches one OAuth token, reuses it until shortly before it expires, and retries once on a 401', async () => {
    const clientId = `client-${crypto.randomUUID()}`;
    const { call } = await toolsOf(['withOauth'], {
      kind: 'oauth2_client_credentials',
      tokenUrl: fakeActionsUrl('/oauth/token'),
      clientId,
      clientSecret: OAUTH_SECRET,
      scopes: ['pets'],
    });
    const tokenRequests = async () =>
      ((await (await fetch(fakeActionsUrl(`/oauth/stats?client=${clientId}`))).json()) as { tokenRequests: number })
        .tokenRequests;
    expect(JSON.parse((await call('withOauth')).output)).toEqual({ status: 200, body: { ok: 'oauth' } });
    expect(JSON.parse((await call('withOauth')).output)).toMatchObject({ status: 200 });
    expect(await tokenRequests()).toBe(1);
    // Past its life (less the margin) the token is fetched again.
    await new Promise((resolve) => setTimeout(resolve, TOKEN_EXPIRES_IN * 1000));
    expect(JSON.parse((await call('withOauth')).output)).toMatchObject({ status: 200 });
    expect(await tokenRequests()).toBe(2);
    // A token the server revoked answers 401: one fresh token, one retry, and the model never sees the 401.
    await fetch(fakeActionsUrl(`/oauth/revoke?client=${clientId}`), { method: 'POST' });
    const retried = await call('withOauth');
    expect(JSON.parse(retried.output)).toEqual({ status: 200, body: { ok: 'oauth' } });
    expect(await tokenRequests()).toBe(3);
    expect(retried.output).not.toContain(OAUTH_SECRET);
    expect(retried.output).not.toContain('tok-');
  });

  it('stores a file response as an attachment of the conversation and describes it', async () => {
    const { demo, turn, call } = await toolsOf(['getReport']);
    const result = JSON.parse((await call('getReport')).output) as {
      status: number;
      file: { fileId: string; name: string; mimeType: string; size: number };
    };
    expect(result).toMatchObject({
      status: 200,
      file: { name: 'report.pdf', mimeType: 'application/pdf', size: REPORT_BYTES.byteLength },
    });
    const object = await env.FILES.get(conversationFileKey(demo.teamId, turn.conversationId, result.file.fileId));
    expect(new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(new Uint8Array(REPORT_BYTES));
    expect(object?.customMetadata?.name).toBe('report.pdf');
  });

  it('cuts a 50 MB response off after 1 MB without reading the rest', async () => {
    const { call } = await toolsOf(['huge']);
    const result = await call('huge');
    expect(result.ok).toBe(true);
    const parsed = JSON.parse(result.output) as { status: number; body: string; truncated: string };
    expect(parsed.status).toBe(200);
    expect(parsed.truncated).toContain(`longer than ${MAX_READ_BYTES} bytes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { sent } = (await (await fetch(fakeActionsUrl('/huge/stats'))).json()) as { sent: number };
    // The fake stops writing once the client cancels: far less than the 50 MB it would send.
    console.info('custom-actions: bytes the fake sent of the 50 MB answer', sent);
    expect(sent).toBeLessThan(HUGE_BYTES / 4);
  });

  it('refuses loopback with ALLOW_PRIVATE_OUTBOUND off, and a redirect to a private address', async () => {
    const deployed = { ...env, ALLOW_PRIVATE_OUTBOUND: 'false' } as Env;
    const { call } = await toolsOf(['getPet'], { kind: 'none' }, { env: deployed });
    const refused = await call('getPet', { path: { petId: '1' } });
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/127\.0\.0\.1 is/);

    // A public first hop (mapped onto the fake) that redirects to the metadata address: refused at the second hop.
    const demo = await seedDemo();
    const row = await fakeAction(demo.teamId, ['toMetadata', 'toLoopback']);
    await database(env.DB).run(`UPDATE custom_actions SET base_url = 'https://public.example' WHERE id = '${row.id}'`);
    const toolbox = await toolboxFor(turnOf(demo.teamId, { env: deployed }), [`action:${row.id}`]);
    const original = globalThis.fetch;
    let hops = 0;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      hops++;
      return original(new Request(input, init).url.replace('https://public.example', fakeActionsUrl()), init);
    }) as typeof fetch;
    try {
      const metadata = await toolbox.run({ id: 'c1', name: 'toMetadata', arguments: '{}' }, ports);
      expect(metadata.ok).toBe(false);
      expect(metadata.output).toMatch(/169\.254\.169\.254 is a link-local address/);
      const loopback = await toolbox.run({ id: 'c2', name: 'toLoopback', arguments: '{}' }, ports);
      expect(loopback.output).toMatch(/127\.0\.0\.1 is/);
      expect(hops).toBe(2);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('keeps a team’s actions from another team, and names unselected operations', async () => {
    const { demo, row } = await toolsOf(['getPet']);
    const other = await seedDemo();
    const db = database(env.DB);
    const issues = await hostToolIssues(db, other.teamId, toolReferences([`action:${row.id}`], 'n'));
    expect(issues).toEqual([{ field: 'n.tools.0', message: `custom action of "action:${row.id}" does not exist` }]);
    await expect(toolboxFor(turnOf(other.teamId), [`action:${row.id}`])).rejects.toThrow('does not exist');
    expect(await hostToolIssues(db, demo.teamId, toolReferences([`action:${row.id}/getPet`], 'n'))).toEqual([]);
    expect(await hostToolIssues(db, demo.teamId, toolReferences([`action:${row.id}/huge`], 'n'))).toEqual([
      { field: 'n.tools.0', message: 'operation "huge" of custom action "Fake pets" is not selected' },
    ]);
  });

  it('rejects arguments that do not fit the operation before calling', async () => {
    const { call } = await toolsOf(['getPet']);
    const result = await call('getPet', { query: { verbose: true } });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Invalid arguments');
  });
});
