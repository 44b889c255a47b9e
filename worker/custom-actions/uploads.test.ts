import { env } from 'cloudflare:test';
import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbotVersions, widgetKeys } from '../db/schema/index.ts';
import type { WidgetSession } from '../widget/session.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';
import type { UploadedFile } from '../widget/uploads.ts';
import type { EchoedPart } from './fake/server.ts';
import { frozenActionsOf } from './freeze.ts';
import { fakeAction, scriptedChatbot } from './testing.ts';
import { MAX_UPLOAD_BYTES } from './upload-files.ts';

// Issue 18 §1: a file of the conversation sent through an operation, as a multipart part or as the whole body.
const PDF = new TextEncoder().encode('%PDF-1.4\n% a user upload\n%%EOF\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

const sha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

/** A widget answered by the scripted model offering the fake's upload operations, published (frozen) first. */
async function uploadWidget() {
  const { demo } = await seedWidget();
  const action = await fakeAction(demo.teamId, ['uploadForm', 'uploadRaw']);
  const chatbotId = await scriptedChatbot(demo.teamId, [`action:${action.id}`]);
  const published = await api.send(demo.apiKey, 'POST', `/api/v1/chatbots/${chatbotId}/versions`, { note: 'v1' });
  expect(published.status).toBe(201);
  await database(env.DB).update(widgetKeys).set({ chatbotId }).where(eq(widgetKeys.key, demo.widgetKey));
  return { demo, action, chatbotId, open: () => openSession({ widgetKey: demo.widgetKey }) };
}

async function upload(session: WidgetSession, name: string, type: string, bytes: Uint8Array<ArrayBuffer>) {
  const res = await widgetFetch(`/conversations/${session.conversationId}/uploads?name=${name}`, session.token, {
    method: 'POST',
    headers: { 'content-type': type },
    body: bytes,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as UploadedFile).fileId;
}

async function ask(session: WidgetSession, text: string, attachments: string[] = []): Promise<ConversationMessage> {
  const sent = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token, {
    method: 'POST',
    body: JSON.stringify({ text, clientMessageId: crypto.randomUUID(), attachments }),
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

/** Runs one scripted call; returns the tool's output as the scripted model repeats it. */
async function call(session: WidgetSession, name: string, args: Record<string, unknown>) {
  const reply = await ask(session, JSON.stringify([{ name, arguments: args }]));
  expect(reply.status, JSON.stringify(reply.error)).toBe('complete');
  const prefix = `Tool ${name} returned: `;
  expect(reply.content.startsWith(prefix), reply.content).toBe(true);
  return { reply, result: JSON.parse(reply.content.slice(prefix.length)) as Record<string, unknown> };
}

describe('file uploads through a custom action', { timeout: 60_000 }, () => {
  it('sends a user upload as a multipart part and as a raw body, byte for byte, from the frozen spec', async () => {
    const { demo, action, chatbotId, open } = await uploadWidget();
    const session = await open();
    const pdf = await upload(session, 'contract.pdf', 'application/pdf', PDF);
    const png = await upload(session, 'scan.png', 'image/png', PNG);
    expect((await ask(session, 'Here are my files', [pdf, png])).status).toBe('complete');

    // The draft action stops offering both operations: the published version still calls them as frozen.
    const edited = await api.send(demo.apiKey, 'PATCH', `/api/v1/custom-actions/${action.id}`, {
      selectedOperations: [],
    });
    expect(edited.status, await edited.clone().text()).toBe(200);
    const [version] = await database(env.DB)
      .select({ id: chatbotVersions.id })
      .from(chatbotVersions)
      .where(and(eq(chatbotVersions.chatbotId, chatbotId), eq(chatbotVersions.status, 'published')))
      .orderBy(desc(chatbotVersions.number));
    const frozen = (await frozenActionsOf(database(env.DB), demo.teamId, version?.id ?? ''))[action.id];
    const form = frozen?.operations.find((op) => op.toolName === 'uploadForm');
    expect(form?.fileFields).toEqual(['document', 'extras']);
    const body = (form?.parameters.properties as Record<string, { properties: Record<string, unknown> }> | undefined)
      ?.body;
    expect(body?.properties.document).toMatchObject({ type: 'object', required: ['fileId'] });
    expect(frozen?.operations.find((op) => op.toolName === 'uploadRaw')?.bodyMediaType).toBe('binary');

    const multipart = await call(session, 'uploadForm', {
      body: { caption: 'Signed', document: { fileId: pdf }, extras: [{ fileId: png }, { fileId: pdf }] },
    });
    expect(multipart.result.status).toBe(200);
    const echoed = multipart.result.body as { contentType: string; parts: EchoedPart[] };
    expect(echoed.contentType).toMatch(/^multipart\/form-data; boundary=parley-[0-9a-f]{32}$/);
    const caption = new TextEncoder().encode('Signed');
    expect(echoed.parts).toEqual([
      { name: 'caption', filename: null, contentType: null, size: caption.byteLength, sha256: await sha256(caption) },
      {
        name: 'document',
        filename: 'contract.pdf',
        contentType: 'application/pdf',
        size: PDF.byteLength,
        sha256: await sha256(PDF),
      },
      {
        name: 'extras',
        filename: 'scan.png',
        contentType: 'image/png',
        size: PNG.byteLength,
        sha256: await sha256(PNG),
      },
      {
        name: 'extras',
        filename: 'contract.pdf',
        contentType: 'application/pdf',
        size: PDF.byteLength,
        sha256: await sha256(PDF),
      },
    ]);
    // Sending a file attaches nothing to the reply: only files an action returns do.
    expect(multipart.reply.metadata.attachments).toBeUndefined();

    const raw = await call(session, 'uploadRaw', { body: { fileId: png } });
    expect(raw.result).toEqual({
      status: 200,
      body: { contentType: 'application/octet-stream', size: PNG.byteLength, sha256: await sha256(PNG) },
    });
  });

  it('refuses a file of another conversation or team, an unknown id and files over 10 MB, as tool errors', async () => {
    const { demo, open } = await uploadWidget();
    const session = await open();
    const neighbour = await open();
    const theirs = await upload(neighbour, 'theirs.pdf', 'application/pdf', PDF);
    const stranger = await (await uploadWidget()).open();
    const foreign = await upload(stranger, 'foreign.pdf', 'application/pdf', PDF);
    const unknown = `file_${'u'.repeat(26)}`;
    // Larger than a widget upload may be (5 MB): stored directly, as a channel's media download may be.
    const bigId = `file_${'b'.repeat(26)}`;
    await env.FILES.put(
      conversationFileKey(demo.teamId, session.conversationId, bigId),
      new Uint8Array(MAX_UPLOAD_BYTES + 1),
      {
        httpMetadata: { contentType: 'application/pdf' },
        customMetadata: { name: 'big.pdf' },
      },
    );
    for (const fileId of [theirs, foreign, unknown]) {
      const { result } = await call(session, 'uploadRaw', { body: { fileId } });
      expect(result).toEqual({ error: `file ${fileId} is not a file of this conversation` });
    }
    const big = await call(session, 'uploadForm', { body: { document: { fileId: bigId } } });
    expect(big.result).toEqual({
      error: `the files are ${MAX_UPLOAD_BYTES + 1} bytes; one call sends at most ${MAX_UPLOAD_BYTES}`,
    });
    const notRef = await call(session, 'uploadRaw', { body: { fileId: 'report.pdf' } });
    expect(notRef.result).toEqual({ error: 'Invalid arguments: /body/fileId: String does not match pattern' });
  });
});
