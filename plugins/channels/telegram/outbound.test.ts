import { describe, expect, it } from 'vitest';
import { mapTelegramError } from './api.ts';
import { editTelegram } from './edit.ts';
import sendMessageShape from './fixtures/sendMessage.request.json';
import setWebhookShape from './fixtures/setWebhook.request.json';
import { escapeHtml, toTelegramHtml } from './format.ts';
import { telegramChannel } from './index.ts';
import { TELEGRAM_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { setWebhookBody } from './setup.ts';
import { FAKE_TOKEN, fakeContext } from './testing.ts';
import { sendTyping } from './typing.ts';

describe('telegram format', () => {
  it('escapes the three characters HTML mode reserves', () => {
    expect(escapeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(toTelegramHtml('1 < 2 & <b>not a tag</b>')).toBe('1 &lt; 2 &amp; &lt;b&gt;not a tag&lt;/b&gt;');
  });

  it('maps markdown emphasis, headings, lists and links to Telegram tags', () => {
    expect(toTelegramHtml('**bold** *it* _it2_ ~~gone~~')).toBe('<b>bold</b> <i>it</i> <i>it2</i> <s>gone</s>');
    expect(toTelegramHtml('# Title\n- one\n- two')).toBe('<b>Title</b>\n• one\n• two');
    expect(toTelegramHtml('[docs](https://x.test/?a=1&b="2")')).toBe(
      '<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">docs</a>',
    );
    expect(toTelegramHtml('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
    expect(toTelegramHtml('\\*literal\\*')).toBe('*literal*');
  });

  it('keeps code verbatim but escaped', () => {
    expect(toTelegramHtml('use `a<b && **c**`')).toBe('use <code>a&lt;b &amp;&amp; **c**</code>');
    expect(toTelegramHtml('```ts\nif (a < b) x = "**";\n```')).toBe(
      '<pre><code class="language-ts">if (a &lt; b) x = "**";</code></pre>',
    );
  });
});

describe('telegram send()', () => {
  it('sends HTML through sendMessage in the documented shape', async () => {
    const { ctx, sent } = fakeContext();
    const result = await telegramChannel.send(ctx, { conversationKey: '1111111', text: 'Hi **Ada** <3' });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^1111111:\d+$/)] });
    expect(sent[0]?.url).toBe(`${ctx.settings.apiBaseUrl}/bot${FAKE_TOKEN}/sendMessage`);
    expect(sent[0]?.body).toEqual({ chat_id: 1111111, text: 'Hi <b>Ada</b> &lt;3', parse_mode: 'HTML' });
    expect(Object.keys(sent[0]?.body ?? {})).toEqual(
      expect.arrayContaining(Object.keys(sendMessageShape.body).filter((key) => key !== 'reply_parameters')),
    );
  });

  it('sends to a forum topic with message_thread_id', async () => {
    const { ctx, sent } = fakeContext();
    await telegramChannel.send(ctx, { conversationKey: '-1001234567890:7', text: 'hi' });
    expect(sent[0]?.body).toMatchObject({ chat_id: -1001234567890, message_thread_id: 7 });
  });

  it('splits long replies at 4096 characters on word boundaries, keeping formatting valid', async () => {
    const { ctx, sent } = fakeContext();
    const paragraph = `${'**bold words** & <more> text '.repeat(60)}\n\n`;
    const result = await telegramChannel.send(ctx, { conversationKey: '1111111', text: paragraph.repeat(6) });
    expect(result.ok).toBe(true);
    expect(sent.length).toBeGreaterThan(1);
    for (const { body } of sent) {
      const text = String(body.text);
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE_LENGTH);
      expect(text.match(/<b>/g)?.length).toBe(text.match(/<\/b>/g)?.length);
      expect(text).not.toMatch(/\*\*/);
    }
  });

  it('maps a blocked user to a permanent failure', async () => {
    const result = await telegramChannel.send(fakeContext().ctx, { conversationKey: '403', text: 'hi' });
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked',
      message: 'Forbidden: bot was blocked by the user',
    });
  });

  it('maps 429 to a retry after retry_after seconds', async () => {
    const result = await telegramChannel.send(fakeContext().ctx, { conversationKey: '429', text: 'hi' });
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'rate_limited', retryAfterMs: 7000 });
  });

  it('maps 5xx to retryable and a wrong token to a permanent failure that does not leak it', async () => {
    expect(await telegramChannel.send(fakeContext().ctx, { conversationKey: '500', text: 'hi' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    const wrong = fakeContext({ botToken: '999:WRONG-secret-token' }).ctx;
    const result = await telegramChannel.send(wrong, { conversationKey: '1111111', text: 'hi' });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'unauthorized' });
    expect(JSON.stringify(result)).not.toContain('WRONG-secret-token');
  });

  it('maps an unreachable chat and unknown errors without retrying', () => {
    expect(mapTelegramError(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' })).toEqual({
      ok: false,
      retryable: false,
      code: 'telegram_400',
      message: 'Bad Request: chat not found',
    });
    expect(mapTelegramError(502, undefined)).toMatchObject({ retryable: true, message: 'HTTP 502' });
  });
});

describe('telegram typing, edits and webhook setup', () => {
  it('sends the typing chat action', async () => {
    const { ctx, sent } = fakeContext();
    expect(await sendTyping(ctx, '1111111')).toEqual({ ok: true, platformMessageIds: [] });
    expect(sent[0]?.url).toMatch(/\/sendChatAction$/);
    expect(sent[0]?.body).toEqual({ chat_id: 1111111, action: 'typing' });
  });

  it('edits a streamed message and treats "not modified" as done', async () => {
    const { ctx, sent } = fakeContext();
    const first = await telegramChannel.send(ctx, { conversationKey: '1111111', text: 'Partial' });
    if (!first.ok) throw new Error(first.message);
    const id = first.platformMessageIds[0] ?? '';
    const edit = { conversationKey: '1111111', platformMessageId: id, text: 'Partial **answer**' };
    expect(await editTelegram(ctx, edit)).toEqual({ ok: true, platformMessageIds: [id] });
    expect(sent[1]?.body).toEqual({
      chat_id: 1111111,
      message_id: Number(id.split(':')[1]),
      text: 'Partial <b>answer</b>',
      parse_mode: 'HTML',
    });
    expect(await editTelegram(ctx, edit)).toEqual({ ok: true, platformMessageIds: [id] });
  });

  it('builds the setWebhook call in the documented shape, keeping pending updates', () => {
    const { ctx } = fakeContext();
    const body = setWebhookBody(ctx, 'https://parley.example/webhooks/telegram/ch_1');
    expect(Object.keys(body).sort()).toEqual(
      Object.keys(setWebhookShape.body)
        .filter((key) => key !== 'max_connections')
        .sort(),
    );
    expect(body).toMatchObject({
      url: 'https://parley.example/webhooks/telegram/ch_1',
      secret_token: 'fixture_Secret-Token_123',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'message_reaction'],
      drop_pending_updates: false,
    });
  });
});
