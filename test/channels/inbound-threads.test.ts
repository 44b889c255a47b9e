/** Which conversation a chat's messages go to, and what each kind of inbound content becomes. */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { conversationFileKey } from '../../worker/conversation/message-extras.ts';
import { authed, BASE } from '../seed.ts';
import {
  channelFixture,
  deliver,
  messagesOf,
  settledConversation,
  type TestChannel,
  threadOf,
  waitFor,
} from './webhook-helpers.ts';

const CHAT = 2222222;
let nextMessageId = 5000;

/** A private-chat Telegram update from user CHAT with the given message fields. */
function telegramUpdate(fields: Record<string, unknown>, messageId = nextMessageId++): string {
  const person = { id: CHAT, is_bot: false, first_name: 'Ada', last_name: 'Lovelace' };
  return JSON.stringify({
    update_id: messageId,
    message: {
      message_id: messageId,
      date: 1_700_000_000,
      chat: { id: CHAT, type: 'private' },
      from: person,
      ...fields,
    },
  });
}

async function endConversation(channel: TestChannel, conversationId: string) {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/end`,
    authed(channel.apiKey, { method: 'POST' }),
  );
  expect(res.status).toBe(200);
}

describe('chat threads', () => {
  it('sends a chat’s messages to one conversation with its participant, and starts a new one after it ended', async () => {
    const channel = await channelFixture('telegram');
    expect((await deliver(channel, telegramUpdate({ text: 'first' }))).status).toBe(200);
    const first = await settledConversation(channel.channelId, String(CHAT));
    const firstRow = await env.DB.prepare('SELECT * FROM conversations WHERE id = ?')
      .bind(first.conversationId)
      .first<{ channel_id: string; participant_id: string; chatbot_id: string }>();
    expect(firstRow?.channel_id).toBe(channel.channelId);
    expect(firstRow?.chatbot_id).toBe(channel.chatbotId);
    const participant = await env.DB.prepare('SELECT * FROM participants WHERE id = ?')
      .bind(firstRow?.participant_id)
      .first<{ platform: string; external_id: string; name: string }>();
    expect(participant).toMatchObject({ platform: 'telegram', external_id: String(CHAT), name: 'Ada Lovelace' });

    await endConversation(channel, first.conversationId);
    expect((await deliver(channel, telegramUpdate({ text: 'second' }))).status).toBe(200);
    const thread = await waitFor(
      () => threadOf(channel.channelId, String(CHAT)),
      (row) => row?.conversationId !== first.conversationId,
    );
    expect(thread?.conversationId).not.toBe(first.conversationId);
    const second = await settledConversation(channel.channelId, String(CHAT));
    expect(second.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['second']);
    expect((await messagesOf(first.conversationId)).filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'first',
    ]);
  }, 30_000);

  it('puts concurrent first messages of a new chat in one conversation, with no orphan conversation', async () => {
    const channel = await channelFixture('telegram');
    const bodies = ['one', 'two', 'three'].map((text) => telegramUpdate({ text }));
    const statuses = await Promise.all(bodies.map(async (body) => (await deliver(channel, body)).status));
    expect(statuses).toEqual([200, 200, 200]);
    const { conversationId, messages } = await settledConversation(channel.channelId, String(CHAT), 3);
    expect(
      messages
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .sort(),
    ).toEqual(['one', 'three', 'two']);
    const rows = await env.DB.prepare('SELECT id FROM conversations WHERE channel_id = ?')
      .bind(channel.channelId)
      .all();
    expect(rows.results).toEqual([{ id: conversationId }]);
  }, 30_000);
});

describe('inbound content', () => {
  it('stores a photo in R2 as an attachment of the user message, with its caption as text', async () => {
    const channel = await channelFixture('telegram');
    const photo = [
      { file_id: 'small-photo', width: 90, height: 90 },
      { file_id: 'large-photo', width: 800, height: 800 },
    ];
    await deliver(channel, telegramUpdate({ photo, caption: 'What is this?' }));
    const { conversationId, messages } = await settledConversation(channel.channelId, String(CHAT));
    const user = messages.find((m) => m.role === 'user');
    expect(user?.content).toBe('What is this?');
    const [attachment] = (user?.metadata.attachments ?? []) as { fileId: string; mimeType: string; size: number }[];
    expect(attachment?.mimeType).toBe('image/png');
    const object = await env.FILES.get(conversationFileKey(channel.teamId, conversationId, attachment?.fileId ?? ''));
    const bytes = new Uint8Array(await (object as R2ObjectBody).arrayBuffer());
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(bytes.byteLength).toBe(attachment?.size);
  }, 30_000);

  it('describes a location and a contact in text', async () => {
    const channel = await channelFixture('telegram');
    await deliver(
      channel,
      telegramUpdate({ venue: { location: { latitude: 48.8584, longitude: 2.2945 }, title: 'Eiffel Tower' } }),
    );
    await deliver(
      channel,
      telegramUpdate({ contact: { phone_number: '+33123456789', first_name: 'Jean', last_name: 'Dupont' } }),
    );
    const { messages } = await settledConversation(channel.channelId, String(CHAT), 2);
    expect(
      messages
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .sort(),
    ).toEqual(['📍 48.8584, 2.2945 (Eiffel Tower)', '👤 Jean Dupont, +33123456789'].sort());
  }, 30_000);

  it('answers a sticker with the channel’s unsupportedReply instead of the model', async () => {
    const channel = await channelFixture('telegram', {
      options: { unsupportedReply: 'Stickers are lovely, but please type.' },
    });
    await deliver(channel, telegramUpdate({ sticker: { file_id: 'sticker-1', emoji: '😀' } }));
    const { messages } = await settledConversation(channel.channelId, String(CHAT));
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '[sticker] 😀'],
      ['assistant', 'Stickers are lovely, but please type.'],
    ]);
  }, 30_000);

  it('turns an edit into a new user message pointing at the edited one', async () => {
    const channel = await channelFixture('telegram');
    const messageId = nextMessageId++;
    await deliver(channel, telegramUpdate({ text: 'helo' }, messageId));
    await settledConversation(channel.channelId, String(CHAT));
    const person = { id: CHAT, is_bot: false, first_name: 'Ada' };
    const edit = JSON.stringify({
      update_id: nextMessageId++,
      edited_message: {
        message_id: messageId,
        date: 1_700_000_000,
        edit_date: 1_700_000_060,
        chat: { id: CHAT, type: 'private' },
        from: person,
        text: 'hello',
      },
    });
    await deliver(channel, edit);
    const { messages } = await settledConversation(channel.channelId, String(CHAT), 2);
    const edited = messages.find((m) => m.role === 'user' && m.content === 'hello');
    expect(edited?.metadata.editOf).toBe(`${CHAT}:${messageId}`);
  }, 30_000);
});

describe('reactions and the trigger API', () => {
  it('turns a 👍 on a delivered reply into that reply’s feedback', async () => {
    const channel = await channelFixture('telegram');
    await deliver(channel, telegramUpdate({ text: 'rate me' }));
    const { conversationId } = await settledConversation(channel.channelId, String(CHAT));
    const delivered = await waitFor(
      () => messagesOf(conversationId),
      (list) => list.some((m) => m.role === 'assistant' && m.metadata.delivery),
    );
    const reply = delivered.find((m) => m.role === 'assistant');
    const delivery = reply?.metadata.delivery as { platformMessageIds: string[] } | undefined;
    const [sentAs] = delivery?.platformMessageIds ?? [];
    const [chat, messageId] = (sentAs ?? '').split(':');
    const reaction = JSON.stringify({
      update_id: nextMessageId++,
      message_reaction: {
        chat: { id: Number(chat), type: 'private' },
        message_id: Number(messageId),
        user: { id: CHAT, is_bot: false, first_name: 'Ada' },
        date: 1_700_000_100,
        old_reaction: [],
        new_reaction: [{ type: 'emoji', emoji: '👍' }],
      },
    });
    expect((await deliver(channel, reaction)).status).toBe(200);
    const rated = await waitFor(
      () => messagesOf(conversationId),
      (list) => list.some((m) => m.id === reply?.id && m.metadata.feedback),
    );
    expect(rated.find((m) => m.id === reply?.id)?.metadata.feedback).toMatchObject({ rating: 'up' });
    expect(rated.filter((m) => m.role === 'user')).toHaveLength(1); // a reaction is not a message
  }, 30_000);

  it('sends a trigger for a participant who chats on a channel to that chat’s conversation', async () => {
    const channel = await channelFixture('telegram');
    await deliver(channel, telegramUpdate({ text: 'hi' }));
    const { conversationId } = await settledConversation(channel.channelId, String(CHAT));
    const thread = await threadOf(channel.channelId, String(CHAT));
    const res = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${channel.chatbotId}/trigger`,
      authed(channel.apiKey, {
        method: 'POST',
        body: JSON.stringify({ participantId: thread?.participantId, text: 'Your order has shipped.' }),
      }),
    );
    expect(res.status).toBe(202);
    expect(((await res.json()) as { conversationId: string }).conversationId).toBe(conversationId);
    const messages = await messagesOf(conversationId);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Your order has shipped.' });
  }, 30_000);
});
