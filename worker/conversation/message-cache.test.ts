import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import type { ConversationDO } from '../conversation-do/conversation-do.ts';
import { type MessageRow, toMessage } from './message-row.ts';
import type { ConversationStore } from './store.ts';

function conversationStub(conversationId: string) {
  const namespace = env.CONVERSATIONS as unknown as DurableObjectNamespace<ConversationDO>;
  return namespace.get(namespace.idFromName(conversationId));
}

/** The history as SQLite answers it: the query ConversationStore ran before it kept the messages in memory. */
function storedHistory(sql: SqlStorage, turnId: string) {
  return sql
    .exec<MessageRow>(
      `SELECT m.* FROM messages m JOIN turns t ON t.id = m.turn_id
       WHERE t.status = 'done' OR m.turn_id = ?
       ORDER BY t.rowid, m.role = 'assistant', m.position`,
      turnId,
    )
    .toArray()
    .map(toMessage);
}

describe('the messages an object keeps in memory', () => {
  it('answer every read as SQLite does after turns, a duplicate send, feedback and an outbox flush', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const post = (body: Record<string, unknown>) =>
      SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify(body) }),
      );
    expect((await post({ text: 'first question', clientMessageId: 'client-1' })).status).toBe(201);
    expect((await post({ text: 'second question' })).status).toBe(201);
    // The same clientMessageId again: the original comes back, nothing is stored twice.
    expect((await post({ text: 'first question', clientMessageId: 'client-1' })).status).toBe(200);
    const stub = conversationStub(conversationId);
    await runInDurableObject(stub, async (instance: ConversationDO, state) => {
      const store = (instance as unknown as { store: ConversationStore }).store;
      const replies = store.messages().filter((message) => message.role === 'assistant');
      expect(replies).toHaveLength(2);
      // A metadata write after the reply completed (feedback) must reach the copy in memory too.
      expect((await instance.feedback(replies[0]?.id as string, 'up')).ok).toBe(true);

      const sql = state.storage.sql;
      const rows = store.messages();
      expect(rows.length).toBe(4);
      const turns = sql
        .exec<{ id: string; status: string; instruction: string | null }>('SELECT id, status, instruction FROM turns')
        .toArray();
      expect(turns).toHaveLength(2);
      for (const turn of turns) {
        expect(store.historyFor(turn.id)).toEqual(storedHistory(sql, turn.id));
        expect(store.turnStatus(turn.id)).toBe(turn.status);
        expect(store.turnInstruction(turn.id)).toBe(turn.instruction);
        expect(store.turnUserMessages(turn.id)).toEqual(
          rows.filter((message) => message.turnId === turn.id && message.role === 'user'),
        );
      }
      for (const message of rows) expect(store.message(message.id)).toEqual(message);
      expect(store.message(replies[0]?.id as string)?.metadata.feedback).toMatchObject({ rating: 'up' });
      const createdSeq = sql
        .exec<{ seq: number }>("SELECT created_seq AS seq FROM messages WHERE client_message_id = 'client-1'")
        .one().seq;
      expect(store.messageByClientId('client-1')).toMatchObject({ content: 'first question', createdSeq });
      // The outbox in memory agrees with its table (the feedback's row may not have left yet).
      const outbox = sql.exec<{ message_id: string }>('SELECT message_id FROM outbox').toArray();
      expect(
        store
          .dueOutbox(Date.now() + 60_000, 100)
          .map((row) => row.message_id)
          .sort(),
      ).toEqual(outbox.map((row) => row.message_id).sort());
      expect(store.nextOutboxDue() === undefined).toBe(outbox.length === 0);
    });
  });
});
