import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { CITATION_SNIPPET_CHARS, type Citation } from '../../plugins/sdk/citation.ts';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { knowledgeCollections, knowledgeDocuments } from '../db/schema/index.ts';
import { embedTexts } from '../knowledge/embed.ts';
import { knowledgeIndex } from '../knowledge/index/client.ts';
import { refOf } from '../knowledge/index/collection-ref.ts';
import type { KnowledgePins } from '../knowledge/pins/types.ts';
import type { PipelineDefinition } from '../pipelines/definition.ts';
import { RunKnowledge } from './pipeline-knowledge.ts';
import type { ConversationEvent, ConversationMessage } from './protocol.ts';

/** Retrieval in pipelines and citations on replies, through real turns, the real KnowledgeDO and real D1. */

const settings = { burstPolicy: 'queue' as const, welcomeMessage: '', starterQuestions: [] };
type Graph = Omit<PipelineDefinition, 'schemaVersion'>;

const ROUTER_RESET = 'To reset the router, hold the reset button for ten seconds until the light blinks.';
const ROUTER_LIGHT = 'The router light blinks orange while it updates its firmware; do not unplug it.';
const REFUNDS = 'Our refund policy gives you thirty days to return a product in its original packaging.';

interface Doc {
  title: string;
  text: string;
  page?: number;
  sourceUrl?: string;
  public?: boolean;
}

