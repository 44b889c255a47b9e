import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../plugins/sdk/citation.ts';
import type { ConversationMessage } from '../../worker/conversation/protocol.ts';
import type { ConversationStore } from '../../worker/conversation/store.ts';
import type { TurnRunner } from '../../worker/conversation/turns.ts';
import { newId } from '../../worker/ids.ts';
import { deliveryOf, telegramCalls, telegramChat } from './fixtures.ts';

const citation = (n: number, extra: Partial<Citation> = {}): Citation => ({
  n,
  collectionId: 'kcol_1',
  documentId: `kdoc_${n}`,
  title: `Handbook ${n}`,
  chunkKey: `k${n}`,
  ordinal: 0,
  snippet: 'Press the reset button for ten seconds.',
  ...extra,
});

/**
 * A reply that cites documents, posted inside the conversation object as a finished reply of its own turn (what a
 * retrieval run stores; worker/knowledge tests and the e2e cover the run itself). Its delivery follows as usual.
 */
async function postCitedReply(chat: Awaited<ReturnType<typeof telegramChat>>, text: string, citations: Citation[]) {
  return runInDurableObject(chat.stub(), (instance) => {
    const inside = instance as unknown as { store: ConversationStore; turns: TurnRunner };
    const now = Date.now();
    const turnId = newId('turn', now);
    inside.store.createTurn(turnId, now, { status: 'done' });
    // Through JSON, as the run stores it: metadata is a JSON object.
    const metadata = JSON.parse(JSON.stringify({ triggered: true, citations })) as ConversationMessage['metadata'];
    return inside.turns.postVerbatim(turnId, text, metadata);
  });
}

describe('a reply with citations on a messaging channel', { timeout: 20_000 }, () => {
  it('ends with a short source list: absolute links only, pages, at most five, after the answer', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    await chat.post('Hello');
    await deliveryOf(chat, 'sent');

    const cited: ConversationMessage = await postCitedReply(chat, 'Hold the reset button [1], then wait [2].', [
      citation(1, { page: 3, url: 'https://docs.example.com/handbook.pdf' }),
      citation(2, { url: '/api/v1/knowledge/public-files/kdoc_2?t=relative-means-nothing-in-a-chat' }),
      ...[3, 4, 5, 6].map((n) => citation(n)),
    ]);
    const { reply, delivery } = await deliveryOf(chat, 'sent', 1);
    expect(reply.id).toBe(cited.id);
    // The stored reply keeps its text and citations; only the chat gets the list.
    expect(reply.content).toBe('Hold the reset button [1], then wait [2].');
    expect((reply.metadata.citations as unknown[]).length).toBe(6);

    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    const last = sends.at(-1)?.body.text ?? '';
    expect(delivery.platformMessageIds).toHaveLength(1);
    expect(last.startsWith('Hold the reset button [1], then wait [2].')).toBe(true);
    expect(last).toContain('Sources:\n[1] Handbook 1, p. 3 – https://docs.example.com/handbook.pdf\n[2] Handbook 2\n');
    expect(last).not.toContain('/api/v1/knowledge/public-files/');
    expect(last).toContain('[5] Handbook 5');
    expect(last).not.toContain('[6]');
  });

  it('a reply without citations is delivered exactly as before', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    await chat.post('Hello');
    await deliveryOf(chat, 'sent');
    await postCitedReply(chat, 'No sources here.', []);
    await deliveryOf(chat, 'sent', 1);
    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends.at(-1)?.body.text).toBe('No sources here.');
  });
});
