import { SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import type { ChatbotDefinition } from '../../worker/chatbots/definition.ts';
import type { KnowledgeDocument } from '../../worker/knowledge/documents/schemas.ts';
import { addChatbot, authed, BASE } from '../seed.ts';
import { deliveryOf, telegramCalls, telegramChat } from './fixtures.ts';

/**
 * End to end on a messaging channel (issue 16, Tests): a v2 chatbot whose retrieval node searches a collection
 * ingested through the API (upload → queue → parse, chunk, embed on the offline embedder), answering in a Telegram
 * chat (the fake Bot API): the delivered message ends with the source list of what it cited.
 */

async function ingestedCollection(apiKey: string, documents: { title: string; text: string }[]) {
  const call = (path: string, init: RequestInit = {}) => SELF.fetch(`${BASE}${path}`, authed(apiKey, init));
  const created = await call('/api/v1/knowledge/collections', {
    method: 'POST',
    body: JSON.stringify({ name: 'Manuals' }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const collectionId = ((await created.json()) as { id: string }).id;
  for (const document of documents) {
    const res = await call(`/api/v1/knowledge/collections/${collectionId}/documents/text`, {
      method: 'POST',
      body: JSON.stringify({ ...document, format: 'txt' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as KnowledgeDocument;
    await vi.waitFor(
      async () => {
        const doc = (await (
          await call(`/api/v1/knowledge/collections/${collectionId}/documents/${id}`)
        ).json()) as KnowledgeDocument;
        expect(doc.status, JSON.stringify(doc)).toBe('ready');
      },
      { timeout: 15_000, interval: 100 },
    );
  }
  return collectionId;
}

const llm = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
};

describe('citations on a Telegram chat, end to end', { timeout: 60_000 }, () => {
  it('a retrieval pipeline’s reply arrives with "Sources:" and the cited documents’ titles', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      chatbot: async (teamId, apiKey) => {
        const collectionId = await ingestedCollection(apiKey, [
          { title: 'Router manual', text: 'To reset the router, hold the reset button for ten seconds.' },
          { title: 'Refund policy', text: 'Refunds are possible within thirty days of purchase.' },
        ]);
        const definition = {
          schemaVersion: 2,
          nodes: [
            { id: 'start', kind: 'start', settings: {} },
            { id: 'search', kind: 'knowledge_retrieval', settings: { collectionIds: [collectionId], topK: 1 } },
            { id: 'answer', kind: 'llm', settings: { ...llm, prompt: '{{input}}', history: { mode: 'none' } } },
            { id: 'end', kind: 'end', settings: {} },
          ],
          edges: [
            { from: 'start', to: 'search' },
            { from: 'search', to: 'answer' },
            { from: 'answer', to: 'end' },
          ],
          settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
        } as unknown as ChatbotDefinition;
        return addChatbot(teamId, definition);
      },
    });
    await chat.post('how do I reset the router');
    const { reply } = await deliveryOf(chat, 'sent');
    expect(reply.status).toBe('complete');
    expect(reply.metadata.citations).toEqual([expect.objectContaining({ n: 1, title: 'Router manual' })]);

    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    const delivered = sends.map((call) => call.body.text ?? '').join('\n');
    // A private text document has no link a chat could open: its title alone is listed.
    expect(delivered.trimEnd().endsWith('Sources:\n[1] Router manual')).toBe(true);
    expect(delivered).not.toContain('Refund policy');
  });
});
