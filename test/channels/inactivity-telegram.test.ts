import { describe, expect, it } from 'vitest';
import { fireTimerNow } from '../../worker/events/testing.ts';
import { eventually, telegramCalls, telegramChat } from './fixtures.ts';

/** Issue 17's end-to-end test: an inactivity timeout on a Telegram conversation sends a follow-up to the chat. */
describe('inactivity follow-up on Telegram', { timeout: 30_000 }, () => {
  it('asks the bot for a follow-up when the participant goes quiet, and delivers it through the Bot API', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      events: {
        triggers: [
          {
            id: 'nudge',
            on: 'inactivity',
            delaySeconds: 60,
            times: 1,
            from: 'last_message',
            actions: [{ type: 'bot_message', prompt: 'Ask kindly whether they still need help' }],
          },
        ],
      },
    });
    await chat.post('Hello from Telegram');
    const sends = () => telegramCalls(chat.chatId).then((calls) => calls.filter((c) => c.method === 'sendMessage'));
    await eventually(async () => ((await sends()).length === 1 ? true : undefined));

    expect(await fireTimerNow(chat, 'nudge')).toBe(true);
    await eventually(async () => ((await sends()).length === 2 ? true : undefined));
    const replies = (await chat.messages()).filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(2);
    // The follow-up is the bot's answer to the instruction (never shown as a message), marked as an event's.
    expect(replies[1]?.metadata.event).toEqual({ type: 'trigger', id: 'nudge' });
    expect((await chat.messages()).filter((m) => m.role === 'user')).toHaveLength(1);
    const delivered = await eventually(async () => {
      const delivery = (await chat.messages()).at(-1)?.metadata.delivery as { status?: string } | undefined;
      return delivery?.status === 'sent' ? delivery : undefined;
    });
    expect(delivered.status).toBe('sent');
    // Exactly once: a later alarm sends nothing more.
    await fireTimerNow(chat, 'nudge').catch(() => false);
    expect(await sends()).toHaveLength(2);
  });
});
