import { abortAllDurableObjects, env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { conversationStub } from '../../worker/conversation/stub.ts';
import { authed, BASE, readUntil } from '../seed.ts';
import { deliveryOf, eventually, scheduledAlarm, telegramCalls, telegramChat } from './fixtures.ts';

/** Replies of channel conversations delivered to the (fake) Telegram Bot API by the conversation object. */
// Generous: these run real turns against fake platforms on a shared machine.
describe('reply delivery to a messaging channel', { timeout: 20_000 }, () => {
  it('delivers a reply once, to the chat, as Telegram HTML, and records it on the message', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    expect((await chat.post('Hello from Telegram')).status).toBe(202);
    const { reply, delivery } = await deliveryOf(chat, 'sent');

    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.body.parse_mode).toBe('HTML');
    // The offline reply quotes `.dev.vars` in backticks: markdown became Telegram's <code> entity.
    expect(sends[0]?.body.text).toContain('<code>.dev.vars</code>');
    expect(sends[0]?.body.text).toContain('Hello from Telegram');
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(delivery.platformMessageIds).toEqual([expect.stringMatching(new RegExp(`^${chat.chatId}:\\d+$`))]);
    expect(typeof delivery.sentAt).toBe('number');
    expect(reply.status).toBe('complete');

    // Nothing is sent again: not by a later alarm, not by a re-sent platform message.
    await runDurableObjectAlarm(chat.stub());
    await chat.post('Hello from Telegram', { clientMessageId: 'dup-1' });
    await chat.post('Hello from Telegram', { clientMessageId: 'dup-1' });
    await deliveryOf(chat, 'sent', 1);
    const after = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(after).toHaveLength(2);
  });

  it('answers a canned reply verbatim, without the model, and delivers it', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    await chat.post('[sticker]', { cannedReply: 'Sorry, I cannot read stickers.', clientMessageId: 'sticker-1' });
    const { reply, delivery } = await deliveryOf(chat, 'sent');
    expect(reply).toMatchObject({ content: 'Sorry, I cannot read stickers.', status: 'complete' });
    expect(reply.metadata).toMatchObject({ canned: true });
    expect(reply.metadata.offline).toBeUndefined();
    expect(delivery.attempts).toBe(1);

    // A duplicate of the same platform message changes nothing.
    await chat.post('[sticker]', { cannedReply: 'Sorry, I cannot read stickers.', clientMessageId: 'sticker-1' });
    const messages = await chat.messages();
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '[sticker]'],
      ['assistant', 'Sorry, I cannot read stickers.'],
    ]);
    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends.map((call) => call.body.text)).toEqual(['Sorry, I cannot read stickers.']);
  });

  it('records a blocked chat as a failed delivery, visible through the messages API, and never retries it', async () => {
    const chat = await telegramChat({ chatId: 403, channelOptions: { streamEdits: false } });
    await chat.post('Are you there?');
    const { delivery } = await deliveryOf(chat, 'failed');
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'blocked' } });
    expect(String((delivery.error as { message: string }).message)).toContain('blocked');
    const single = await SELF.fetch(
      `${BASE}/api/v1/conversations/${chat.conversationId}/messages`,
      authed(chat.apiKey),
    );
    expect(JSON.stringify(await single.json())).toContain('"status":"failed"');
    // Final: no alarm is left for it.
    await runDurableObjectAlarm(chat.stub());
    const again = await deliveryOf(chat, 'failed');
    expect(again.delivery.attempts).toBe(1);
  });

  it('retries a rate-limited delivery after retry_after, from the alarm, and then sends it', async () => {
    // The fake answers 429 (retry_after 1) to the first call for a chat id in 4290000000–4299999999.
    const chatId = 4_290_000_000 + Math.floor(Math.random() * 9_999_999);
    const chat = await telegramChat({ chatId, channelOptions: { streamEdits: false } });
    const postedAt = Date.now();
    await chat.post('Busy?');
    const { delivery } = await deliveryOf(chat, 'retrying');
    expect(delivery).toMatchObject({ attempts: 1, error: { code: 'rate_limited' } });
    expect(delivery.nextAttemptAt as number).toBeGreaterThanOrEqual(postedAt + 1_000);
    const alarm = await scheduledAlarm(chat);
    expect(alarm).not.toBeNull();
    expect(alarm as number).toBeLessThanOrEqual(delivery.nextAttemptAt as number);

    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, (delivery.nextAttemptAt as number) - Date.now() + 50)),
    );
    await runDurableObjectAlarm(chat.stub());
    const sent = await deliveryOf(chat, 'sent');
    expect(sent.delivery.attempts).toBe(2);
    const sends = (await telegramCalls(chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends).toHaveLength(2); // the refused one and the delivered one
  });

  it('splits a reply longer than Telegram allows into several messages', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      llm: { providerId: 'openai', model: 'fake-echo' },
    });
    // 260 words of 20 characters: over 5,000 characters in few enough tokens to stream quickly.
    const words = Array.from({ length: 260 }, (_, i) => `word${String(i).padStart(4, '0')}-abcdefghijklmn`).join(' ');
    await chat.post(words);
    const { reply, delivery } = await deliveryOf(chat, 'sent');
    expect(reply.content.length).toBeGreaterThan(4096);
    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(delivery.platformMessageIds).toHaveLength(sends.length);
    for (const call of sends) expect([...(call.body.text ?? '')].length).toBeLessThanOrEqual(4096);
    expect(sends[0]?.body.text).toContain('word0000-');
    expect(sends.at(-1)?.body.text).toContain('word0259-');
    const delivered = sends.map((call) => call.body.text).join(' ');
    expect(delivered.match(/word\d{4}-/g)).toHaveLength(260);
  });

  it('sends the channel errorReply when the model fails before writing, and the partial text when it fails later', async () => {
    const silent = await telegramChat({
      channelOptions: { streamEdits: false, errorReply: 'Oops, try again later.' },
      llm: { providerId: 'openai', model: 'fake-400' },
    });
    await silent.post('Hi');
    const failed = await deliveryOf(silent, 'sent');
    expect(failed.reply.status).toBe('error');
    const sends = (await telegramCalls(silent.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends.map((call) => call.body.text)).toEqual(['Oops, try again later.']);

    const partial = await telegramChat({
      channelOptions: { streamEdits: false, errorReply: 'Oops, try again later.' },
      llm: { providerId: 'openai', model: 'fake-stream-error' },
    });
    await partial.post('Partial answer please');
    const cut = await deliveryOf(partial, 'sent');
    expect(cut.reply.status).toBe('error');
    expect(cut.reply.content.length).toBeGreaterThan(0);
    const partialSends = (await telegramCalls(partial.chatId)).filter((call) => call.method === 'sendMessage');
    expect(partialSends).toHaveLength(1);
    expect(partialSends[0]?.body.text).toBe(cut.reply.content.trim());
  });

  it('delivers a reply interrupted by a crash exactly once, with the text streamed before it', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      llm: { providerId: 'openai', model: 'fake-stall' },
    });
    const events = await SELF.fetch(`${BASE}/api/v1/conversations/${chat.conversationId}/events`, authed(chat.apiKey));
    await chat.post('Tell me a long story');
    await readUntil(events, (text) => text.includes('event: delta'));
    await abortAllDurableObjects();

    // The next call wakes the object: it closes the turn and delivers what was written.
    const { reply, delivery } = await deliveryOf(chat, 'sent');
    expect(reply).toMatchObject({ status: 'error', error: { code: 'interrupted' } });
    expect(delivery.attempts).toBe(1);
    await runDurableObjectAlarm(chat.stub());
    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.body.text).toBe(reply.content.trim());
  });
});

