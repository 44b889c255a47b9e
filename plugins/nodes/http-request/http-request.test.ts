import { describe, expect, inject, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { NodeError } from '../../sdk/node/kind.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { httpRequestNode, httpRequestNodePlugin } from './index.ts';

const echo = inject('fakeServers')['http-echo'] as string;
const services = () =>
  fakeNodeServices({
    fetch: (input, init) => fetch(input, init),
    pluginSettings: { secrets: { token: 'sk-team-secret' } },
  });
const run = (settings: Record<string, unknown>, input: string | Record<string, string> = 'order-7') =>
  runNodeKind(httpRequestNode, { settings, input, services: services(), state: { session: { lang: 'fr' } } });
const failure = (settings: Record<string, unknown>) =>
  run(settings).then(
    () => {
      throw new Error('expected the node to fail');
    },
    (error: unknown) => error as NodeError,
  );

runNodeContract(httpRequestNodePlugin, {
  examples: [{ settings: { url: `${echo}/echo?id={{ input }}` }, input: 'a1', services }],
  invalidSettings: [
    { settings: {}, why: 'no url' },
    { settings: { url: 'x', method: 'TRACE' }, why: 'an unsupported method' },
    { settings: { url: 'x', headers: { 'bad header': 'v' } }, why: 'a header name with a space' },
    { settings: { url: 'x', resultKey: 'no spaces allowed' }, why: 'a run key the engine refuses' },
  ],
});

describe('http_request', () => {
  it('renders method, URL, headers and body from input, state and team secrets', async () => {
    const result = await run({
      method: 'POST',
      url: `${echo}/echo?order={{ input }}&lang={{ state.session.lang }}`,
      headers: { Authorization: 'Bearer {{ secrets.token }}', 'Content-Type': 'application/json' },
      body: '{"order": "{{ input }}", "from": "{{ run_input }}"}',
      resultKey: 'lookup',
    });
    const output = result.output as { status: number; json: Record<string, unknown>; headers: Record<string, string> };
    expect(output.status).toBe(200);
    expect(output.headers).toEqual({ 'content-type': 'application/json' });
    expect(output.json).toMatchObject({
      method: 'POST',
      query: { order: 'order-7', lang: 'fr' },
      headers: { authorization: 'Bearer sk-team-secret' },
      body: '{"order": "order-7", "from": "order-7"}',
    });
    expect(result.state.run.lookup).toEqual(result.output);
  });

  it('keeps text responses as text', async () => {
    const result = await run({ url: `${echo}/text` });
    expect(result.output).toMatchObject({ status: 200, text: 'plain words' });
  });

  it('fails at once on 4xx, retryably on 5xx and 429', async () => {
    const notFound = await failure({ url: `${echo}/status/404` });
    expect(notFound).toBeInstanceOf(NodeError);
    expect(notFound.retryable).toBe(false);
    expect(notFound.message).toMatch(/answered 404/);
    expect((await failure({ url: `${echo}/status/503` })).retryable).toBe(true);
    expect((await failure({ url: `${echo}/status/429` })).retryable).toBe(true);
  });

  it('bounds the response at 256 KB', async () => {
    expect((await failure({ url: `${echo}/big` })).message).toMatch(/larger than 262144 bytes/);
  });

  it('names the field of a broken template and never shows a secret in an error', async () => {
    expect((await failure({ url: `${echo}/echo?x={{ input` })).message).toMatch(/^url:/);
    const bad = await failure({ url: 'not a url {{ secrets.token }}' });
    expect(bad.message).toMatch(/not a URL/);
    expect(bad.message).not.toContain('sk-team-secret');
  });

  it('stops when its signal (the node timeout) fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('node timeout')), 50);
    const error = await runNodeKind(httpRequestNode, {
      settings: { url: `${echo}/slow` },
      services: services(),
      signal: controller.signal,
    }).catch((caught: unknown) => caught as NodeError);
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).retryable).toBe(true);
  });
});
