import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { type ConversationMeta, loadDefinition } from './meta.ts';

const metaOf = (teamId: string, chatbotId: string, chatbotVersionId: string): ConversationMeta => ({
  teamId,
  chatbotId,
  conversationId: 'conv_meta_test',
  chatbotVersionId,
});

async function versionOf(chatbotId: string, status: 'draft' | 'published') {
  const row = await database(env.DB).query.chatbotVersions.findFirst({
    where: and(eq(chatbotVersions.chatbotId, chatbotId), eq(chatbotVersions.status, status)),
  });
  if (!row) throw new Error(`no ${status} version`);
  return row;
}

/** A row changed behind the API's back, so a second load tells a cache hit from a D1 read. */
const overwrite = (id: string, marker: string) =>
  database(env.DB)
    .update(chatbotVersions)
    .set({ definition: { marker } as unknown as AnyDefinition })
    .where(eq(chatbotVersions.id, id));

describe('loadDefinition', () => {
  it('reads a published version from D1 once per isolate, a draft every time, and never across teams', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const published = await versionOf(demo.chatbotId, 'published');
    const first = await loadDefinition(env, metaOf(demo.teamId, demo.chatbotId, published.id));
    expect(first.definition).toEqual(published.definition);
    await overwrite(published.id, 'changed in D1');
    // Published versions are immutable through the API: the isolate's copy is the one D1 held.
    const second = await loadDefinition(env, metaOf(demo.teamId, demo.chatbotId, published.id));
    expect(second.definition).toEqual(published.definition);

    const draft = await versionOf(demo.chatbotId, 'draft');
    expect((await loadDefinition(env, metaOf(demo.teamId, demo.chatbotId, draft.id))).knowledge).toBeNull();
    await overwrite(draft.id, 'edited draft');
    const edited = await loadDefinition(env, metaOf(demo.teamId, demo.chatbotId, draft.id));
    expect(edited.definition).toEqual({ marker: 'edited draft' });

    // The cache is keyed by team too: another team naming this version id is refused, as D1 refuses it.
    await expect(loadDefinition(env, metaOf(other.teamId, demo.chatbotId, published.id))).rejects.toMatchObject({
      status: 409,
    });
  });
});
