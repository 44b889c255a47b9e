import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { addChatbot } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { MAX_INLINE_IMAGE_BYTES } from '../conversation/images.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import type { WidgetSession } from './session.ts';
import { openSession, seedWidget, widgetFetch } from './testing.ts';
import type { UploadedFile } from './uploads.ts';

// End to end: a widget upload → a message with the attachment → the provider's fake API receives the image.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

type VisionProvider = 'openai' | 'anthropic' | 'gemini';

/** The demo widget, answered by `providerId` through its real plugin and SDK against that provider's fake API. */
async function widgetOn(providerId: VisionProvider | 'offline'): Promise<WidgetSession & { teamId: string }> {
  const { demo } = await seedWidget();
  if (providerId !== 'offline') {
    const credentialId = `cred_${crypto.randomUUID()}`;
    const definition = simpleDefinition({
      providerId,
      credentialId,
      model: 'fake-echo',
      systemPrompt: 'Be brief.',
      parameters: {},
      tools: [],
      maxToolSteps: 1,
    });
    const chatbotId = await addChatbot(demo.teamId, definition, {
      id: credentialId,
      providerId,
      settings: { baseUrl: inject('fakeServers')[providerId], maxRetries: 0 },
      secrets: { apiKey: 'test-key' },
    });
    await database(env.DB).update(widgetKeys).set({ chatbotId }).where(eq(widgetKeys.key, demo.widgetKey));
  }
  return { ...(await openSession({ widgetKey: demo.widgetKey })), teamId: demo.teamId };
}

async function upload(session: WidgetSession, name: string, bytes: Uint8Array<ArrayBuffer> = PNG) {
  const res = await widgetFetch(`/conversations/${session.conversationId}/uploads?name=${name}`, session.token, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: bytes,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as UploadedFile).fileId;
}

/** Sends a message and waits until its reply is finished; returns the reply. */
async function ask(session: WidgetSession, text: string, attachments: string[]): Promise<ConversationMessage> {
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

// Several whole turns per test (the limits test runs five): more than the default 5 s on a loaded machine.
describe('images from the widget reach vision providers', { timeout: 30_000 }, () => {
  it.each<VisionProvider>(['openai', 'anthropic', 'gemini'])('%s: the model sees the uploaded image', async (id) => {
    const session = await widgetOn(id);
    const fileId = await upload(session, 'receipt.png');
    const reply = await ask(session, `What is on ${id} receipt?`, [fileId]);
    expect(reply.status, JSON.stringify(reply.error)).toBe('complete');
    // The text carries the attachment's note (its id is there for tools that take a file of the conversation).
    const note = `[attachment: receipt.png (${fileId}, image/png, ${PNG.byteLength} bytes)]`;
    expect(reply.content).toBe(`I see 1 image (image/png). What is on ${id} receipt?\n${note}`);
  });

  it('a provider without vision (offline) gets the "[attachment: …]" note in the text instead', async () => {
    const session = await widgetOn('offline');
    const fileId = await upload(session, 'cat.png');
    const reply = await ask(session, 'Is this my cat?', [fileId]);
    expect(reply.status).toBe('complete');
    expect(reply.content).toContain(
      `You said: “Is this my cat?\n[attachment: cat.png (${fileId}, image/png, 16 bytes)]”`,
    );
  });

  it('an image over 5 MB becomes a note, and the others are still sent', async () => {
    const session = await widgetOn('openai');
    const small = await upload(session, 'small.png');
    // Larger than any widget upload (the 1 MB body limit): stored directly, as a channel's media download may be.
    const hugeId = `file_${'h'.repeat(26)}`;
    const huge = new Uint8Array(MAX_INLINE_IMAGE_BYTES + 1);
    huge.set(PNG);
    await env.FILES.put(conversationFileKey(session.teamId, session.conversationId, hugeId), huge, {
      httpMetadata: { contentType: 'image/png' },
      customMetadata: { name: 'huge.png' },
    });
    const reply = await ask(session, 'Two pictures', [small, hugeId]);
    expect(reply.status, JSON.stringify(reply.error)).toBe('complete');
    expect(reply.content).toBe(
      `I see 1 image (image/png). Two pictures\n[attachment: small.png (${small}, image/png, 16 bytes)]\n` +
        `[attachment: huge.png (${hugeId}, image/png, ${huge.byteLength} bytes)]`,
    );
  });

  it('sends at most 8 images, from the newest messages; older ones become notes, and no turn fails', async () => {
    const session = await widgetOn('openai');
    const files = [await upload(session, 'a.png'), await upload(session, 'b.png')];
    const replies: ConversationMessage[] = [];
    for (const n of [1, 2, 3, 4, 5]) replies.push(await ask(session, `Picture set ${n}`, files));
    expect(replies.map((reply) => reply.status)).toEqual(Array(5).fill('complete'));
    // Two images per message: 2, 4, 6, 8, then still 8 once the first message's images are too old.
    expect(replies.map((reply) => reply.content.split('.')[0])).toEqual([
      'I see 2 images (image/png, image/png)',
      'I see 4 images (image/png, image/png, image/png, image/png)',
      `I see 6 images (${Array(6).fill('image/png').join(', ')})`,
      `I see 8 images (${Array(8).fill('image/png').join(', ')})`,
      `I see 8 images (${Array(8).fill('image/png').join(', ')})`,
    ]);
  });
});
