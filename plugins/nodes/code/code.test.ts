import { describe, expect, inject, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { NodeError } from '../../sdk/node/kind.ts';
import { quickJsSandbox } from '../../sdk/sandbox/quickjs.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { codeNode, codeNodePlugin } from './index.ts';
import { MAX_CODE_CHARS } from './settings.ts';

const echo = inject('fakeServers')['http-echo'] as string;
const services = (fetch?: typeof globalThis.fetch) => fakeNodeServices({ sandbox: quickJsSandbox(), fetch });
const run = (
  settings: Record<string, unknown>,
  extra: Parameters<typeof runNodeKind>[1] extends infer O ? Partial<O> : never = {},
) => runNodeKind(codeNode, { settings, services: services(), ...extra });

runNodeContract(codeNodePlugin, {
  examples: [
    { settings: { code: 'function main(input) { return { echo: input } }' }, input: 'hi', services: () => services() },
    {
      settings: { code: 'function main(input) { route(input === "vip" ? "vip" : "other") }', routes: ['vip', 'other'] },
      input: 'vip',
      services: () => services(),
    },
  ],
  invalidSettings: [
    { settings: { code: 'return 1' }, why: 'no main function' },
    { settings: { code: `function main() {}//${'x'.repeat(MAX_CODE_CHARS)}` }, why: 'longer than 20,000 characters' },
    { settings: { code: 'function main() {}', routes: ['a b'] }, why: 'a route name edges cannot name' },
    { settings: { code: 'function main() {}', routes: ['a', 'a'] }, why: 'duplicate routes' },
    { settings: { code: 'function main() {}', http: { allowedHosts: ['http://x.com/'] } }, why: 'a URL, not a host' },
    { settings: { code: 'function main() {}', http: { allowedHosts: ['*'] } }, why: 'a bare wildcard' },
    { settings: { code: 'function main() {}', limits: { instructions: 10_000_000 } }, why: 'budget past the ceiling' },
  ],
});

describe('code node helpers', () => {
  it('reads and writes session state, participant data and temp state (read-your-writes)', async () => {
    const result = await run(
      {
        code: `function main(input, ctx) {
          set_session_state('step', 2);
          append_session_state('seen', input);
          const visits = increment_participant_data('visits');
          increment_participant_data('visits', 10);
          set_temp_state('scratch', { a: 1 });
          return { step: get_session_state('step'), visits, total: get_participant_data('visits'),
                   scratch: get_temp_state('scratch'), all: get_participant_data(), missing: get_session_state('nope') };
        }`,
      },
      { input: 'hello', state: { session: { seen: ['earlier'] }, participant: { name: 'Ada' } } },
    );
    expect(result.output).toEqual({
      step: 2,
      visits: 1,
      total: 11,
      scratch: { a: 1 },
      all: { name: 'Ada', visits: 11 },
      missing: null,
    });
    expect(result.state.session).toEqual({ seen: ['earlier', 'hello'], step: 2 });
    expect(result.writes).toContainEqual({ scope: 'participant', key: 'visits', op: 'increment', by: 10 });
  });

  it('tags, ends the conversation and reads other nodes’ outputs', async () => {
    const result = await run(
      {
        code: `function main(input) {
          add_tag('vip'); add_tag('escalated', 'conversation'); end_conversation('done');
          return get_node_output('classifier');
        }`,
      },
      {
        inputs: [
          { from: 'classifier', port: 'out', value: { label: 'billing' } },
          { from: 'other', port: 'out', value: 'x' },
        ],
      },
    );
    expect(result.output).toEqual({ label: 'billing' });
    expect(result.tags).toEqual([
      { name: 'vip', scope: 'reply' },
      { name: 'escalated', scope: 'conversation' },
    ]);
    expect(result.ended).toBe('done');
  });

  it('aborts the run with the message, even when the code catches the stop', async () => {
    const result = await run({
      code: 'function main() { try { abort_with_message("Please call us instead.") } catch (e) {} return "ignored" }',
    });
    expect(result.aborted).toBe('Please call us instead.');
  });

  it('routes: a declared route is followed, none or an unknown one fails the node, no routes leaves by out', async () => {
    const routes = ['yes', 'no'];
    expect((await run({ code: 'function main() { route("no"); return 1 }', routes })).routes).toEqual(['no']);
    await expect(run({ code: 'function main() { return 1 }', routes })).rejects.toThrow(/must call route\(\)/);
    await expect(run({ code: 'function main() { route("maybe") }', routes })).rejects.toThrow(/route must be one of/);
    expect((await run({ code: 'function main() { return 1 }' })).routes).toEqual(['out']);
    await expect(run({ code: 'function main() { route("x") }' })).rejects.toThrow(/needs routes declared/);
  });

  it('fails with the guest message and line, not retryable', async () => {
    const error = await run({
      code: 'function main(input) {\n  console.log("about to fail");\n  return input.missing.field;\n}',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/^the code failed \(line 3\): TypeError/);
    expect((error as Error).message).toContain('about to fail');
    await expect(run({ code: 'function main() {\n  return [1,\n}' })).rejects.toThrow(/does not parse \(line \d\)/);
  });

  it('stops an endless loop by its budget', async () => {
    await expect(run({ code: 'function main() { while (true) {} }', limits: { instructions: 200 } })).rejects.toThrow(
      /took too long/,
    );
  });

  it('returns the logs with the value when asked', async () => {
    const result = await run({
      code: 'function main() { log("a", 1); console.log({ b: 2 }); return 3 }',
      returnLogs: true,
    });
    expect(result.output).toEqual({ value: 3, logs: ['a 1', '{"b":2}'] });
  });
});

describe('code node http', () => {
  // The allow-list names public hosts; this fetch sends them to the loopback fake, as DNS would send them away.
  const toFake: typeof fetch = (input, init) =>
    fetch(new Request(input, init).url.replace('https://api.example.com', echo), init);
  const http = { allowedHosts: ['api.example.com'], maxRequests: 2 };

  it('GETs and POSTs allowed hosts through the services fetch, JSON parsed', async () => {
    const result = await runNodeKind(codeNode, {
      settings: {
        http,
        code: `async function main() {
          const got = await http.get('https://api.example.com/echo?q=1', { headers: { 'x-key': 'k' } });
          const posted = await http.post('https://api.example.com/echo', { n: 1 });
          return { status: got.status, query: got.json.query, key: got.json.headers['x-key'],
                   method: posted.json.method, body: posted.json.body, type: posted.json.headers['content-type'] };
        }`,
      },
      services: services(toFake),
    });
    expect(result.output).toEqual({
      status: 200,
      query: { q: '1' },
      key: 'k',
      method: 'POST',
      body: '{"n":1}',
      type: 'application/json',
    });
  });

  it('refuses hosts outside the allow-list and calls past the limit, as catchable errors', async () => {
    const result = await runNodeKind(codeNode, {
      settings: {
        http,
        code: `async function main() {
          const errors = [];
          try { await http.get('https://evil.example.org/') } catch (e) { errors.push(e.message) }
          await http.get('https://api.example.com/text');
          const text = (await http.get('https://api.example.com/text')).text;
          try { await http.get('https://api.example.com/text') } catch (e) { errors.push(e.message) }
          return { errors, text };
        }`,
      },
      services: services(toFake),
    });
    expect(result.output).toEqual({
      errors: [
        'host evil.example.org is not in this node\u2019s allowed hosts'.replace('\u2019', "'"),
        'at most 2 http requests per run',
      ],
      text: 'plain words',
    });
  });

  it('has no network without settings.http, and bounds the response', async () => {
    await expect(
      runNodeKind(codeNode, {
        settings: { code: 'async function main() { return await http.get("https://api.example.com/echo") }' },
        services: services(toFake),
      }),
    ).rejects.toThrow(/no http access/);
    await expect(
      runNodeKind(codeNode, {
        settings: { http, code: 'async function main() { return await http.get("https://api.example.com/big") }' },
        services: services(toFake),
      }),
    ).rejects.toThrow(/larger than 65536 bytes/);
  });
});
