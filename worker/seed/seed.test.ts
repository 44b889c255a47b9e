import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedSql } from '../../scripts/lib/seed-sql.ts';
import { authed, BASE } from '../../test/seed.ts';
import { buildDemoSeed } from './demo.ts';

describe('demo seed', () => {
  it('as the SQL script `npm start` runs, gives a working team, API key and published chatbot', async () => {
    const seed = await buildDemoSeed({
      encryptionKey: env.ENCRYPTION_KEY,
      variables: {},
      teamSlug: `seed-${crypto.randomUUID()}`,
      ownerEmail: `${crypto.randomUUID()}@parley.test`,
    });
    const statements = seedSql(seed.rows)
      .split(';\n')
      .filter((statement) => statement.trim());
    expect(statements.length).toBe(7);
    for (const statement of statements) await env.DB.prepare(statement).run();

    const res = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(seed.summary.apiKey));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { id: string; provider: { offline: boolean }; publishedVersion: number }[];
    };
    expect(data).toEqual([
      expect.objectContaining({
        id: seed.summary.chatbotId,
        publishedVersion: 1,
        provider: expect.objectContaining({ id: 'offline', offline: true }),
      }),
    ]);
    expect(seed.summary).toMatchObject({
      providerId: 'offline',
      widgetKey: expect.stringMatching(/^wk_/),
      ownerPassword: expect.stringMatching(/^parley-/),
    });
  });

  it('configures the first LLM key it finds, stored encrypted', async () => {
    const seed = await buildDemoSeed({
      encryptionKey: env.ENCRYPTION_KEY,
      variables: { ANTHROPIC_API_KEY: 'sk-ant-secret', GEMINI_API_KEY: 'g-secret' },
    });
    expect(seed.summary.providerId).toBe('anthropic');
    const [credential] = seed.rows.providerCredentials;
    expect(credential?.pluginId).toBe('anthropic');
    expect(JSON.stringify(seed.rows)).not.toContain('sk-ant-secret');
    expect(seedSql(seed.rows)).not.toContain('sk-ant-secret');
  });
});
