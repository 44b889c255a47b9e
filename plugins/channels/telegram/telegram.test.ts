import { describe, expect, it } from 'vitest';
import { runChannelContract } from '../../sdk/contracts/channel.contract.ts';
import type { InboundRequest } from '../../sdk/index.ts';
import { FIXED_EPOCH } from '../../sdk/testing/fakes.ts';
import vector from './fixtures/secret-token-vector.json';
import callbackBody from './fixtures/update-callback-query.official.json?raw';
import editedBody from './fixtures/update-edited-message.official.json?raw';
import textBody from './fixtures/update-text.official.json?raw';
import voiceCurrentBody from './fixtures/update-voice.current-schema.json?raw';
import voiceBody from './fixtures/update-voice.official.json?raw';
import { telegramChannel } from './index.ts';
import { fakeContext, telegramSettings } from './testing.ts';

const SECRET = vector.configured_secret_token;
const HEADER = 'x-telegram-bot-api-secret-token';

function webhook(rawBody: string, headers: Record<string, string | undefined> = { [HEADER]: SECRET }): InboundRequest {
  const all = new Headers({ 'content-type': 'application/json' });
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) all.set(name, value);
  return { method: 'POST', url: 'https://parley.test/webhooks/telegram/ch_1', headers: all, rawBody };
}
const update = (body: Record<string, unknown>) => webhook(JSON.stringify({ update_id: 20000, ...body }));

// Constructed per https://core.telegram.org/bots/api#message for kinds the official samples lack.
const chat = { id: 1111111, type: 'private' };
const from = { id: 1111111, is_bot: false, first_name: 'Test', last_name: 'User', username: 'testuser' };
const base = { message_id: 1400, date: 1441645700, chat, from };
const group = { id: -1001234567890, type: 'supergroup', title: 'Team' };
const constructed = {
  photo: update({
    message: {
      ...base,
      caption: 'look',
      photo: [
        { file_id: 'small', width: 90, height: 90 },
        { file_id: 'large', width: 800, height: 800 },
      ],
    },
  }),
  document: update({
    message: { ...base, document: { file_id: 'doc-1', file_unique_id: 'u1', mime_type: 'application/pdf' } },
  }),
  audio: update({
    message: { ...base, audio: { file_id: 'aud-1', file_unique_id: 'u2', duration: 3, mime_type: 'audio/mpeg' } },
  }),
  sticker: update({
    message: { ...base, sticker: { file_id: 'stk-1', file_unique_id: 'u3', emoji: '👍', type: 'regular' } },
  }),
  location: update({ message: { ...base, location: { latitude: 48.8584, longitude: 2.2945 } } }),
  contact: update({
    message: { ...base, contact: { phone_number: '+15550001111', first_name: 'Ada', last_name: 'L' } },
  }),
  callback: update({
    callback_query: {
      id: 'cb-77',
      from,
      chat_instance: '42',
      data: 'plan:pro',
      message: { ...base, from: { id: 999, is_bot: true, first_name: 'Bot' }, text: 'Pick a plan' },
    },
  }),
  reaction: update({
    message_reaction: {
      chat,
      message_id: 1365,
      user: from,
      date: 1441645800,
      old_reaction: [],
      new_reaction: [{ type: 'emoji', emoji: '❤' }],
    },
  }),
  groupMention: update({
    message: {
      ...base,
      chat: group,
      text: '@ParleyBot what time is it?',
      entities: [{ type: 'mention', offset: 0, length: 10 }],
    },
  }),
  groupReply: update({
    message: {
      ...base,
      chat: group,
      message_thread_id: 7,
      text: 'and tomorrow?',
      reply_to_message: {
        message_id: 1399,
        date: 1441645600,
        chat: group,
        from: { id: 999, is_bot: true, first_name: 'Bot' },
      },
    },
  }),
  groupChatter: update({ message: { ...base, chat: group, text: 'lunch?' } }),
};

