import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { conversationFileKey } from '../../conversation/message-extras.ts';
import { CHANNEL_FILE_LINK_TTL_SECONDS, channelFileUrl } from './link.ts';

const PUBLIC = { ...env, PUBLIC_URL: 'https://bots.example.com/' };
const BYTES = new TextEncoder().encode('%PDF-1.4 a reply file');

/** A reply file stored where a custom action's files live, and the link a channel would be sent for it. */
async function storedFile(nowMs = Date.now()) {
  const ref = { teamId: `team_${crypto.randomUUID().slice(0, 8)}`, conversationId: 'conv_link', fileId: 'file_link' };
  await env.FILES.put(conversationFileKey(ref.teamId, ref.conversationId, ref.fileId), BYTES, {
    httpMetadata: { contentType: 'application/pdf' },
    customMetadata: { name: 'report 2026.pdf', source: 'custom-action' },
  });
  const url = await channelFileUrl(PUBLIC, ref, nowMs);
  if (!url) throw new Error('no link with PUBLIC_URL set');
  return { ref, url: new URL(url) };
}

const get = (url: URL) => SELF.fetch(`http://localhost${url.pathname}${url.search}`);

describe('GET /api/v1/channel-files/{team}/{conversation}/{file} (signed reply file links)', () => {
  it('serves the file to anyone holding the link, on PUBLIC_URL, as an attachment with its type', async () => {
    const { ref, url } = await storedFile();
    expect(url.origin).toBe('https://bots.example.com');
    expect(url.pathname).toBe(`/api/v1/channel-files/${ref.teamId}/conv_link/file_link`);
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''report%202026.pdf");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(BYTES);
  });

  it('answers the same 404 to a forged token, another file, a stretched expiry and an expired link', async () => {
    const { ref, url } = await storedFile();
    const token = url.searchParams.get('t') ?? '';
    const forged = new URL(url);
    forged.searchParams.set('t', `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`);
    const otherFile = new URL(url);
    otherFile.pathname = otherFile.pathname.replace('file_link', 'file_other');
    const otherTeam = new URL(url);
    otherTeam.pathname = otherTeam.pathname.replace(ref.teamId, 'team_other');
    const stretched = new URL(url);
    stretched.searchParams.set('e', String(Number(url.searchParams.get('e')) + 86_400));
    const expired = (await storedFile(Date.now() - (CHANNEL_FILE_LINK_TTL_SECONDS + 1) * 1000)).url;
    for (const bad of [forged, otherFile, otherTeam, stretched, expired]) {
      const res = await get(bad);
      expect(res.status, bad.toString()).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers 404 for a valid link to a file that is gone, and 400 naming a missing token', async () => {
    const { ref, url } = await storedFile();
    await env.FILES.delete(conversationFileKey(ref.teamId, ref.conversationId, ref.fileId));
    expect((await get(url)).status).toBe(404);
    const noToken = new URL(url);
    noToken.searchParams.delete('t');
    const res = await get(noToken);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_request', message: 'Invalid query.t' } });
  });

  it('makes no link without PUBLIC_URL: a platform could not reach a request-relative one', async () => {
    const ref = { teamId: 'team_x', conversationId: 'conv_x', fileId: 'file_x' };
    expect(await channelFileUrl({ ...env, PUBLIC_URL: undefined }, ref, Date.now())).toBeUndefined();
  });
});
