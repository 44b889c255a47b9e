import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiKey } from '../../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';
import { teamReferenceResolver } from '../../chatbots/pipeline-checks.ts';
import { collectionsGone } from '../../chatbots/publish-pins.ts';
import { findChatbot } from '../../chatbots/store.ts';
import { call, definitionWith } from '../../chatbots/testing.ts';
import { publishDraft } from '../../chatbots/versions.ts';
import { loadDefinition } from '../../conversation/meta.ts';
import { database } from '../../db/client.ts';
import { chatbotVersions, knowledgeCollections } from '../../db/schema/index.ts';
import type { AnyDefinition } from '../../pipelines/definition.ts';
import { kindRegistry } from '../../pipelines/kinds.ts';
import { DEFAULT_PORT, defineNodeKind } from '../../pipelines/node-kind.ts';
import { lowestPinnedRevision, pruneFloor } from './after-publish.ts';
import { computePins } from './compute.ts';
import { collectionReferences } from './references.ts';
import { KNOWLEDGE_PINS_META_KEY, type KnowledgePins } from './types.ts';

/** A node kind that searches collections, as the retrieval node declares them (`references()` of type collection). */
const searcher = defineNodeKind({
  id: 'searcher',
  displayName: 'Searcher (test)',
  description: 'test',
  settings: z.strictObject({ collectionIds: z.array(z.string()) }),
  inputs: 'any',
  output: 'any',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  references: (settings) =>
    settings.collectionIds.map((id, i) => ({ type: 'collection' as const, id, path: `collectionIds[${i}]` })),
  run: (ctx) => ctx.input,
});
const kinds = kindRegistry(searcher);

const pipelineUsing = (...nodes: string[][]) =>
  ({
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      ...nodes.map((collectionIds, i) => ({ id: `s${i}`, kind: 'searcher', settings: { collectionIds } })),
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  }) as unknown as AnyDefinition;

