import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';

const FILE_ID = 'file_0123456789abcdefghjkmnpqrs';

const download = (apiKey: string, conversationId: string, fileId = FILE_ID) =>
  SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/files/${fileId}`, authed(apiKey));

/** GET /api/v1/conversations/{id}/files/{fileId}: a message's file for the team, and for no one else. */
describe('conversation files over the API', () => {
  it('serves the conversation’s file to the team (read scope), and 404 to other teams and conversations', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const sibling = await startConversation(demo.apiKey, demo.chatbotId);
    const bytes = new TextEncoder().encode('%PDF-1.7 quarterly report');
    // Where uploads, channel media and custom-action reply files are stored (message-extras.ts).
    await env.FILES.put(conversationFileKey(demo.teamId, conversationId, FILE_ID), bytes, {
      httpMetadata: { contentType: 'application/pdf' },
      customMetadata: { name: 'Q3 report.pdf' },
    });

    const reader = await createApiKey(demo.teamId, ['read']);
    const res = await download(reader, conversationId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''Q3%20report.pdf");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);

    // Another team, even naming the right conversation and file; another conversation of the same team; no file.
    expect((await download(other.apiKey, conversationId)).status).toBe(404);
    expect((await download(demo.apiKey, sibling)).status).toBe(404);
    expect((await download(demo.apiKey, conversationId, 'file_zzzzzzzzzzzzzzzzzzzzzzzzzz')).status).toBe(404);
    const malformed = await download(demo.apiKey, conversationId, '..%2F..%2Fsecret');
    expect(malformed.status).toBe(404);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
