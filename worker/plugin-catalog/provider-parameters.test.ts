import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';

describe('GET /api/v1/providers/{providerId}/parameters', () => {
  it("answers the JSON Schema of a model's parameters with their ranges, for the chatbot editor's form", async () => {
    const demo = await seedDemo();
    const res = await api.get(demo.apiKey, '/api/v1/providers/openai/parameters?model=gpt-4o-mini');
    expect(res.status).toBe(200);
    const { schema } = (await res.json()) as {
      schema: { properties: Record<string, { minimum?: number; maximum?: number }> };
    };
    expect(schema.properties.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect((await api.get(demo.apiKey, '/api/v1/providers/nope/parameters?model=x')).status).toBe(404);
    expect((await api.get(demo.apiKey, '/api/v1/providers/openai/parameters')).status).toBe(400);
    expect((await api.anonymous('/api/v1/providers/openai/parameters?model=x')).status).toBe(401);
  });
});
