import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../plugins/sdk/index.ts';
import {
  type ConversationFiles,
  chooseInlineImages,
  MAX_INLINE_IMAGE_BYTES,
  type StoredAttachment,
  toBase64,
  withImages,
} from './images.ts';
import { conversationFileKey } from './message-extras.ts';
import type { ConversationMessage } from './protocol.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let position = 0;
function message(
  role: 'user' | 'assistant',
  content: string,
  attachments: StoredAttachment[] = [],
): ConversationMessage {
  position++;
  return {
    id: `msg_${position}`,
    position,
    role,
    content,
    status: 'complete',
    turnId: `turn_${position}`,
    clientMessageId: null,
    error: null,
    providerId: null,
    model: null,
    usage: null,
    finishReason: null,
    metadata: attachments.length > 0 ? { attachments: attachments as unknown as JsonObject[] } : {},
    createdAt: position,
    completedAt: position,
  };
}

const image = (fileId: string, size = PNG.byteLength, mimeType = 'image/png'): StoredAttachment => ({
  fileId,
  name: `${fileId}.png`,
  mimeType,
  size,
});

async function filesWith(objects: Record<string, { bytes: Uint8Array; type: string }>): Promise<ConversationFiles> {
  const files = { bucket: env.FILES, teamId: `team_${crypto.randomUUID()}`, conversationId: 'conv_images' };
  for (const [fileId, object] of Object.entries(objects)) {
    await env.FILES.put(conversationFileKey(files.teamId, files.conversationId, fileId), object.bytes, {
      httpMetadata: { contentType: object.type },
    });
  }
  return files;
}

describe('chooseInlineImages', () => {
  it('takes images of the 4 newest user messages that carry any, newest first', () => {
    const window = [1, 2, 3, 4, 5].flatMap((n) => [
      message('user', `q${n}`, [image(`f${n}`)]),
      message('assistant', 'a'),
    ]);
    const chosen = chooseInlineImages(window);
    expect([...chosen].map((slot) => slot.split('/')[1])).toEqual(['f5', 'f4', 'f3', 'f2']);
  });

  it('stops at 8 images, keeping the newest', () => {
    const window = [1, 2, 3, 4].map((n) => message('user', `q${n}`, [image(`a${n}`), image(`b${n}`), image(`c${n}`)]));
    const chosen = [...chooseInlineImages(window)].map((slot) => slot.split('/')[1]);
    expect(chosen).toHaveLength(8);
    expect(chosen).not.toContain('a1');
    expect(chosen).toContain('a4');
  });

  it('skips unsupported types, images over 5 MB and whatever would pass 10 MB per request', () => {
    const big = MAX_INLINE_IMAGE_BYTES - 100;
    const window = [
      message('user', 'q', [image('heic', 100, 'image/heic'), image('huge', MAX_INLINE_IMAGE_BYTES + 1)]),
      message('user', 'q', [image('one', big), image('two', big), image('three', big)]),
    ];
    const chosen = [...chooseInlineImages(window)].map((slot) => slot.split('/')[1]);
    expect(chosen).toEqual(['one', 'two']);
  });
});

describe('withImages', () => {
  it('inlines stored images as base64 for a vision provider, on the message they were attached to', async () => {
    const files = await filesWith({ photo: { bytes: PNG, type: 'image/png' } });
    const window = [message('user', 'look', [image('photo')]), message('assistant', 'nice'), message('user', 'and?')];
    const history = await withImages(window, { vision: true, files });
    expect(history).toEqual([
      {
        role: 'user',
        content: 'look\n[attachment: photo.png (photo, image/png, 12 bytes)]',
        images: [{ mimeType: 'image/png', data: toBase64(PNG) }],
      },
      { role: 'assistant', content: 'nice' },
      { role: 'user', content: 'and?' },
    ]);
  });

  it('gives a provider without vision the note of each image only', async () => {
    const files = await filesWith({ photo: { bytes: PNG, type: 'image/png' } });
    const history = await withImages([message('user', 'look', [image('photo'), image('other')])], {
      vision: false,
      files,
    });
    expect(history).toEqual([
      {
        role: 'user',
        content:
          'look\n[attachment: photo.png (photo, image/png, 12 bytes)]\n[attachment: other.png (other, image/png, 12 bytes)]',
      },
    ]);
  });

  it('notes images that are gone from R2 or whose stored type is not an image, and other files', async () => {
    const files = await filesWith({ mislabelled: { bytes: PNG, type: 'text/plain' } });
    const pdf: StoredAttachment = { fileId: 'doc', name: 'doc.pdf', mimeType: 'application/pdf', size: 10 };
    const history = await withImages([message('user', 'look', [image('gone'), image('mislabelled'), pdf])], {
      vision: true,
      files,
    });
    expect(history).toEqual([
      {
        role: 'user',
        content: [
          'look',
          '[attachment: gone.png (gone, image/png, 12 bytes)]',
          '[attachment: mislabelled.png (mislabelled, image/png, 12 bytes)]',
          '[attachment: doc.pdf (doc, application/pdf, 10 bytes)]',
        ].join('\n'),
      },
    ]);
  });

  it('notes the files a reply carried, with their ids, in the provider history only', async () => {
    const files = await filesWith({});
    const report: StoredAttachment = { fileId: 'file_r', name: 'report.pdf', mimeType: 'application/pdf', size: 31 };
    const window = [message('user', 'get it'), message('assistant', 'here', [report]), message('user', 'send it on')];
    const history = await withImages(window, { vision: true, files });
    expect(history[1]).toEqual({
      role: 'assistant',
      content: 'here\n[attachment: report.pdf (file_r, application/pdf, 31 bytes)]',
    });
    expect(window[1]?.content).toBe('here');
  });
});

describe('toBase64', () => {
  it('matches btoa for every padding case and across chunk boundaries', () => {
    const reference = (bytes: Uint8Array) => btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
    for (const length of [0, 1, 2, 3, 4, 24_575, 24_576, 24_577, 100_001]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) % 256);
      expect(toBase64(bytes), `length ${length}`).toBe(reference(bytes));
    }
  });
});
