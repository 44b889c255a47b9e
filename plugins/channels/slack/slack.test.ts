import { describe, expect, inject, it } from 'vitest';
import { runChannelContract } from '../../sdk/contracts/channel.contract.ts';
import { hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest } from '../../sdk/index.ts';
import { receivedBy } from '../../sdk/testing/channel.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import messageEvent from './fixtures/event-callback.message.json?raw';
import channelsEvent from './fixtures/event-callback.message-channels.json?raw';
import official from './fixtures/signing-vector.official.json';
import challenge from './fixtures/signing-vector.selfmade-url-verification.json';
import { formatSlack } from './format.ts';
import { slackChannel } from './index.ts';
import { SLACK_SPLIT_AT, splitSlack } from './split.ts';
import { SLACK_REPLAY_WINDOW_MS } from './verify.ts';

const NOW = Number(official.headers['X-Slack-Request-Timestamp']) * 1000;
const settings = slackChannel.settings.parse({
  botToken: 'xoxb-test',
  signingSecret: official.signing_secret,
  apiBaseUrl: inject('fakeServers').slack,
});

function request(rawBody: string, signature: string, extra: Record<string, string> = {}): InboundRequest {
  const headers = new Headers({
    'x-slack-signature': signature,
    'x-slack-request-timestamp': official.headers['X-Slack-Request-Timestamp'],
    ...extra,
  });
  return { method: 'POST', url: 'https://parley.test/webhooks/slack/bot-1', headers, rawBody };
}

async function signed(rawBody: string, extra: Record<string, string> = {}): Promise<InboundRequest> {
  const base = `v0:${official.headers['X-Slack-Request-Timestamp']}:${rawBody}`;
  return request(rawBody, `v0=${await hmacSha256Hex(settings.signingSecret, base)}`, extra);
}

const callback = (event: object, authorizations = [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }]) =>
  JSON.stringify({
    type: 'event_callback',
    event_id: `Ev${JSON.stringify(event).length}`,
    event_time: 1531420618,
    authorizations,
    event,
  });

const context = ({ signal, clock }: { signal: AbortSignal; clock: ReturnType<typeof fakeClock> }) => ({
  settings,
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  clock,
  signal,
});

