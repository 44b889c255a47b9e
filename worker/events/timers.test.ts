import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { eventually, telegramChat } from '../../test/channels/fixtures.ts';
import type { EventsSection } from './schemas.ts';
import { duplicateAlarm, fireTimerNow, timerRow } from './testing.ts';

const followUp = (times: number, from: 'last_message' | 'first_message' = 'last_message'): EventsSection => ({
  triggers: [
    {
      id: 'nudge',
      on: 'inactivity',
      delaySeconds: 30,
      times,
      from,
      actions: [{ type: 'send_message', text: 'Are you still there?' }],
    },
  ],
});

const nudges = async (chat: Awaited<ReturnType<typeof telegramChat>>) =>
  (await chat.messages()).filter((m) => m.content === 'Are you still there?');

async function replied(chat: Awaited<ReturnType<typeof telegramChat>>, count: number) {
  await eventually(async () => {
    const replies = (await chat.messages()).filter((m) => m.role === 'assistant' && m.status === 'complete');
    return replies.length >= count ? true : undefined;
  });
}

/** Inactivity timers on the conversation object's single alarm (issue 17 reliability budgets). */
describe('inactivity timers', { timeout: 30_000 }, () => {
  it('arms at message + delay, fires exactly once after a restart, and never again for a duplicated alarm', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false }, events: followUp(1) });
    const before = Date.now();
    await chat.post('hello');
    await replied(chat, 1);
    const armed = await timerRow(chat, 'nudge');
    expect(armed?.state).toBe('armed');
    expect(armed?.due_at).toBe((armed?.anchor_at ?? 0) + 30_000);
    expect(armed?.anchor_at).toBeGreaterThanOrEqual(before);
    // The alarm is set for the timer (the outbox and deliveries are done).
    const alarm = await runInDurableObject(chat.stub(), (_i, state) => state.storage.getAlarm());
    expect(alarm).toBe(armed?.due_at);

    // The object loses its memory as in a deploy or a crash (a graceful eviction would wait for channel typing
    // timers); the timer lives in storage and the alarm survives.
    await abortAllDurableObjects();
    expect(await fireTimerNow(chat, 'nudge')).toBe(true);
    expect(await nudges(chat)).toHaveLength(1);
    expect((await timerRow(chat, 'nudge'))?.state).toBe('done');

    // Alarms are at-least-once: the same alarm again, and a timer row that lost its update, fire nothing.
    await duplicateAlarm(chat);
    await runInDurableObject(chat.stub(), (_i, state) => {
      state.storage.sql.exec("UPDATE timers SET state = 'armed', fired_count = 0 WHERE trigger_id = 'nudge'");
    });
    await duplicateAlarm(chat);
    expect(await nudges(chat)).toHaveLength(1);
  });

  it('fires on the real clock within delay + 2 s, exactly once, although the object was evicted meanwhile', async () => {
    // The shortest delay a trigger may have (10 s): the runtime's own alarm, no time travel.
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      events: { triggers: [{ ...followUp(1).triggers[0], delaySeconds: 10 } as EventsSection['triggers'][number]] },
    });
    await chat.post('hello');
    await replied(chat, 1);
    const armed = await timerRow(chat, 'nudge');
    expect(armed?.due_at).toBe((armed?.anchor_at ?? 0) + 10_000);
    // Evicted between the message and the due time, as by a deploy or a crash: only storage and the alarm remain.
    await abortAllDurableObjects();
    const nudge = await eventually(async () => (await nudges(chat))[0], 15_000);
    const late = nudge.createdAt - (armed?.due_at ?? 0);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(2_000);
    expect((await timerRow(chat, 'nudge'))?.state).toBe('done');
    // Exactly once: nothing more arrives after it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await nudges(chat)).toHaveLength(1);
  });

  it('fires `times: 2` twice, delay apart, then stops', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false }, events: followUp(2) });
    await chat.post('hello');
    await replied(chat, 1);
    const first = await timerRow(chat, 'nudge');
    expect(await fireTimerNow(chat, 'nudge')).toBe(true);
    const after = await timerRow(chat, 'nudge');
    expect(after).toMatchObject({ state: 'armed', fired_count: 1 });
    expect(after?.due_at).toBe((after?.anchor_at ?? 0) + 60_000);
    expect(first?.fired_count).toBe(0);
    // The first nudge is a turn: under load it may still be running, and a timer never fires inside a turn.
    await replied(chat, 2);
    expect(await fireTimerNow(chat, 'nudge')).toBe(true);
    expect(await timerRow(chat, 'nudge')).toMatchObject({ state: 'done', fired_count: 2 });
    await duplicateAlarm(chat);
    expect(await nudges(chat)).toHaveLength(2);
  });

  it('restarts a last_message timer on a new user message, but not a first_message one', async () => {
    const last = await telegramChat({ channelOptions: { streamEdits: false }, events: followUp(2) });
    await last.post('one');
    await replied(last, 1);
    await fireTimerNow(last, 'nudge');
    expect((await timerRow(last, 'nudge'))?.fired_count).toBe(1);
    const postedAt = Date.now();
    await last.post('two');
    await replied(last, 3);
    const reset = await timerRow(last, 'nudge');
    expect(reset).toMatchObject({ state: 'armed', fired_count: 0 });
    expect(reset?.anchor_at).toBeGreaterThanOrEqual(postedAt);
    expect(reset?.due_at).toBe((reset?.anchor_at ?? 0) + 30_000);

    const first = await telegramChat({ channelOptions: { streamEdits: false }, events: followUp(2, 'first_message') });
    await first.post('one');
    await replied(first, 1);
    const armed = await timerRow(first, 'nudge');
    await first.post('two');
    await replied(first, 2);
    expect(await timerRow(first, 'nudge')).toEqual(armed);
  });

  it('waits for a running turn: a timer due mid-reply fires after the reply completed', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      llm: { delayMs: 20 },
      events: {
        triggers: [{ ...followUp(1).triggers[0], from: 'first_message' } as EventsSection['triggers'][number]],
      },
    });
    await chat.post('one');
    await replied(chat, 1);
    await chat.post('tell me a long story about durable objects and their alarms');
    await eventually(async () =>
      (await chat.messages()).some((m) => m.role === 'assistant' && m.status === 'streaming') ? true : undefined,
    );
    await fireTimerNow(chat, 'nudge');
    // Due, but the turn is running: nothing yet, and the timer is still armed.
    expect(await nudges(chat)).toHaveLength(0);
    expect((await timerRow(chat, 'nudge'))?.state).toBe('armed');
    await eventually(async () => ((await nudges(chat)).length === 1 ? true : undefined));
    const messages = await chat.messages();
    const story = messages.filter((m) => m.role === 'assistant')[1];
    const nudge = (await nudges(chat))[0];
    expect(story?.status).toBe('complete');
    expect(nudge?.position).toBeGreaterThan(story?.position ?? Infinity);
    expect(nudge?.createdAt).toBeGreaterThanOrEqual(story?.completedAt ?? Infinity);
  });
});