// Generous: these run real turns against fake platforms on a shared machine.
describe('live turn on a channel', { timeout: 20_000 }, () => {
  it('shows typing while the reply is generated', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false }, llm: { delayMs: 20 } });
    await chat.post('Type for me');
    await deliveryOf(chat, 'sent');
    const calls = await telegramCalls(chat.chatId);
    const typing = calls.filter((call) => call.method === 'sendChatAction');
    expect(typing.length).toBeGreaterThanOrEqual(1);
    expect(typing[0]?.body.action).toBe('typing');
    // Typing comes first: it is shown while the model writes, not after the reply.
    expect(calls.findIndex((call) => call.method === 'sendChatAction')).toBeLessThan(
      calls.findIndex((call) => call.method === 'sendMessage'),
    );
  });

  it('streams a reply by editing its first message, throttled, and ends with the complete text', async () => {
    // ~70 tokens at 40 ms: about 3 s of streaming, room for a couple of throttled edits.
    const chat = await telegramChat({ llm: { delayMs: 40 } });
    await chat.post('Stream this');
    const { reply, delivery } = await deliveryOf(chat, 'sent');
    const calls = (await telegramCalls(chat.chatId)).filter((call) => call.method !== 'sendChatAction');
    expect(calls[0]?.method).toBe('sendMessage');
    expect(calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
    const edits = calls.filter((call) => call.method === 'editMessageText');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    // At most one edit per 1.5 s while streaming, plus the final one.
    const streamedMs = (reply.completedAt ?? 0) - reply.createdAt;
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(streamedMs / 1_500) + 1);
    const editTimes = edits.map((edit) => Date.parse(edit.at));
    for (let i = 2; i < editTimes.length; i++) {
      expect((editTimes[i - 1] ?? 0) - (editTimes[i - 2] ?? 0)).toBeGreaterThanOrEqual(1_400);
    }
    const messageId = Number(String((delivery.platformMessageIds as string[])[0]).split(':')[1]);
    for (const edit of edits) expect(edit.body.message_id).toBe(messageId);
    // The last edit carries the whole reply (as HTML), the first message only its beginning.
    const last = edits.at(-1)?.body.text ?? '';
    expect(last).toContain('Stream this');
    expect(last).toContain('<code>.dev.vars</code>');
    expect((calls[0]?.body.text ?? '').length).toBeLessThan(last.length);
    expect(delivery.platformMessageIds).toEqual([`${chat.chatId}:${messageId}`]);
    expect(reply.status).toBe('complete');
  });
});