runChannelContract(slackChannel, {
  context,
  now: NOW,
  samples: [
    { name: 'message.channels (official payload)', request: await signed(channelsEvent) },
    {
      name: 'message (official payload), a retry',
      request: await signed(messageEvent, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
    },
    {
      name: 'url_verification',
      request: request(challenge.raw_body, challenge.headers['X-Slack-Signature']),
      messages: 0,
    },
    {
      name: 'slash command (official signing vector)',
      request: request(official.raw_body, official.headers['X-Slack-Signature']),
      messages: 0,
    },
  ],
  signatureHeaders: ['x-slack-signature', 'x-slack-request-timestamp'],
  replayWindowMs: SLACK_REPLAY_WINDOW_MS,
  media: { mediaId: 'F0CONTRACTphoto' },
  outbound: { conversationKey: 'C123ABC456:1355517523.000005', text: 'Hello **there** <b> & co' },
});

describe('slack verify', () => {
  it('rejects the official vector with a real clock and with a future timestamp', async () => {
    const vector = request(official.raw_body, official.headers['X-Slack-Signature']);
    expect((await slackChannel.verify(settings, vector, Date.UTC(2026, 0, 1))).ok).toBe(false);
    expect((await slackChannel.verify(settings, vector, NOW - SLACK_REPLAY_WINDOW_MS - 1)).ok).toBe(false);
    expect(await slackChannel.verify(settings, vector, NOW + SLACK_REPLAY_WINDOW_MS)).toEqual({ ok: true });
  });
});

describe('slack parse', () => {
  const parse = async (event: object) => slackChannel.parse(await signed(callback(event)), settings).messages;

  it('answers url_verification with the challenge', () => {
    const parsed = slackChannel.parse(request(challenge.raw_body, challenge.headers['X-Slack-Signature']), settings);
    expect(parsed).toEqual({
      messages: [],
      reply: { status: 200, contentType: 'text/plain', body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
  });

  it('normalizes the official message, threading the reply, same id on retries', async () => {
    const [message] = slackChannel.parse(await signed(channelsEvent), settings).messages;
    expect(message).toMatchObject({
      platformMessageId: 'C123ABC456:1355517523.000005',
      conversationKey: 'C123ABC456:1355517523.000005',
      user: { id: 'U123ABC456' },
      content: { kind: 'text', text: 'Live long and prospect.' },
      sentAt: 1355517523000,
      raw: { chatType: 'group', addressed: false, eventId: 'Ev123ABC456' },
    });
    const [retry] = slackChannel.parse(await signed(messageEvent, { 'x-slack-retry-num': '2' }), settings).messages;
    expect(retry?.platformMessageId).toBe(message?.platformMessageId);
  });

  it('marks app_mention, DMs and bot mentions as addressed and keeps thread ts', async () => {
    const base = { channel: 'C1', user: 'U1', ts: '1700000000.000200' };
    expect((await parse({ ...base, type: 'app_mention', text: '<@UBOT> hi' }))[0]?.raw).toMatchObject({
      addressed: true,
    });
    const [dm] = await parse({ ...base, type: 'message', channel: 'D1', channel_type: 'im', text: 'hi' });
    expect(dm).toMatchObject({ conversationKey: 'D1', raw: { chatType: 'direct', addressed: true } });
    const [inThread] = await parse({
      ...base,
      type: 'message',
      channel_type: 'channel',
      text: 'more',
      thread_ts: '1699.1',
    });
    expect(inThread).toMatchObject({
      conversationKey: 'C1:1699.1',
      addressed: false,
      raw: { addressed: false, threadTs: '1699.1' },
    });
    expect((await parse({ ...base, type: 'message', text: 'hey <@UBOT>' }))[0]?.addressed).toBe(true);
    expect((await parse({ ...base, type: 'app_mention', text: '<@UBOT> hi' }))[0]?.addressed).toBe(true);
    expect(dm?.addressed).toBe(true);
    const thread = { ...base, type: 'message', channel_type: 'channel', text: 'and?', thread_ts: '1699.1' };
    expect((await parse({ ...thread, parent_user_id: 'UBOT' }))[0]?.addressed).toBe(true);
    expect((await parse({ ...thread, parent_user_id: 'U2' }))[0]?.addressed).toBe(false);
    expect((await parse({ ...base, type: 'message', channel_type: 'channel', text: 'lunch?' }))[0]?.addressed).toBe(
      false,
    );
  });

  it("drops the bot's own messages and edits, so answers never loop", async () => {
    const base = { type: 'message', channel: 'C1', ts: '1700000000.000400', text: 'my answer' };
    expect(await parse({ ...base, user: 'UBOT' })).toEqual([]);
    expect(await parse({ ...base, user: 'UBOT', bot_id: 'B1', thread_ts: '1699.1', parent_user_id: 'U1' })).toEqual([]);
    const changed = { type: 'message', subtype: 'message_changed', channel: 'C1', ts: '1700000001.0' };
    const mine = { text: 'streamed', ts: '1700000000.000400' };
    expect(await parse({ ...changed, message: { ...mine, user: 'UBOT' } })).toEqual([]);
    expect(await parse({ ...changed, message: { ...mine, user: 'UBOT', bot_id: 'B1' } })).toEqual([]);
    expect(await parse({ ...changed, message: { ...mine, user: 'U9' }, previous_message: { bot_id: 'B1' } })).toEqual(
      [],
    );
  });

  it('ignores bot messages and non-text subtypes; reads files, edits and reactions', async () => {
    const base = { type: 'message', channel: 'C1', user: 'U1', ts: '1700000000.000300' };
    expect(await parse({ ...base, text: 'beep', bot_id: 'B1' })).toEqual([]);
    expect(await parse({ ...base, subtype: 'bot_message', text: 'beep' })).toEqual([]);
    expect(await parse({ ...base, subtype: 'channel_join', text: '<@U1> has joined' })).toEqual([]);
    const files = await parse({
      ...base,
      subtype: 'file_share',
      text: 'see',
      files: [
        { id: 'F1', mimetype: 'image/png' },
        { id: 'F2', mimetype: 'application/pdf' },
      ],
    });
    expect(files.map((message) => [message.platformMessageId, message.content])).toEqual([
      ['C1:1700000000.000300', { kind: 'image', mediaId: 'F1', mimeType: 'image/png', caption: 'see' }],
      ['C1:1700000000.000300#1', { kind: 'document', mediaId: 'F2', mimeType: 'application/pdf' }],
    ]);
    const [edit] = await parse({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1700000001.0',
      message: { user: 'U1', text: 'fixed', ts: '1700000000.000300' },
    });
    expect(edit?.content).toEqual({ kind: 'edit', targetMessageId: '1700000000.000300', text: 'fixed' });
    const [reaction] = await parse({
      type: 'reaction_added',
      user: 'U1',
      reaction: 'thumbsup',
      item: { type: 'message', channel: 'C1', ts: '1700000000.000300' },
      event_ts: '1700000002.0',
    });
    expect(reaction?.content).toEqual({ kind: 'reaction', emoji: 'thumbsup', targetMessageId: '1700000000.000300' });
    expect(reaction?.conversationKey).toBe('C1:1700000000.000300');
  });
});

describe('slack format and split', () => {
  it('escapes &, < and > and converts markdown to mrkdwn', () => {
    expect(formatSlack('**Bold** *it* ~~gone~~ [docs](https://x.test/?a=1&b=2) <@U1> & `a<b`')).toBe(
      '*Bold* _it_ ~gone~ <https://x.test/?a=1&amp;b=2|docs> &lt;@U1&gt; &amp; `a&lt;b`',
    );
    expect(formatSlack('# Title\n- one\n```ts\nif (a < b) {}\n```')).toBe('*Title*\n• one\n```\nif (a &lt; b) {}\n```');
  });

  it('splits at 3,000 characters without breaking words or code fences', () => {
    const code = `\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} < x`).join('\n')}\n\`\`\``;
    const chunks = splitSlack(`${'word '.repeat(700)}\n\n${code}`);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(SLACK_SPLIT_AT);
      expect((chunk.match(/```/g) ?? []).length % 2).toBe(0);
      expect(chunk).not.toMatch(/wor$|&l$|&lt$/);
    }
  });
});

describe('slack send against the fake Web API', () => {
  const ctx = () => context({ signal: new AbortController().signal, clock: fakeClock(NOW) });

  it('posts in the thread with the bot token and updates for streaming edits', async () => {
    const sent = await slackChannel.send(ctx(), { conversationKey: 'C1:1700.1', text: 'x '.repeat(2000) });
    expect(sent).toMatchObject({ ok: true });
    if (!sent.ok) return;
    expect(sent.platformMessageIds).toHaveLength(2);
    const ts = sent.platformMessageIds[0] ?? '';
    const edit = { conversationKey: 'C1:1700.1', platformMessageId: ts, text: '**done**' };
    expect(await slackChannel.edit?.(ctx(), edit)).toEqual({ ok: true, platformMessageIds: [ts] });
    const [update] = (await receivedBy('slack', ts)).filter((r) => r.path === '/api/chat.update');
    expect(update).toMatchObject({
      headers: { authorization: 'Bearer xoxb-test' },
      body: { channel: 'C1', ts, text: '*done*' },
    });
    const unknown = { ...edit, platformMessageId: '1.000001' };
    expect(await slackChannel.edit?.(ctx(), unknown)).toMatchObject({ ok: false, code: 'message_not_found' });
  });

  it('maps rate limits, missing channels, 5xx and bad tokens', async () => {
    const send = (key: string, c = ctx()) => slackChannel.send(c, { conversationKey: key, text: 'hi' });
    expect(await send('C-RATELIMITED')).toMatchObject({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(await send('C-MISSING')).toMatchObject({ ok: false, retryable: false, code: 'channel_not_found' });
    expect(await send('C-500')).toMatchObject({ ok: false, retryable: true, code: 'http_500' });
    const bad = { ...ctx(), settings: { ...settings, botToken: 'xoxb-wrong' } };
    expect(await send('C1', bad)).toMatchObject({ ok: false, retryable: false, code: 'invalid_auth' });
  });
});
