import { env } from 'cloudflare:test';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from './schema/index.ts';

const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

describe('D1 migrations', () => {
  it('create every table, column and index of the drizzle schema (a schema change without `npm run db:generate` fails here)', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(12);
    for (const table of tables) {
      const config = getTableConfig(table);
      const { results: columns } = await env.DB.prepare(`PRAGMA table_info(${config.name})`).all<{
        name: string;
        notnull: number;
      }>();
      expect(columns.map((column) => column.name).sort(), config.name).toEqual(
        config.columns.map((column) => column.name).sort(),
      );
      for (const column of config.columns) {
        expect(columns.find((c) => c.name === column.name)?.notnull, `${config.name}.${column.name}`).toBe(
          column.notNull || column.primary ? 1 : 0,
        );
      }
      const { results: indexes } = await env.DB.prepare(`PRAGMA index_list(${config.name})`).all<{ name: string }>();
      for (const index of config.indexes)
        expect(
          indexes.map((i) => i.name),
          config.name,
        ).toContain(index.config.name);
    }
  });

  it('enforce the constraints the code relies on', async () => {
    const now = Date.now();
    await env.DB.prepare("INSERT INTO teams (id, slug, name, created_at) VALUES ('team_mig', 'mig', 'M', ?)")
      .bind(now)
      .run();
    await expect(
      env.DB.prepare("INSERT INTO teams (id, slug, name, created_at) VALUES ('team_mig2', 'mig', 'M', ?)")
        .bind(now)
        .run(),
    ).rejects.toThrow(/UNIQUE/);
    // Foreign keys are on in D1: a chatbot for a missing team is refused.
    await expect(
      env.DB.prepare(
        "INSERT INTO chatbots (id, team_id, slug, name, created_at, updated_at) VALUES ('bot_mig', 'team_missing', 's', 'n', ?, ?)",
      )
        .bind(now, now)
        .run(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});