async function team() {
  const demo = await seedDemo();
  const admin = await createApiKey(demo.teamId, ['admin']);
  const collection = async (name: string, description = '') => {
    const res = await call(admin, 'POST', '/api/v1/knowledge/collections', { name, description });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  return { ...demo, admin, collection };
}

const setRevision = (id: string, revision: number) =>
  database(env.DB)
    .update(knowledgeCollections)
    .set({ revision, nextRevision: revision })
    .where(eq(knowledgeCollections.id, id));

describe('knowledge pins at publish', () => {
  it('finds every collection a definition references, once, in first-use order; v1 references none', () => {
    expect(collectionReferences(pipelineUsing(['c2', 'c1'], ['c1', 'c3']), kinds)).toEqual(['c2', 'c1', 'c3']);
    // Settings that do not parse reference nothing (publishing refuses such a draft first).
    const broken = pipelineUsing(['c1']) as { nodes: { settings: unknown }[] };
    (broken.nodes[1] as { settings: unknown }).settings = { collectionIds: 'c1' };
    expect(collectionReferences(broken as unknown as AnyDefinition, kinds)).toEqual([]);
    expect(collectionReferences(definitionWith() as AnyDefinition, kinds)).toEqual([]);
  });

  it('pins each referenced collection of the team at its published revision; another team’s reads as missing', async () => {
    const [mine, theirs] = [await team(), await team()];
    const manuals = await mine.collection('Manuals', 'How the product works');
    const faq = await mine.collection('FAQ');
    const foreign = await theirs.collection('Secret');
    await setRevision(manuals, 3);
    const db = database(env.DB);
    const { pins, missing } = await computePins(db, mine.teamId, [manuals, faq, foreign]);
    expect(missing).toEqual([foreign]);
    expect(pins[manuals]).toEqual({
      collectionId: manuals,
      name: 'Manuals',
      summary: 'How the product works',
      revision: 3,
      embedder: { pluginId: 'offline-embedder', model: 'hash-1024', dimensions: 1024 },
      fetchK: 40,
      denseWeight: 0.7,
      rrfK: 60,
    });
    expect(pins[faq]?.revision).toBe(0);
    // The editor's reference check knows collections now, scoped to the team.
    const exists = await teamReferenceResolver(db, mine.teamId).exists([
      { type: 'collection', id: manuals, path: 'collectionIds[0]' },
      { type: 'collection', id: foreign, path: 'collectionIds[1]' },
    ]);
    expect(exists).toEqual([true, false]);
  });

  it('stores the pins with the version, shows them in the API and the diff, and copies them into conversations', async () => {
    const mine = await team();
    const manuals = await mine.collection('Manuals');
    await setRevision(manuals, 2);
    const db = database(env.DB);
    const chatbot = await findChatbot(db, mine.teamId, mine.chatbotId);
    const definition = definitionWith() as AnyDefinition;
    const first = await computePins(db, mine.teamId, [manuals]);
    const v1 = await publishDraft(db, chatbot, 'pinned', definition, first.pins);
    expect(v1?.knowledge).toEqual(first.pins);
    const path = `/api/v1/chatbots/${mine.chatbotId}/versions`;
    const shown = await call(mine.apiKey, 'GET', `${path}/${v1?.number}`);
    expect(shown.body.knowledge).toEqual({ [manuals]: { revision: 2, name: 'Manuals' } });
    expect((await call(mine.apiKey, 'GET', `${path}/0`)).body.knowledge).toEqual({});

    await setRevision(manuals, 5);
    const second = await computePins(db, mine.teamId, [manuals]);
    const v2 = await publishDraft(db, chatbot, 'moved', definition, second.pins);
    const diff = await call(mine.apiKey, 'GET', `${path}/diff?from=${v1?.number}&to=${v2?.number}`);
    expect(diff.body.knowledge).toEqual([{ path: `knowledge.${manuals}.revision`, from: 2, to: 5 }]);

    // A conversation of the published version keeps its pins; the draft's (the test chat) stores none.
    const published = await loadDefinition(env, { teamId: mine.teamId, chatbotVersionId: v2?.id } as Parameters<
      typeof loadDefinition
    >[1]);
    expect(published.knowledge).toEqual(second.pins);
    const conversation = await call(mine.apiKey, 'POST', '/api/v1/conversations', { chatbotId: mine.chatbotId });
    const draftChat = await call(mine.admin, 'POST', '/api/v1/conversations', {
      chatbotId: mine.chatbotId,
      version: 0,
    });
    for (const id of [conversation.body.id, draftChat.body.id] as string[]) {
      const sent = await call(mine.apiKey, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'hello' });
      expect(sent.status).toBe(201);
    }
    const metaOf = (id: string) =>
      runInDurableObject(env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id)), (_i, state) =>
        state.storage.sql
          .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', KNOWLEDGE_PINS_META_KEY)
          .toArray()
          .map((row) => JSON.parse(row.value) as KnowledgePins),
      );
    expect(await metaOf(conversation.body.id as string)).toEqual([second.pins]);
    expect(await metaOf(draftChat.body.id as string)).toEqual([]);
  });

  it('keeps every version’s pins for pruning: the lowest pin of the team, or the published revision when none', async () => {
    const [mine, theirs] = [await team(), await team()];
    const manuals = await mine.collection('Manuals');
    const db = database(env.DB);
    expect(await lowestPinnedRevision(env, mine.teamId, manuals)).toBeNull();
    expect(await pruneFloor(env, { teamId: mine.teamId, id: manuals }, 7)).toBe(7);
    const chatbot = await findChatbot(db, mine.teamId, mine.chatbotId);
    const versionIds: string[] = [];
    for (const revision of [4, 6]) {
      await setRevision(manuals, revision);
      const { pins } = await computePins(db, mine.teamId, [manuals]);
      const version = await publishDraft(db, chatbot, '', definitionWith() as AnyDefinition, pins);
      versionIds.push(version?.id ?? '');
    }
    expect(await lowestPinnedRevision(env, mine.teamId, manuals)).toBe(4);
    expect(await pruneFloor(env, { teamId: mine.teamId, id: manuals }, 7)).toBe(4);
    // Another team's versions never count (and cannot name this collection anyway).
    expect(await lowestPinnedRevision(env, theirs.teamId, manuals)).toBeNull();
    // The version pinning 4 goes: the floor moves up to the next pin.
    await db
      .delete(chatbotVersions)
      .where(and(eq(chatbotVersions.id, versionIds[0] ?? ''), eq(chatbotVersions.teamId, mine.teamId)));
    expect(await lowestPinnedRevision(env, mine.teamId, manuals)).toBe(6);
  });

  it('refuses to publish when a referenced collection is gone: 409 draft_invalid naming the setting', async () => {
    const mine = await team();
    const manuals = await mine.collection('Manuals');
    const faq = await mine.collection('FAQ');
    const db = database(env.DB);
    const chatbot = await findChatbot(db, mine.teamId, mine.chatbotId);
    const definition = pipelineUsing([manuals, faq]);
    const { pins } = await computePins(db, mine.teamId, [manuals, faq]);
    // Deleted between the pins' read and the batch: the batch publishes nothing.
    const before = await call(mine.apiKey, 'GET', `/api/v1/chatbots/${mine.chatbotId}`);
    const deleted = await SELF.fetch(
      `${BASE}/api/v1/knowledge/collections/${faq}`,
      authed(mine.admin, { method: 'DELETE' }),
    );
    expect(deleted.status).toBe(204);
    expect(await publishDraft(db, chatbot, '', definition, pins)).toBeNull();
    const after = await call(mine.apiKey, 'GET', `/api/v1/chatbots/${mine.chatbotId}`);
    expect(after.body.publishedVersion).toBe(before.body.publishedVersion);
    const error = collectionsGone(definition, [faq], kinds);
    expect(error.status).toBe(409);
    expect(error.code).toBe('draft_invalid');
    expect(error.details).toEqual([
      { field: 'draft.definition.nodes[1].settings.collectionIds[1]', message: `no collection "${faq}" in this team` },
    ]);
    // A v1 draft references no collection: published with empty pins, through the API.
    const published = await call(mine.admin, 'POST', `/api/v1/chatbots/${mine.chatbotId}/versions`);
    expect(published.status).toBe(201);
    expect(published.body.knowledge).toEqual({});
  });
});
