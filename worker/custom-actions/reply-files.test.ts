import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { authed, BASE, startConversation } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import type { WidgetSession } from '../widget/session.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';
import { REPORT_BYTES } from './fake/server.ts';
import { fakeAction, scriptedChatbot } from './testing.ts';

/** The demo widget answered by the scripted model, which may call the fake API's `getReport` (a PDF download). */
async function widgetWithReport() {
  const { demo } = await seedWidget();
  const action = await fakeAction(demo.teamId, ['getReport']);
  const chatbotId = await scriptedChatbot(demo.teamId, [`action:${action.id}`]);
  await database(env.DB).update(widgetKeys).set({ chatbotId }).where(eq(widgetKeys.key, demo.widgetKey));
  return { demo, chatbotId, open: () => openSession({ widgetKey: demo.widgetKey }) };
}

async function ask(session: WidgetSession, text: string): Promise<ConversationMessage> {
  const sent = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token, {
    method: 'POST',
    body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }),
  });
  expect(sent.status, await sent.clone().text()).toBe(202);
  const { turnId } = (await sent.json()) as { turnId: string };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token);
    const { data } = (await res.json()) as { data: ConversationMessage[] };
    const reply = data.find((m) => m.turnId === turnId && m.role === 'assistant' && m.status !== 'streaming');
    if (reply) return reply;
    if (Date.now() > deadline) throw new Error(`no reply; messages: ${JSON.stringify(data).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Attachment = { fileId: string; name: string; mimeType: string; size: number };

// Issue 18 §1: a file an action returns is an attachment of that turn's reply, served only to its conversation.
describe('files from custom actions on the reply', { timeout: 30_000 }, () => {
  it('attaches the file to the reply, downloadable by its widget user, by no other conversation or team', async () => {
    const { open } = await widgetWithReport();
    const session = await open();
    const reply = await ask(session, JSON.stringify([{ name: 'getReport', arguments: {} }]));
    expect(reply.status, JSON.stringify(reply.error)).toBe('complete');
    const attachments = reply.metadata.attachments as Attachment[];
    expect(attachments).toEqual([
      {
        fileId: expect.stringMatching(/^file_/),
        name: 'report.pdf',
        mimeType: 'application/pdf',
        size: REPORT_BYTES.byteLength,
      },
    ]);
    const [file] = attachments as [Attachment];

    // The widget user of this conversation downloads it, byte for byte, as an attachment (never rendered inline).
    const download = await widgetFetch(`/files/${file.fileId}`, session.token);
    expect(download.status, `${await download.clone().text()} ${session.conversationId}`).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('report.pdf');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array(REPORT_BYTES));

    // Another conversation of the same widget, and a conversation of another team, cannot fetch it.
    const other = await open();
    expect((await widgetFetch(`/files/${file.fileId}`, other.token)).status).toBe(404);
    const teamB = await widgetWithReport();
    const stranger = await teamB.open();
    expect((await widgetFetch(`/files/${file.fileId}`, stranger.token)).status).toBe(404);
  });

  it('carries the attachment on the reply the REST API returns, served to that team only', async () => {
    const { demo, chatbotId } = await widgetWithReport();
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ text: JSON.stringify([{ name: 'getReport', arguments: {} }]) }),
      }),
    );
    expect(res.status).toBe(201);
    const { reply } = (await res.json()) as { reply: ConversationMessage };
    const [file] = reply.metadata.attachments as [Attachment];
    expect(file).toMatchObject({ name: 'report.pdf', mimeType: 'application/pdf' });
    const history = await api.get(demo.apiKey, `/api/v1/conversations/${conversationId}/messages`);
    const { data } = (await history.json()) as { data: ConversationMessage[] };
    expect(data.find((m) => m.id === reply.id)?.metadata.attachments).toEqual([file]);
  });

  it('attaches nothing when the action answers JSON', async () => {
    const { open } = await widgetWithReport();
    const session = await open();
    const reply = await ask(session, JSON.stringify([{ name: 'getReport_missing', arguments: {} }]));
    expect(reply.metadata.attachments).toBeUndefined();
  });
});
