import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { offlineReply, tokenize } from '../../plugins/providers/offline/reply.ts';
import { addChatbot, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import { fakeOpenAIChatbot, openaiClient, rejection, scopedKey } from './testing.ts';

const question = 'What is the capital of France?';
const expected = offlineReply([{ role: 'user', content: question }]);

describe('POST /v1/chat/completions (stateless)', () => {
  it('answers as a chat.completion object, with the requested model string and usage', async () => {
    const demo = await seedDemo();
    const completion = await openaiClient(demo.apiKey).chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: question }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('demo');
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: expected });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(tokenize(expected).length);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('answers from the whole client history and adds client system messages to the chatbot prompt', async () => {
    const demo = await seedDemo();
    const client = openaiClient(demo.apiKey);
    const messages = [
      { role: 'user' as const, content: 'Hello' },
      { role: 'assistant' as const, content: 'Hi there' },
      { role: 'user' as const, content: 'And again' },
    ];
    const plain = await client.chat.completions.create({ model: 'demo', messages });
    // The offline provider counts user messages: this is the second one of the client's history.
    expect(plain.choices[0]?.message.content).toContain('(message 2 of this conversation)');
    expect(plain.choices[0]?.message.content).toContain('“And again”');
    const withSystem = await client.chat.completions.create({
      model: 'demo',
      messages: [{ role: 'system', content: 'Answer in five words or fewer please.' }, ...messages],
    });
    // The chatbot's prompt stays and the client's is added: seven more prompt tokens, same reply.
    expect((withSystem.usage?.prompt_tokens ?? 0) - (plain.usage?.prompt_tokens ?? 0)).toBe(7);
    expect(withSystem.choices[0]?.message.content).toBe(plain.choices[0]?.message.content);
  });

  it('streams chat.completion.chunk frames: role first, content, finish reason, usage, then [DONE]', async () => {
    const demo = await seedDemo();
    const stream = await openaiClient(demo.apiKey).chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: question }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'demo')).toBe(true);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(expected);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(10);
    const finishes = chunks.flatMap((chunk) =>
      chunk.choices[0]?.finish_reason ? [chunk.choices[0].finish_reason] : [],
    );
    expect(finishes).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(tokenize(expected).length);
  });

  it('ends the raw stream with data: [DONE] and sends no usage chunk unless asked', async () => {
    const demo = await seedDemo();
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const body = await res.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    const frames = body.split('\n\n').filter(Boolean);
    expect(frames.every((frame) => frame.startsWith('data: '))).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('names chatbots by id, by slug and by slug@version; unknown versions and archived chatbots are 404', async () => {
    const demo = await seedDemo();
    const client = openaiClient(demo.apiKey);
    const ask = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask(demo.chatbotId)).model).toBe(demo.chatbotId);
    expect((await ask('demo@1')).choices[0]?.message.content).toContain('You said: “hi”');
    for (const model of ['demo@2', 'demo@0', 'nope']) {
      const error = await rejection(ask(model));
      expect(error.status).toBe(404);
      expect(error.code).toBe('model_not_found');
      expect(error.param).toBe('model');
    }
    await database(env.DB).update(chatbots).set({ archivedAt: Date.now() }).where(eq(chatbots.id, demo.chatbotId));
    expect((await rejection(ask('demo'))).status).toBe(404);
  });

  it("answers 404 for another team's chatbot", async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const error = await rejection(
      openaiClient(other.apiKey).chat.completions.create({
        model: demo.chatbotId,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
  });

  it('answers 401 without a key or with a wrong one, and 403 to a key without the chat scope', async () => {
    const demo = await seedDemo();
    const body = JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] });
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
    const json = (await res.json()) as { error: Record<string, unknown> };
    expect(json.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key', param: null });
    expect(typeof json.error.message).toBe('string');
    const request = { model: 'demo', messages: [{ role: 'user' as const, content: 'hi' }] };
    const wrong = await rejection(openaiClient('prl_wrong').chat.completions.create(request));
    expect(wrong.status).toBe(401);
    const readOnly = await scopedKey(demo.teamId, ['read']);
    const forbidden = await rejection(openaiClient(readOnly).chat.completions.create(request));
    expect(forbidden.status).toBe(403);
    expect(forbidden.code).toBe('forbidden');
  });

  it('answers 400 naming the field for bad bodies, client tools and parameters the model does not take', async () => {
    const demo = await seedDemo();
    const client = openaiClient(demo.apiKey);
    const user = [{ role: 'user' as const, content: 'hi' }];
    const cases: [() => Promise<unknown>, string][] = [
      [() => client.chat.completions.create({ model: 'demo' } as never), 'messages'],
      [
        () => client.chat.completions.create({ model: 'demo', messages: [{ role: 'robot', content: 'x' }] } as never),
        'messages[0].role',
      ],
      [
        () => client.chat.completions.create({ model: 'demo', messages: [{ role: 'system', content: 'x' }] }),
        'messages',
      ],
      [
        () =>
          client.chat.completions.create({
            model: 'demo',
            messages: user,
            tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
          }),
        'tools',
      ],
      [() => client.chat.completions.create({ model: 'demo', messages: user, top_p: 0.5 }), 'top_p'],
      [() => client.chat.completions.create({ model: 'demo', messages: user, temperature: 5 }), 'temperature'],
      [() => client.chat.completions.create({ model: 'demo', messages: user, max_tokens: 100_000 }), 'max_tokens'],
      [() => client.chat.completions.create({ model: 'demo', messages: user, n: 2 }), 'n'],
      [
        () =>
          client.chat.completions.create({
            model: 'demo',
            messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }],
          }),
        'messages[0].content',
      ],
    ];
    for (const [call, param] of cases) {
      const error = await rejection(call());
      expect([error.status, error.param]).toEqual([400, param]);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain(param);
    }
  });

  it('answers 400 in OpenAI format to a body that is not JSON', async () => {
    const demo = await seedDemo();
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: '{"model": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null } });
  });

  it('applies the client max_tokens and reports finish_reason length', async () => {
    const demo = await seedDemo();
    const completion = await openaiClient(demo.apiKey).chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: question }],
      max_completion_tokens: 3,
      temperature: 0.2,
    });
    expect(completion.choices[0]?.message.content).toBe(tokenize(expected).slice(0, 3).join(''));
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it("runs the chatbot's own tools server-side and reports the answer as a plain stop", async () => {
    const demo = await seedDemo();
    const chatbotId = await fakeOpenAIChatbot(demo.teamId, 'fake-tool', ['clock']);
    const client = openaiClient(demo.apiKey);
    const request = { model: chatbotId, messages: [{ role: 'user' as const, content: 'Europe/Paris' }] };
    const completion = await client.chat.completions.create(request);
    expect(completion.choices[0]?.message.content).toContain('Tool current_time returned');
    expect(completion.choices[0]?.message.content).toContain('Europe/Paris');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('Tool current_time returned');
  });

  it('reports provider failures as OpenAI errors, before and after the stream started', async () => {
    const demo = await seedDemo();
    const client = openaiClient(demo.apiKey);
    const failing = await fakeOpenAIChatbot(demo.teamId, 'fake-400');
    const before = await rejection(
      client.chat.completions.create({ model: failing, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(before.status).toBe(502);
    expect(before.code).toBe('provider_error');
    expect(JSON.stringify(before.error)).not.toContain('test-key');
    const unconfigured = await addChatbot(
      demo.teamId,
      simpleDefinition({
        providerId: 'openai',
        credentialId: 'cred_missing',
        model: 'gpt-4o',
        systemPrompt: '',
        parameters: {},
        tools: [],
        maxToolSteps: 1,
      }),
    );
    const setup = await rejection(
      client.chat.completions.create({ model: unconfigured, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect([setup.status, setup.code, setup.type]).toEqual([500, 'credential_missing', 'server_error']);
    const broken = await fakeOpenAIChatbot(demo.teamId, 'fake-stream-error');
    const stream = await client.chat.completions.create({
      model: broken,
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    let text = '';
    const during = await rejection(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(text).toBe('one ');
    expect(during.code).toBe('provider_error');
    expect(during.type).toBe('server_error');
  });
});