runChannelContract(telegramChannel, {
  context: ({ signal, clock }) => ({ ...fakeContext().ctx, clock, signal }),
  now: FIXED_EPOCH,
  samples: [
    { name: 'official text message', request: webhook(textBody) },
    { name: 'official voice message (old schema)', request: webhook(voiceBody) },
    { name: 'voice message (current schema)', request: webhook(voiceCurrentBody) },
    { name: 'official edited message', request: webhook(editedBody) },
    { name: 'official inline-mode callback (no chat, skipped)', request: webhook(callbackBody), messages: 0 },
    ...Object.entries(constructed).map(([name, request]) => ({ name: `constructed ${name}`, request })),
  ],
  signatureHeaders: [HEADER],
  signsBody: false,
  outbound: { conversationKey: '1111111', text: 'Hello **there** <3 & goodbye' },
  media: { mediaId: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX' },
});

describe('telegram verify()', () => {
  for (const [index, testCase] of vector.cases.entries()) {
    it(`secret-token vector case ${index}: ${testCase.expected}`, async () => {
      const result = await telegramChannel.verify(telegramSettings(), webhook(textBody, testCase.headers), FIXED_EPOCH);
      expect(result.ok).toBe(testCase.expected === 'accept');
    });
  }
  it('rejects GET requests', async () => {
    const result = await telegramChannel.verify(
      telegramSettings(),
      { ...webhook(textBody), method: 'GET' },
      FIXED_EPOCH,
    );
    expect(result).toMatchObject({ ok: false, status: 403 });
  });
  it('requires a secret Telegram accepts', () => {
    expect(() => telegramSettings({ webhookSecret: 'short' })).toThrow();
    expect(() => telegramSettings({ webhookSecret: 'has spaces in it, not allowed' })).toThrow();
  });
});

describe('telegram parse()', () => {
  const one = (request: InboundRequest) => {
    const [message, ...rest] = telegramChannel.parse(request, telegramSettings()).messages;
    expect(rest).toEqual([]);
    return message;
  };

  it('reads the official text update', () => {
    expect(one(webhook(textBody))).toMatchObject({
      platformMessageId: '1111111:1365',
      conversationKey: '1111111',
      user: { id: '1111111', name: 'Test Firstname Test Lastname' },
      content: { kind: 'text', text: '/start' },
      sentAt: 1441645532000,
    });
  });

  it('reads voice notes from both voice samples', () => {
    const voice = { kind: 'voice', mediaId: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'audio/ogg' };
    expect(one(webhook(voiceBody))?.content).toEqual(voice);
    expect(one(webhook(voiceCurrentBody))?.content).toEqual(voice);
  });

  it('turns an edited message into an edit of the original id', () => {
    expect(one(webhook(editedBody))).toMatchObject({
      platformMessageId: '1111111:1365:edit:1441646600',
      content: { kind: 'edit', targetMessageId: '1111111:1365', text: 'Edited text' },
      sentAt: 1441646600000,
    });
  });

  it('skips inline-mode callbacks, which have no chat to answer in', () => {
    expect(telegramChannel.parse(webhook(callbackBody), telegramSettings()).messages).toEqual([]);
  });

  it('normalizes every other kind', () => {
    expect(one(constructed.photo)?.content).toEqual({ kind: 'image', mediaId: 'large', caption: 'look' });
    expect(one(constructed.document)?.content).toEqual({
      kind: 'document',
      mediaId: 'doc-1',
      mimeType: 'application/pdf',
    });
    expect(one(constructed.audio)?.content).toEqual({ kind: 'audio', mediaId: 'aud-1', mimeType: 'audio/mpeg' });
    expect(one(constructed.sticker)?.content).toEqual({ kind: 'sticker', mediaId: 'stk-1', caption: '👍' });
    expect(one(constructed.location)?.content).toEqual({ kind: 'location', latitude: 48.8584, longitude: 2.2945 });
    expect(one(constructed.contact)?.content).toEqual({ kind: 'contact', name: 'Ada L', phone: '+15550001111' });
    expect(one(constructed.callback)).toMatchObject({
      platformMessageId: 'callback:cb-77',
      user: { id: '1111111' },
      content: { kind: 'reply', payload: 'plan:pro', text: 'Pick a plan' },
      raw: { callbackQueryId: 'cb-77' },
    });
    expect(one(constructed.reaction)?.content).toEqual({
      kind: 'reaction',
      emoji: '❤',
      targetMessageId: '1111111:1365',
    });
  });

  it('ignores bodies that are not updates', () => {
    expect(telegramChannel.parse(webhook('not json'), telegramSettings()).messages).toEqual([]);
    expect(telegramChannel.parse(webhook('{"update_id":1,"poll":{}}'), telegramSettings()).messages).toEqual([]);
  });

  it('marks group messages addressed only when they mention, reply to or command the bot', () => {
    const addressed = (message: Record<string, unknown>) =>
      one(update({ message: { ...base, chat: group, ...message } }))?.addressed;
    expect(one(webhook(textBody))?.addressed).toBe(true); // private chat
    expect(one(constructed.groupMention)?.addressed).toBe(true);
    expect(one(constructed.groupChatter)?.addressed).toBe(false);
    // groupReply answers a message of bot 999, another bot: the fake token's bot is 123456.
    expect(one(constructed.groupReply)).toMatchObject({ conversationKey: '-1001234567890:7', addressed: false });
    const toUs = {
      message_id: 1399,
      date: 1441645600,
      chat: group,
      from: { id: 123456, is_bot: true, first_name: 'P' },
    };
    expect(addressed({ text: 'and tomorrow?', reply_to_message: toUs })).toBe(true);
    const other = { text: '@OtherBot hi', entities: [{ type: 'mention', offset: 0, length: 9 }] };
    expect(addressed(other)).toBe(false);
    const caption = {
      photo: [{ file_id: 'p' }],
      caption: 'hey @parleybot',
      caption_entities: [{ type: 'mention', offset: 4, length: 10 }],
    };
    expect(addressed(caption)).toBe(true);
    const textMention = {
      text: 'Parley, hi',
      entities: [{ type: 'text_mention', offset: 0, length: 6, user: { id: 123456 } }],
    };
    expect(addressed(textMention)).toBe(true);
    const command = (text: string) => ({ text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] });
    expect(addressed(command('/help@ParleyBot'))).toBe(true);
    expect(addressed(command('/help@OtherBot'))).toBe(false);
    expect(addressed(command('/help'))).toBe(true);
  });

  it('knows the bot by its token id even without a username setting', () => {
    const settings = telegramSettings({ botUsername: undefined });
    const reply = { message_id: 1399, date: 1, chat: group, from: { id: 123456, is_bot: true, first_name: 'P' } };
    const request = update({ message: { ...base, chat: group, text: 'so?', reply_to_message: reply } });
    expect(telegramChannel.parse(request, settings).messages[0]?.addressed).toBe(true);
    expect(telegramChannel.parse(constructed.groupMention, settings).messages[0]?.addressed).toBe(false);
  });

  it('treats button presses as addressed and group reactions as not', () => {
    expect(one(constructed.callback)?.addressed).toBe(true);
    expect(one(constructed.reaction)?.addressed).toBe(true);
    const groupReaction = update({
      message_reaction: {
        chat: group,
        message_id: 5,
        user: from,
        date: 1,
        old_reaction: [],
        new_reaction: [{ type: 'emoji', emoji: '👍' }],
      },
    });
    expect(one(groupReaction)?.addressed).toBe(false);
  });
});