const id = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 26)}`;

/** A collection on the offline embedder, one chunk per document, indexed at `revision` as ingestion would. */
async function collection(teamId: string, name: string, docs: Doc[], revision = 1) {
  const db = database(env.DB);
  const now = Date.now();
  const [row] = await db
    .insert(knowledgeCollections)
    .values({
      id: id('kcol'),
      teamId,
      name,
      description: `Everything about ${name.toLowerCase()}`,
      embedderPluginId: 'offline-embedder',
      embeddingModel: 'hash-1024',
      dimensions: 1024,
      revision,
      nextRevision: revision,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error('no collection');
  const documentIds = docs.map(() => id('kdoc'));
  await db.insert(knowledgeDocuments).values(
    docs.map((doc, i) => ({
      id: documentIds[i] ?? '',
      teamId,
      collectionId: row.id,
      title: doc.title,
      source: doc.sourceUrl ? ('url' as const) : ('upload' as const),
      sourceUrl: doc.sourceUrl ?? null,
      fileKey: `knowledge/${teamId}/${row.id}/${documentIds[i]}/x`,
      contentType: 'application/pdf',
      format: 'pdf',
      bytes: 10,
      sha256: 'x',
      public: doc.public ?? false,
      status: 'ready' as const,
      ingestId: 'i',
      revision,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const ref = refOf(row);
  await addChunks(teamId, ref, revision, docs, documentIds);
  return { id: row.id, ref, documentIds };
}

async function addChunks(
  teamId: string,
  ref: ReturnType<typeof refOf>,
  revision: number,
  docs: Doc[],
  documentIds: string[],
) {
  const { vectors } = await embedTexts(
    env,
    teamId,
    ref.embedder,
    docs.map((doc) => doc.text),
    'document',
  );
  await knowledgeIndex(env).addChunks(
    ref,
    revision,
    docs.map((doc, i) => ({
      documentId: documentIds[i] ?? '',
      chunkKey: `chunk${i}r${revision}`,
      ordinal: i,
      text: doc.text,
      context: 'Guide',
      ...(doc.page !== undefined && { page: doc.page }),
      tokens: 20,
      vector: vectors[i] ?? new Float32Array(1024),
    })),
  );
}

const llm = (extra: Record<string, unknown> = {}) => ({
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
  ...extra,
});

async function bot(teamId: string, apiKey: string, graph: Graph, credential?: Parameters<typeof addChatbot>[2]) {
  const chatbotId = await addChatbot(
    teamId,
    { schemaVersion: 2, ...graph } as unknown as ChatbotDefinition,
    credential,
  );
  return startConversation(apiKey, chatbotId);
}

async function turn(apiKey: string, conversationId: string, text: string): Promise<ConversationEvent[]> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }), headers: { accept: 'text/event-stream' } }),
  );
  return parseSse(await res.text());
}

const replies = (events: ConversationEvent[]) =>
  events.flatMap((e) => (e.type === 'message.completed' && e.message.role === 'assistant' ? [e.message] : []));
const citationsOf = (message: ConversationMessage | undefined) =>
  (message?.metadata.citations ?? []) as unknown as Citation[];

const retrievalThenLlm = (collectionIds: string[], retrieval: Record<string, unknown> = {}): Graph => ({
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'search', kind: 'knowledge_retrieval', settings: { collectionIds, topK: 2, ...retrieval } },
    { id: 'answer', kind: 'llm', settings: llm({ prompt: '{{input}}', history: { mode: 'none' } }) },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'search' },
    { from: 'search', to: 'answer' },
    { from: 'answer', to: 'end' },
  ],
  settings,
});

describe('retrieval in pipelines', () => {
  it('start → retrieval → llm → end: the reply cites the [n] chunks it quotes, with titles, pages and links', async () => {
    const demo = await seedDemo();
    const manuals = await collection(demo.teamId, 'Manuals', [
      { title: 'Router manual.pdf', text: ROUTER_RESET, page: 4, public: true },
      { title: 'Firmware notes', text: ROUTER_LIGHT, sourceUrl: 'https://example.com/firmware' },
      { title: 'Refunds.pdf', text: REFUNDS },
    ]);
    const conversationId = await bot(demo.teamId, demo.apiKey, retrievalThenLlm([manuals.id]));

    const events = await turn(demo.apiKey, conversationId, 'how do I reset the router');
    const [reply] = replies(events);
    expect(reply?.status).toBe('complete');
    // The offline model quotes its user content: the retrieval node's numbered block.
    expect(reply?.content).toContain('[1] Router manual.pdf › Guide (page 4)');
    const citations = citationsOf(reply);
    expect(citations.map((c) => c.n)).toEqual([1, 2]);
    expect(citations[0]).toEqual({
      n: 1,
      collectionId: manuals.id,
      documentId: manuals.documentIds[0],
      title: 'Router manual.pdf',
      chunkKey: 'chunk0r1',
      ordinal: 0,
      page: 4,
      // The download link's capability token (worker/knowledge/documents/public-link.ts) follows the id.
      url: expect.stringMatching(
        new RegExp(`^/api/v1/knowledge/public-files/${manuals.documentIds[0]}\\?t=[\\w-]{43}$`),
      ),
      snippet: ROUTER_RESET.slice(0, CITATION_SNIPPET_CHARS),
    });
    expect(citations[1]).toMatchObject({ n: 2, title: 'Firmware notes', url: 'https://example.com/firmware' });
    expect(citations[1]?.page).toBeUndefined();
    // The refund document was not retrieved (topK 2): never cited.
    expect(citations.some((c) => c.documentId === manuals.documentIds[2])).toBe(false);
    // The JSON list went to the run key, for later nodes; the trace shows it as the node's output text.
    const completed = events.find((e) => e.type === 'node.completed' && e.nodeId === 'search');
    expect(completed).toBeDefined();
  });

  it('keeps chunk text beyond the snippet out of the metadata', async () => {
    const demo = await seedDemo();
    const long = `${'Router reset details. '.repeat(30)}END-OF-CHUNK`;
    const manuals = await collection(demo.teamId, 'Manuals', [{ title: 'Long.pdf', text: long }]);
    const conversationId = await bot(demo.teamId, demo.apiKey, retrievalThenLlm([manuals.id]));
    const [reply] = replies(await turn(demo.apiKey, conversationId, 'router reset'));
    const [citation] = citationsOf(reply);
    expect(citation?.snippet).toBe(long.slice(0, CITATION_SNIPPET_CHARS));
    expect(JSON.stringify(reply?.metadata)).not.toContain('END-OF-CHUNK');
  });

  it('LLM node choose all: sources in the prompt; an answer citing no number cites its sources, unless citations are off', async () => {
    const demo = await seedDemo();
    const manuals = await collection(demo.teamId, 'Manuals', [
      { title: 'Router manual.pdf', text: ROUTER_RESET },
      { title: 'Refunds.pdf', text: REFUNDS },
    ]);
    const graph = (citations: boolean): Graph => ({
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        {
          id: 'answer',
          kind: 'llm',
          settings: llm({ history: { mode: 'none' }, knowledge: { collectionIds: [manuals.id], topK: 1, citations } }),
        },
        { id: 'end', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'answer' },
        { from: 'answer', to: 'end' },
      ],
      settings,
    });
    const on = await bot(demo.teamId, demo.apiKey, graph(true));
    const [cited] = replies(await turn(demo.apiKey, on, 'refund policy'));
    // The offline echo cites nothing by number: the one chunk it was given is the citation.
    expect(cited?.content).not.toMatch(/\[\d+\]/);
    expect(citationsOf(cited)).toEqual([expect.objectContaining({ n: 1, title: 'Refunds.pdf', chunkKey: 'chunk1r1' })]);
    const off = await bot(demo.teamId, demo.apiKey, graph(false));
    const [plain] = replies(await turn(demo.apiKey, off, 'refund policy'));
    expect(plain?.status).toBe('complete');
    expect(plain?.metadata.citations).toBeUndefined();
  });

  it('LLM node choose model: the OpenAI model calls search_knowledge and its answer cites what the tool returned', async () => {
    const demo = await seedDemo();
    const manuals = await collection(demo.teamId, 'Manuals', [{ title: 'Router manual.pdf', text: ROUTER_RESET }]);
    const policies = await collection(demo.teamId, 'Policies', [{ title: 'Refunds.pdf', text: REFUNDS }]);
    const credential = {
      id: `cred_${crypto.randomUUID()}`,
      providerId: 'openai',
      settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
      secrets: { apiKey: 'test-key' },
    };
    const conversationId = await bot(
      demo.teamId,
      demo.apiKey,
      {
        nodes: [
          { id: 'start', kind: 'start', settings: {} },
          {
            id: 'answer',
            kind: 'llm',
            settings: llm({
              providerId: 'openai',
              credentialId: credential.id,
              model: 'fake-tool',
              history: { mode: 'none' },
              // The fake model picks the enum's first value: the policies collection.
              knowledge: { collectionIds: [policies.id, manuals.id], choose: 'model', topK: 3 },
            }),
          },
          { id: 'end', kind: 'end', settings: {} },
        ],
        edges: [
          { from: 'start', to: 'answer' },
          { from: 'answer', to: 'end' },
        ],
        settings,
      },
      credential,
    );
    const [reply] = replies(await turn(demo.apiKey, conversationId, 'refund'));
    expect(reply?.status).toBe('complete');
    expect(reply?.content).toContain('Tool search_knowledge returned:');
    expect(reply?.content).toContain('[1] Refunds.pdf › Guide');
    expect(citationsOf(reply)).toEqual([
      expect.objectContaining({ n: 1, collectionId: policies.id, title: 'Refunds.pdf' }),
    ]);
  });

  it('searches the pinned revision of a published version; latest reads past it', async () => {
    const demo = await seedDemo();
    const manuals = await collection(demo.teamId, 'Manuals', [{ title: 'Old manual', text: ROUTER_RESET }]);
    // Revision 2 adds a document the version was not published with.
    await addChunks(
      demo.teamId,
      manuals.ref,
      2,
      [{ title: 'New', text: `${ROUTER_LIGHT} router reset` }],
      [id('kdoc')],
    );
    const pins: KnowledgePins = {
      [manuals.id]: {
        collectionId: manuals.id,
        name: 'Manuals',
        summary: '',
        revision: 1,
        embedder: manuals.ref.embedder,
        fetchK: 40,
        denseWeight: 0.7,
        rrfK: 60,
      },
    };
    const pinnedConversation = async (revision: 'pinned' | 'latest') => {
      const chatbotId = await addChatbot(demo.teamId, {
        schemaVersion: 2,
        ...retrievalThenLlm([manuals.id], { topK: 5, revision }),
      } as unknown as ChatbotDefinition);
      // As publish freezes them (worker/chatbots/publish-pins.ts); the conversation copies them when it starts.
      await env.DB.prepare('UPDATE chatbot_versions SET knowledge = ?1 WHERE chatbot_id = ?2 AND team_id = ?3')
        .bind(JSON.stringify(pins), chatbotId, demo.teamId)
        .run();
      const conversationId = await startConversation(demo.apiKey, chatbotId);
      return conversationId;
    };
    const pinned = await pinnedConversation('pinned');
    const [old] = replies(await turn(demo.apiKey, pinned, 'router reset'));
    expect(citationsOf(old).map((c) => c.chunkKey)).toEqual(['chunk0r1']);
    const latest = await pinnedConversation('latest');
    const [both] = replies(await turn(demo.apiKey, latest, 'router reset'));
    expect(
      citationsOf(both)
        .map((c) => c.chunkKey)
        .sort(),
    ).toEqual(['chunk0r1', 'chunk0r2']);
  });

  it('refuses another team’s collection id: the node fails naming it and no chunk of that team leaks', async () => {
    const a = await seedDemo();
    const secret = 'The vault code of team A is 4242.';
    const theirs = await collection(a.teamId, 'Secrets', [{ title: 'Vault.pdf', text: secret }]);
    const b = await seedDemo();
    const conversationId = await bot(b.teamId, b.apiKey, retrievalThenLlm([theirs.id]));
    const events = await turn(b.apiKey, conversationId, 'vault code');
    const failed = events.find((e) => e.type === 'node.failed' && e.nodeId === 'search');
    expect(failed?.type === 'node.failed' && failed.error).toBe(
      `collection "${theirs.id}" does not exist in this team`,
    );
    expect(JSON.stringify(events)).not.toContain('4242');
    for (const reply of replies(events)) expect(reply.metadata.citations).toBeUndefined();
  });

  it('refuses a collection the chatbot does not reference, even one of its own team', async () => {
    const demo = await seedDemo();
    const own = await collection(demo.teamId, 'Manuals', [{ title: 'Router manual.pdf', text: ROUTER_RESET }]);
    const other = await collection(demo.teamId, 'Unreferenced', [{ title: 'Refunds.pdf', text: REFUNDS }]);
    const knowledge = new RunKnowledge({ env, teamId: demo.teamId, referenced: [own.id] });
    const search = (collectionIds: string[]) =>
      knowledge.search({ collectionIds, query: 'refund', topK: 3, mode: 'hybrid', revision: 'latest' });
    await expect(search([own.id, other.id])).rejects.toThrow(
      `collection "${other.id}" is not one this chatbot references`,
    );
    expect((await search([own.id])).map((chunk) => chunk.documentTitle)).toEqual(['Router manual.pdf']);
    // The same chunk found again keeps its number; the collections list names the referenced one only.
    expect((await search([own.id]))[0]?.n).toBe(1);
    expect(await knowledge.collections()).toEqual([
      { collectionId: own.id, name: 'Manuals', summary: 'Everything about manuals' },
    ]);
  });
});
