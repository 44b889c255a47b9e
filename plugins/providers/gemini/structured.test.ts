import { describe, expect, it } from 'vitest';
import { validateJson } from '../../sdk/index.ts';
import { fakeGeminiUrl, runChat, TEST_KEY, testContext, textOf, user } from './testing.ts';

const schema = {
  type: 'object',
  properties: { route: { type: 'string', enum: ['billing', 'support'] }, urgent: { type: 'boolean' } },
  required: ['route', 'urgent'],
};

describe('gemini structured output', () => {
  it('asks for application/json with responseJsonSchema and streams JSON that satisfies the schema', async () => {
    const ctx = testContext();
    const { events, error } = await runChat(ctx, {
      model: 'gemini-2.5-flash',
      messages: [user('I need support with my login')],
      responseFormat: { type: 'json_schema', name: 'route', schema },
    });
    expect(error).toBeUndefined();
    const body = ctx.sent[0]?.body as { generationConfig: Record<string, unknown> };
    expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: schema });
    const answer = JSON.parse(textOf(events));
    expect(answer).toEqual({ route: 'support', urgent: false });
    expect(validateJson(schema, answer).valid).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('the fake refuses a schema without the JSON mime type, as the API does', async () => {
    const response = await fetch(`${fakeGeminiUrl()}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'x-goog-api-key': TEST_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        generationConfig: { responseJsonSchema: schema },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/response_mime_type: must be application\/json/);
  });
});
