/**
 * Reply files on messaging channels (issue 18 §1): a custom action's PDF, attached to the reply, reaches the chat as
 * a document after the text — on Telegram (sendDocument) and WhatsApp (media upload + document message) — exactly
 * once, also when the upload is rate limited and retried from the alarm.
 */
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { inboundEnvelope } from '../../plugins/channels/whatsapp/testing.ts';
import type { MultipartField } from '../../plugins/sdk/fake/request-log.ts';
import { sha256Hex } from '../../plugins/sdk/testing/channel.ts';
import { replyFiles, sendReplyFiles } from '../../worker/channels/reply-files.ts';
import { loadChannel } from '../../worker/channels/runtime.ts';
import type { ConversationStore } from '../../worker/conversation/store.ts';
import { REPORT_BYTES } from '../../worker/custom-actions/fake/server.ts';
import { fakeAction, scriptedChatbot } from '../../worker/custom-actions/testing.ts';
import { database } from '../../worker/db/client.ts';
import { channels } from '../../worker/db/schema/index.ts';
import { systemClock } from '../../worker/ports/clock.ts';
import { type ChannelChat, eventually, telegramChat } from './fixtures.ts';
import { channelFixture, deliver, messagesOf, settledConversation, waitFor } from './webhook-helpers.ts';

/** The scripted model calls the fake API's `getReport`, which answers a PDF (report.pdf). */
const ASK_FOR_REPORT = JSON.stringify([{ name: 'getReport', arguments: {} }]);

async function reportChatbot(teamId: string): Promise<string> {
  const action = await fakeAction(teamId, ['getReport']);
  return scriptedChatbot(teamId, [`action:${action.id}`]);
}

interface Received {
  at: string;
  path: string;
  body: unknown;
}

async function received(fake: string, contains: string): Promise<Received[]> {
  const response = await fetch(`${inject('fakeServers')[fake]}/__requests?contains=${encodeURIComponent(contains)}`);
  return (await response.json()) as Received[];
}

const fields = (call: Received | undefined) => (Array.isArray(call?.body) ? (call.body as MultipartField[]) : []);
const field = (call: Received | undefined, name: string) => fields(call).find((f) => f.name === name);

/** The Bot API calls for `chatId` (typing aside), JSON or multipart, as method names with the call. */
async function telegramMethods(chatId: number) {
  const calls = await received('telegram', String(chatId));
  return calls
    .filter((call) => {
      const body = call.body as { chat_id?: number } | MultipartField[];
      return Array.isArray(body) ? field(call, 'chat_id')?.value === String(chatId) : body?.chat_id === chatId;
    })
    .map((call) => ({ method: call.path.split('/').at(-1) ?? '', call }))
    .filter(({ method }) => method !== 'sendChatAction');
}

type FileOutcome = { fileId: string; name: string; status: string; platformMessageIds?: string[] };

/** The delivery of the chat's first reply once its files are all settled (sent, skipped or failed). */
function filesSettled(chat: ChannelChat) {
  return eventually(async () => {
    const reply = (await chat.messages()).find((m) => m.role === 'assistant');
    const delivery = reply?.metadata.delivery as { files?: FileOutcome[] } | undefined;
    const settled = delivery?.files?.every((file) => ['sent', 'skipped', 'failed'].includes(file.status));
    return reply && settled
      ? { reply, delivery: delivery as Record<string, unknown> & { files: FileOutcome[] } }
      : undefined;
  }, 15_000);
}

/** A Twilio SMS conversation whose chatbot answered with the fake API's report.pdf attached. */
async function twilioReportConversation() {
  const channel = await channelFixture('twilio', { options: { streamEdits: false } });
  const chatbotId = await reportChatbot(channel.teamId);
  await database(env.DB).update(channels).set({ chatbotId }).where(eq(channels.id, channel.channelId));
  const from = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const sid = `SM${crypto.randomUUID().replaceAll('-', '')}`;
  const form = new URLSearchParams({
    MessageSid: sid,
    SmsMessageSid: sid,
    AccountSid: 'AC00000000000000000000000000000001',
    From: from,
    To: '+14155550100',
    Body: ASK_FOR_REPORT,
    NumMedia: '0',
  });
  expect((await deliver(channel, form.toString())).status).toBe(200);
  const { conversationId } = await settledConversation(channel.channelId, from);
  return { channel, from, conversationId };
}

