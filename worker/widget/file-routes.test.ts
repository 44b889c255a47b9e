import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { API, EVIL, ORIGIN, openSession, seedWidget, widgetFetch } from './testing.ts';
import { MAX_UPLOAD_BYTES, type UploadedFile } from './uploads.ts';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

const upload = (
  conversationId: string,
  token: string,
  body: Uint8Array<ArrayBuffer>,
  type: string,
  origin?: string | null,
) =>
  widgetFetch(`/conversations/${conversationId}/uploads?name=${encodeURIComponent('../my photo.png')}`, token, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
    origin,
  });

describe('widget uploads', () => {
  it('round-trips a file, scoped to its conversation, and attaches it to a message', async () => {
    const { demo } = await seedWidget();
    const a = await openSession({ widgetKey: demo.widgetKey });
    const b = await openSession({ widgetKey: demo.widgetKey });
    const res = await upload(a.conversationId, a.token, png, 'image/png');
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const file = (await res.json()) as UploadedFile;
    expect(file).toMatchObject({ name: 'my photo.png', mimeType: 'image/png', size: png.byteLength });
    expect(file.url).toBe(`/api/widget/v1/files/${file.fileId}`);

    // As an <img src="…?token="> loads it: no Origin header.
    const download = await widgetFetch(`${API}/files/${file.fileId}?token=${a.token}`, null, { origin: null });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(png);
    expect((await widgetFetch(`/files/${file.fileId}`, b.token)).status).toBe(404);
    expect((await widgetFetch(`/files/${file.fileId}`, a.token, { origin: EVIL })).status).toBe(403);
    expect((await widgetFetch(`/files/${file.fileId}`, null)).status).toBe(401);

    const sent = await widgetFetch(`/conversations/${a.conversationId}/messages`, a.token, {
      method: 'POST',
      body: JSON.stringify({ text: 'see attached', clientMessageId: 'att-1', attachments: [file.fileId] }),
    });
    expect(sent.status).toBe(202);
    const history = await widgetFetch(`/conversations/${a.conversationId}/messages`, a.token);
    const { data } = (await history.json()) as { data: ConversationMessage[] };
    expect(data[0]?.metadata).toEqual({
      attachments: [{ fileId: file.fileId, name: 'my photo.png', mimeType: 'image/png', size: png.byteLength }],
    });
    // Another conversation cannot reference the file.
    const foreign = await widgetFetch(`/conversations/${b.conversationId}/messages`, b.token, {
      method: 'POST',
      body: JSON.stringify({ text: 'steal', clientMessageId: 'att-2', attachments: [file.fileId] }),
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ error: { code: 'invalid_attachment' } });
  });

  it('refuses too large files (413), unknown types (415), and wrong or missing origins', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const big = await upload(session.conversationId, session.token, new Uint8Array(MAX_UPLOAD_BYTES + 1), 'image/png');
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const html = await upload(session.conversationId, session.token, png, 'text/html');
    expect(html.status).toBe(415);
    expect((await upload(session.conversationId, session.token, png, 'image/png', EVIL)).status).toBe(403);
    expect((await upload(session.conversationId, session.token, png, 'image/png', null)).status).toBe(403);
    const other = await openSession({ widgetKey: demo.widgetKey });
    expect((await upload(session.conversationId, other.token, png, 'image/png')).status).toBe(404);
  });
});
