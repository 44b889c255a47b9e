import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installed } from './registry.ts';
import { settingsJsonSchema } from './sdk/define.ts';
import { titled } from './sdk/titles.ts';

describe('settings titles', () => {
  it('gives every setting of every installed plugin a human title and keeps its description', () => {
    for (const plugin of installed) {
      const properties = (settingsJsonSchema(plugin).properties ?? {}) as Record<string, { title?: string }>;
      for (const [key, property] of Object.entries(properties)) {
        expect(property.title, `${plugin.id}.${key}`).toMatch(/^[A-Z]/);
      }
    }
    const telegram = installed.find((plugin) => plugin.id === 'telegram');
    const properties = (telegram && settingsJsonSchema(telegram).properties) as Record<string, object>;
    expect(properties.apiBaseUrl).toMatchObject({
      title: 'Bot API base URL',
      description: expect.stringMatching(/local/),
    });
  });

  it('keeps validation and defaults', () => {
    const schema = titled(z.object({ n: z.number().min(1).default(2).describe('n') }), { n: 'Number' });
    expect(schema.parse({})).toEqual({ n: 2 });
    expect(schema.safeParse({ n: 0 }).success).toBe(false);
    expect(z.toJSONSchema(schema, { io: 'input' }).properties?.n).toMatchObject({ title: 'Number', description: 'n' });
  });
});