// Generous: real turns, a custom action and uploads against fake platforms on a shared machine.
describe('reply files delivered to messaging channels', { timeout: 30_000 }, () => {
  it('Telegram: sends the text, then the PDF with sendDocument, byte for byte, once', async () => {
    const chat = await telegramChat({ chatbot: reportChatbot, channelOptions: { streamEdits: false } });
    await chat.post(ASK_FOR_REPORT);
    const { reply, delivery } = await filesSettled(chat);
    const [attachment] = reply.metadata.attachments as [{ fileId: string }];
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(delivery.files).toEqual([
      {
        fileId: attachment.fileId,
        name: 'report.pdf',
        status: 'sent',
        platformMessageIds: [expect.stringMatching(new RegExp(`^${chat.chatId}:\\d+$`))],
      },
    ]);

    const calls = await telegramMethods(chat.chatId);
    expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendDocument']);
    const upload = calls[1]?.call;
    expect(field(upload, 'document')).toEqual({
      name: 'document',
      size: REPORT_BYTES.byteLength,
      filename: 'report.pdf',
      contentType: 'application/pdf',
      sha256: await sha256Hex(new Uint8Array(REPORT_BYTES)),
    });

    // A later alarm sends nothing again.
    await runDurableObjectAlarm(chat.stub());
    expect((await telegramMethods(chat.chatId)).map((c) => c.method)).toEqual(['sendMessage', 'sendDocument']);
  });

  it('Telegram: a rate-limited upload is retried from the alarm without resending the text or the file', async () => {
    // The fake answers 429 (retry_after 1) to the first sendDocument for a chat id in 4280000000–4289999999.
    const chatId = 4_280_000_000 + Math.floor(Math.random() * 9_999_999);
    const chat = await telegramChat({ chatId, chatbot: reportChatbot, channelOptions: { streamEdits: false } });
    await chat.post(ASK_FOR_REPORT);
    const retrying = await eventually(async () => {
      const reply = (await chat.messages()).find((m) => m.role === 'assistant');
      const delivery = reply?.metadata.delivery as { files?: FileOutcome[]; nextAttemptAt?: number } | undefined;
      return delivery?.files?.[0]?.status === 'retrying' ? delivery : undefined;
    }, 15_000);
    expect(retrying).toMatchObject({
      status: 'sent',
      files: [{ status: 'retrying', error: { code: 'rate_limited' } }],
    });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (retrying.nextAttemptAt ?? 0) - Date.now() + 50)));
    await runDurableObjectAlarm(chat.stub());
    const { delivery } = await filesSettled(chat);
    expect(delivery.files).toMatchObject([{ name: 'report.pdf', status: 'sent' }]);
    expect(delivery.nextAttemptAt).toBeUndefined();

    await runDurableObjectAlarm(chat.stub());
    const methods = (await telegramMethods(chatId)).map((c) => c.method);
    // One text; the refused upload and the delivered one.
    expect(methods).toEqual(['sendMessage', 'sendDocument', 'sendDocument']);
  });

  it('WhatsApp: uploads the PDF to /media, then sends a document message naming it, after the text', async () => {
    const channel = await channelFixture('whatsapp', { options: { streamEdits: false } });
    const chatbotId = await reportChatbot(channel.teamId);
    await database(env.DB).update(channels).set({ chatbotId }).where(eq(channels.id, channel.channelId));
    const waId = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const wamid = `wamid.FILES-${waId}-1`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const envelope = inboundEnvelope(
      { id: wamid, timestamp, type: 'text', text: { body: ASK_FOR_REPORT } },
      { waId, name: 'Files Test' },
    );
    expect((await deliver(channel, envelope)).status).toBe(200);
    await settledConversation(channel.channelId, waId);
    const calls = await waitFor(
      () => received('whatsapp', waId),
      (list) => list.some((call) => (call.body as { type?: string }).type === 'document'),
    );
    const messages = calls.filter((call) => (call.body as { to?: string }).to === waId);
    expect(messages.map((call) => (call.body as { type: string }).type)).toEqual(['text', 'document']);
    const document = (messages[1]?.body as { document?: unknown } | undefined)?.document;
    expect(document).toEqual({ id: expect.stringMatching(/^media-upload-/), filename: 'report.pdf' });

    const uploads = (await received('whatsapp', 'report.pdf')).filter(
      (call) => call.path.endsWith('/media') && call.at <= (messages[1]?.at ?? ''),
    );
    const digest = await sha256Hex(new Uint8Array(REPORT_BYTES));
    const upload = uploads.find((call) => field(call, 'file')?.sha256 === digest);
    expect(field(upload, 'type')?.value).toBe('application/pdf');
    expect(field(upload, 'file')).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf' });
  });

  it('Twilio without PUBLIC_URL (no link to sign for its MediaUrl): the text names the file instead', async () => {
    const { from } = await twilioReportConversation();
    const calls = await waitFor(
      () => received('twilio', from),
      (list) => list.some((call) => String((call.body as { Body?: string }).Body).includes('[file: report.pdf]')),
    );
    const sent = calls.filter((call) => (call.body as { To?: string }).To === from);
    expect(sent).toHaveLength(1);
    expect((sent[0]?.body as { Body?: string } | undefined)?.Body).toMatch(/\n\n\[file: report\.pdf\]$/);
  });

  it('Twilio with PUBLIC_URL: the file goes as MediaUrl, a signed link that serves its bytes', async () => {
    const { channel, from, conversationId } = await twilioReportConversation();
    const reply = (await messagesOf(conversationId)).find((m) => m.role === 'assistant');
    if (!reply) throw new Error('no reply');
    const runtime = await loadChannel(env, channel.channelId);
    if (!runtime) throw new Error('no channel');
    // The delivery itself, with the deployment's public origin set (the test Worker has none: see the test above).
    const outcome = await runInDurableObject(
      env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId)),
      (instance) => {
        const { store } = instance as unknown as { store: ConversationStore };
        const host = { env: { ...env, PUBLIC_URL: 'https://bots.example.com' }, store, clock: systemClock };
        return sendReplyFiles({ ...host, address: { conversationKey: from } }, runtime, replyFiles(reply), [], false);
      },
    );
    expect(outcome.files).toEqual([expect.objectContaining({ name: 'report.pdf', status: 'sent' })]);
    const media = (await received('twilio', from))
      .map((call) => call.body as { To?: string; MediaUrl?: string })
      .filter((body) => body.To === from && body.MediaUrl);
    expect(media).toHaveLength(1);
    const link = new URL(media[0]?.MediaUrl ?? '');
    expect(link.origin).toBe('https://bots.example.com');
    expect(link.pathname).toMatch(new RegExp(`^/api/v1/channel-files/${channel.teamId}/${conversationId}/file_`));
    // What Twilio fetches: the PDF, byte for byte, with no API key.
    const download = await SELF.fetch(`http://localhost${link.pathname}${link.search}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array(REPORT_BYTES));
  });
});
