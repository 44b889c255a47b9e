import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { eventually, telegramChat } from '../../test/channels/fixtures.ts';

/** The seam schedules and events call: "send a message to the bot" (worker/events/bot-message.ts). */
describe('ConversationDO.botMessage', { timeout: 20_000 }, () => {
  it('runs the prompt as an instruction turn once per idempotency key and records metadata.event', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    const request = {
      prompt: 'Remind them about the survey',
      idempotencyKey: 'schedule:sch_1:1000',
      source: { type: 'schedule' as const, id: 'sch_1' },
    };
    const first = await chat.stub().botMessage(chat.meta, request);
    expect(first.status).toBe('ran');
    expect(first.messageIds).toHaveLength(1);
    const again = await chat.stub().botMessage(chat.meta, request);
    expect(again).toEqual({ status: 'duplicate', messageIds: first.messageIds });

    const messages = await chat.messages();
    // The instruction is never shown as a message: only the bot's reply.
    expect(messages.map((m) => m.role)).toEqual(['assistant']);
    expect(messages[0]?.id).toBe(first.messageIds[0]);
    expect(messages[0]?.metadata.event).toEqual({ type: 'schedule', id: 'sch_1' });
  });

  it('waits for a running turn: the instruction turn starts only after the running reply completed', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false }, llm: { delayMs: 20 } });
    await chat.post('tell me a long story about durable objects and alarms');
    // The user's turn is streaming now.
    await eventually(async () =>
      (await chat.messages()).some((m) => m.role === 'assistant' && m.status === 'streaming') ? true : undefined,
    );
    const result = await chat.stub().botMessage(chat.meta, {
      prompt: 'Say goodbye',
      idempotencyKey: 'timer:t1:1',
      source: { type: 'trigger', id: 't1' },
    });
    expect(result.status).toBe('ran');
    const events = await runInDurableObject(chat.stub(), (_instance, state) =>
      state.storage.sql
        .exec<{ seq: number; data: string }>('SELECT seq, data FROM events ORDER BY seq')
        .toArray()
        .map((row) => ({ seq: row.seq, ...(JSON.parse(row.data) as { type: string; message?: { id: string } }) })),
    );
    const replies = (await chat.messages()).filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(2);
    const [userReply, instructionReply] = replies;
    const completedFirst = events.find((e) => e.type === 'message.completed' && e.message?.id === userReply?.id);
    const createdSecond = events.find((e) => e.type === 'message.created' && e.message?.id === instructionReply?.id);
    expect(instructionReply?.id).toBe(result.messageIds[0]);
    expect(completedFirst?.seq).toBeLessThan(createdSecond?.seq ?? 0);
    expect(userReply?.status).toBe('complete');
    expect(instructionReply?.metadata.event).toEqual({ type: 'trigger', id: 't1' });
  });

  it('answers ended for a closed conversation and runs nothing', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    await chat.stub().end(chat.meta);
    const result = await chat.stub().botMessage(chat.meta, {
      prompt: 'Anyone there?',
      idempotencyKey: 'k-ended',
      source: { type: 'api', id: 'x' },
    });
    expect(result).toEqual({ status: 'ended', messageIds: [] });
    expect(await chat.messages()).toEqual([]);
  });
});
