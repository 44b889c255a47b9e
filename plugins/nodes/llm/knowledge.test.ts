import { describe, expect, it } from 'vitest';
import { CITE_BY_NUMBER, type RetrievedChunk } from '../../sdk/index.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { llmNodeKind } from './index.ts';
import { SEARCH_TOOL } from './knowledge.ts';

const base = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: 'Be brief.',
  parameters: {},
  tools: [],
  maxToolSteps: 2,
};

const chunk = (n: number, collectionId = 'kcol_a'): RetrievedChunk => ({
  n,
  collectionId,
  documentId: `kdoc_${n}`,
  documentTitle: `Manual ${n}`,
  chunkKey: `key${n}`,
  ordinal: 0,
  text: `Fact number ${n}.`,
  context: '',
  score: 1 / n,
});

const collections = [
  { collectionId: 'kcol_a', name: 'Manuals', summary: 'How to use the routers' },
  { collectionId: 'kcol_b', name: 'Policies', summary: 'Refunds and shipping' },
];

describe('llm node knowledge', () => {
  it('choose all: searches with the input and puts numbered sources and the citation rule in the system prompt', async () => {
    const services = fakeNodeServices({ knowledge: { collections, search: () => [chunk(1), chunk(2)] } });
    await runNodeKind(llmNodeKind, {
      settings: { ...base, knowledge: { collectionIds: ['kcol_a', 'kcol_b'], topK: 3 } },
      input: 'how do I reset?',
      services,
    });
    expect(services.searches).toEqual([
      expect.objectContaining({
        collectionIds: ['kcol_a', 'kcol_b'],
        query: 'how do I reset?',
        topK: 3,
        mode: 'hybrid',
        revision: 'pinned',
      }),
    ]);
    const [call] = services.chats;
    expect(call?.system).toBe(
      `Be brief.\n\nSources:\n[1] Manual 1\nFact number 1.\n\n[2] Manual 2\nFact number 2.\n\n${CITE_BY_NUMBER}`,
    );
    expect(call?.sources?.map((source) => source.n)).toEqual([1, 2]);
    expect(call?.hostTools).toBeUndefined();
  });

  it('choose all searches with the node input, not the prompt built around it', async () => {
    const services = fakeNodeServices({ knowledge: { search: () => [] } });
    await runNodeKind(llmNodeKind, {
      settings: { ...base, prompt: 'Answer politely: {{input}}', knowledge: { collectionIds: ['kcol_a'] } },
      input: 'refund window',
      services,
    });
    expect(services.searches[0]?.query).toBe('refund window');
    expect(services.chats[0]?.system).toBe('Be brief.\n\nSources: none were found for this question.');
    expect(services.chats[0]?.sources).toEqual([]);
  });

  it('choose all without citations: the sources are in the prompt but not the call’s citable sources', async () => {
    const services = fakeNodeServices({ knowledge: { search: () => [chunk(1)] } });
    await runNodeKind(llmNodeKind, {
      settings: { ...base, knowledge: { collectionIds: ['kcol_a'], citations: false } },
      input: 'q',
      services,
    });
    expect(services.chats[0]?.system).toBe('Be brief.\n\nSources:\n[1] Manual 1\nFact number 1.');
    expect(services.chats[0]?.sources).toBeUndefined();
  });

  it('choose model: offers search_knowledge over the collections by name and summary; its searches are the sources', async () => {
    const services = fakeNodeServices({
      knowledge: { collections, search: (request) => [chunk(request.collectionIds[0] === 'kcol_b' ? 7 : 1)] },
      llm: async (request) => {
        const tool = request.hostTools?.[0];
        const output = await tool?.run({ collection: 'kcol_b', query: 'refund window' }, new AbortController().signal);
        return { text: `Thirty days [7]. (${String(output)})` };
      },
    });
    const result = await runNodeKind(llmNodeKind, {
      settings: { ...base, knowledge: { collectionIds: ['kcol_a', 'kcol_b'], choose: 'model', topK: 2 } },
      input: 'refunds?',
      services,
    });
    const [call] = services.chats;
    const tool = call?.hostTools?.[0];
    expect(tool?.name).toBe(SEARCH_TOOL);
    expect(tool?.parameters).toMatchObject({
      required: ['collection', 'query'],
      properties: { collection: { type: 'string', enum: ['kcol_a', 'kcol_b'] } },
    });
    const description = JSON.stringify(tool?.parameters);
    expect(description).toContain('kcol_a: Manuals (How to use the routers)');
    expect(description).toContain('kcol_b: Policies (Refunds and shipping)');
    expect(call?.system).toContain(SEARCH_TOOL);
    expect(call?.system).toContain(CITE_BY_NUMBER);
    expect(services.searches).toEqual([
      expect.objectContaining({ collectionIds: ['kcol_b'], query: 'refund window', topK: 2 }),
    ]);
    // Filled in by the tool during the call: the host reads them when the call ends.
    expect(call?.sources?.map((source) => source.n)).toEqual([7]);
    expect(result.output).toBe('Thirty days [7]. ([7] Manual 7\nFact number 7.)');
  });

  it('breaks prompt variables in retrieved text, so a document cannot pull participant data into the prompt', async () => {
    const planted = { ...chunk(1), text: 'Hello {{participant.email}}' };
    const services = fakeNodeServices({ knowledge: { search: () => [planted] } });
    await runNodeKind(llmNodeKind, {
      settings: { ...base, knowledge: { collectionIds: ['kcol_a'] } },
      input: 'q',
      services,
    });
    expect(services.chats[0]?.system).toContain('Hello {\u200b{participant.email}}');
    expect(services.chats[0]?.system).not.toContain('{{');
  });

  it('references its collections next to the credential', () => {
    const parsed = llmNodeKind.settings.parse({
      ...base,
      credentialId: 'cred_1',
      knowledge: { collectionIds: ['kcol_a', 'kcol_b'] },
    });
    expect(llmNodeKind.references?.(parsed)).toEqual([
      { type: 'credential', id: 'cred_1', path: 'credentialId' },
      { type: 'collection', id: 'kcol_a', path: 'knowledge.collectionIds[0]' },
      { type: 'collection', id: 'kcol_b', path: 'knowledge.collectionIds[1]' },
    ]);
  });

  it('refuses a knowledge setting without collections or with an unknown choice', () => {
    expect(llmNodeKind.settings.safeParse({ ...base, knowledge: { collectionIds: [] } }).success).toBe(false);
    expect(
      llmNodeKind.settings.safeParse({ ...base, knowledge: { collectionIds: ['a'], choose: 'random' } }).success,
    ).toBe(false);
  });
});