// Generous: these run real turns against fake platforms on a shared machine.
describe('other messages delivered to the chat', { timeout: 20_000 }, () => {
  it('delivers a message posted by the trigger API', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false } });
    const { turnId } = await conversationStub(env, chat.conversationId).trigger(chat.meta, {
      text: 'Your order **shipped**.',
    });
    const { reply, delivery } = await deliveryOf(chat, 'sent');
    expect(reply).toMatchObject({ turnId, metadata: { triggered: true } });
    expect(delivery.attempts).toBe(1);
    const sends = (await telegramCalls(chat.chatId)).filter((call) => call.method === 'sendMessage');
    expect(sends.map((call) => call.body.text)).toEqual(['Your order <b>shipped</b>.']);
  });

  it('answers a voice note with speech after the text, when the channel asks for voice replies', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false, voiceReplies: true },
      llm: { providerId: 'openai', model: 'fake-echo' },
    });
    await chat.post('What time is it', { metadata: { voice: true } });
    const { delivery } = await eventually(async () => {
      const found = await deliveryOf(chat, 'sent');
      return (found.delivery.audio as { status?: string } | undefined)?.status ? found : undefined;
    });
    // The fake records multipart bodies as field summaries, so the voice note is identified by its answer.
    expect(delivery.audio).toMatchObject({
      status: 'sent',
      platformMessageIds: [expect.stringMatching(new RegExp(`^${chat.chatId}:\\d+$`))],
    });
    const [textId] = delivery.platformMessageIds as string[];
    const [voiceId] = (delivery.audio as { platformMessageIds: string[] }).platformMessageIds;
    // Message ids grow with every message: the voice note came after the text.
    expect(Number(voiceId?.split(':')[1])).toBeGreaterThan(Number(textId?.split(':')[1]));

    // A typed message in the same chat gets text only.
    await chat.post('And in text?');
    const typed = await deliveryOf(chat, 'sent', 1);
    expect(typed.delivery.audio).toBeUndefined();
  });

  it('after a crash, finishes a streamed reply by editing the message already in the chat, not sending another', async () => {
    const chat = await telegramChat({ llm: { providerId: 'openai', model: 'fake-stall' } });
    await chat.post('Begin a story');
    // The first words went out as a message before the object died.
    await eventually(async () => {
      const calls = await telegramCalls(chat.chatId);
      return calls.some((call) => call.method === 'sendMessage') ? true : undefined;
    });
    await abortAllDurableObjects();

    const { reply, delivery } = await deliveryOf(chat, 'sent');
    expect(reply.error?.code).toBe('interrupted');
    const calls = (await telegramCalls(chat.chatId)).filter((call) => call.method !== 'sendChatAction');
    expect(calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
    const [first] = calls;
    expect(first?.method).toBe('sendMessage');
    expect(delivery.platformMessageIds).toEqual([expect.stringMatching(new RegExp(`^${chat.chatId}:\\d+$`))]);
    expect(calls.at(-1)?.method).toBe('editMessageText');
    // The final text equals the stored reply: either the streamed message already showed it ("not modified") or an
    // edit brought it there.
    const last = calls.at(-1);
    expect(last?.body.text).toBe(reply.content.trim());
  });
});
