/**
 * Every preset runs the provider contract against the fake OpenAI server as that preset's server
 * (fake/compatible.ts: its auth header, path and field names), then the wire details each preset declares.
 */
import { describe, expect, it } from 'vitest';
import { runProviderContract } from '../../../sdk/contracts/provider.contract.ts';
import type { ChatStreamEvent, PluginContext, ProviderPlugin } from '../../../sdk/index.ts';
import { fakeClock } from '../../../sdk/testing/fakes.ts';
import { fakeBaseUrl, recordingFetch, type SentRequest } from '../testing.ts';
import { openaiCompatibleProviders } from './index.ts';

/** The fake's host name for each preset (fake/compatible.ts). */
const HOST: Record<string, string> = { 'azure-openai': 'azure', 'llama-cpp': 'llamacpp' };

/** Settings pointing `plugin` at the fake's `/compat/<host>` mount, with the key the fake accepts. */
function settingsFor(plugin: ProviderPlugin, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const origin = new URL(fakeBaseUrl()).origin;
  const host = HOST[plugin.id] ?? plugin.id;
  const baseUrl = host === 'azure' ? `${origin}/compat/azure` : `${origin}/compat/${host}/v1`;
  const apiKey = isLocal(plugin) ? '' : 'test-key';
  return plugin.settings.parse({ apiKey, baseUrl, maxRetries: 0, ...overrides });
}

const isLocal = (plugin: ProviderPlugin) => ['ollama', 'vllm', 'llama-cpp'].includes(plugin.id);

function recordingContext(
  plugin: ProviderPlugin,
  overrides: Record<string, unknown> = {},
  signal = new AbortController().signal,
): { ctx: PluginContext<Record<string, unknown>>; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const ctx = { settings: settingsFor(plugin, overrides), fetch: recordingFetch(sent), clock: fakeClock(), signal };
  return { ctx, sent };
}

async function chatOnce(plugin: ProviderPlugin, parameters: Record<string, unknown>) {
  const { ctx, sent } = recordingContext(plugin);
  const events: ChatStreamEvent[] = [];
  const request = {
    model: plugin.defaultModel,
    messages: [{ role: 'user' as const, content: `Hello ${crypto.randomUUID()}` }],
    parameters: plugin.parameters(plugin.defaultModel).parse(parameters),
  };
  for await (const event of plugin.chat(ctx, request)) events.push(event);
  return { events, sent };
}

for (const plugin of openaiCompatibleProviders) {
  runProviderContract(plugin, {
    label: `${plugin.id} preset against the fake`,
    context: ({ signal, clock }) => ({ ...recordingContext(plugin, {}, signal).ctx, clock }),
    truncation: { parameters: { maxTokens: 3 }, maxOutputTokens: 3 },
    deterministic: true,
    visionReply: /^I see 1 image \(image\/png\)\./,
  });
}

const byId = (id: string): ProviderPlugin => {
  const plugin = openaiCompatibleProviders.find((candidate) => candidate.id === id);
  if (!plugin) throw new Error(`no preset ${id}`);
  return plugin;
};

describe('OpenAI-compatible presets on the wire', () => {
  it('send a Bearer key to the preset base URL and report the preset as the provider', async () => {
    const { events, sent } = await chatOnce(byId('groq'), { temperature: 0.2 });
    expect(sent[0]?.url).toMatch(/\/compat\/groq\/v1\/chat\/completions$/);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-key');
    expect(events[0]).toMatchObject({ type: 'metadata', metadata: { provider: 'groq' } });
  });

  it('Azure: the api-key header, the deployment path and the api-version query, no Authorization', async () => {
    const { events, sent } = await chatOnce(byId('azure-openai'), {});
    const url = new URL(sent[0]?.url ?? '');
    expect(url.pathname).toMatch(/\/compat\/azure\/openai\/deployments\/gpt-4o-mini\/chat\/completions$/);
    expect(url.searchParams.get('api-version')).toBe('2024-10-21');
    expect(sent[0]?.headers.get('api-key')).toBe('test-key');
    expect(sent[0]?.headers.get('authorization')).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('Azure offers each configured deployment as a model', async () => {
    const { ctx } = recordingContext(byId('azure-openai'), { deployments: 'gpt-4o-mini, chat-prod ,gpt-4o-mini' });
    expect((await byId('azure-openai').models(ctx)).map((model) => model.id)).toEqual(['gpt-4o-mini', 'chat-prod']);
  });

  it('Mistral: the seed goes out as random_seed, which the fake requires', async () => {
    const { events, sent } = await chatOnce(byId('mistral'), { seed: 7 });
    expect(sent[0]?.body).toMatchObject({ random_seed: 7 });
    expect(sent[0]?.body).not.toHaveProperty('seed');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('leave out the parameters a server refuses, so they are rejected before any request', () => {
    expect(byId('deepseek').parameters('deepseek-chat').safeParse({ seed: 1 }).success).toBe(false);
    expect(byId('perplexity').parameters('sonar').safeParse({ stop: 'END' }).success).toBe(false);
    expect(byId('perplexity').parameters('sonar').safeParse({ temperature: 0.5 }).success).toBe(true);
    expect(byId('groq').parameters('llama-3.3-70b-versatile').safeParse({ seed: 1 }).success).toBe(true);
  });

  it('local servers need no key and send no Authorization header; cloud presets require one', async () => {
    for (const id of ['ollama', 'vllm', 'llama-cpp']) {
      const { sent } = await chatOnce(byId(id), {});
      expect(sent[0]?.headers.get('authorization'), id).toBeNull();
    }
    for (const id of ['groq', 'deepseek', 'mistral', 'openrouter', 'together', 'perplexity', 'azure-openai']) {
      const parsed = byId(id).settings.safeParse({ baseUrl: 'https://example.test/v1' });
      expect(parsed.success, id).toBe(false);
      expect(
        parsed.error?.issues.map((issue) => issue.path.join('.')),
        id,
      ).toContain('apiKey');
    }
  });

  it('default to the vendor base URL and list the models the server serves', async () => {
    expect(byId('groq').settings.parse({ apiKey: 'k' })).toMatchObject({ baseUrl: 'https://api.groq.com/openai/v1' });
    expect(byId('ollama').settings.parse({})).toMatchObject({ baseUrl: 'http://localhost:11434/v1', apiKey: '' });
    const { ctx } = recordingContext(byId('ollama'));
    expect((await byId('ollama').models(ctx)).map((model) => model.id)).toEqual(['llama3.2', 'qwen2.5:7b']);
  });

  it('name what failed without the key: a wrong key is a readable 401', async () => {
    const plugin = byId('together');
    const { ctx } = recordingContext(plugin, { apiKey: 'wrong-key-123456789' });
    const request = {
      model: plugin.defaultModel,
      messages: [{ role: 'user' as const, content: 'Hi' }],
      parameters: {},
    };
    const failure = (async () => {
      for await (const _ of plugin.chat(ctx, request)) {
        // drain
      }
    })();
    await expect(failure).rejects.toThrow(/OpenAI-compatible API at 127\.0\.0\.1:\d+ error 401/);
    await failure.catch((error: Error) => expect(error.message).not.toContain('wrong-key-123456789'));
  });
});
