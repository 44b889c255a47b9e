import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';
import { isPublicFileToken, publicFileToken, publicFileUrl } from '../documents/public-link.ts';
import type { KnowledgeDocument } from '../documents/schemas.ts';

/** A team with an admin key, a collection and one uploaded Markdown file. */
async function teamWithFile(fileName = 'Guide ü.md', body = '# Install\n\nRun the installer.') {
  const demo = await seedDemo();
  const key = await createApiKey(demo.teamId, ['admin']);
  const collection = await SELF.fetch(
    `${BASE}/api/v1/knowledge/collections`,
    authed(key, { method: 'POST', body: JSON.stringify({ name: 'Manuals' }) }),
  );
  expect(collection.status, await collection.clone().text()).toBe(201);
  const collectionId = ((await collection.json()) as { id: string }).id;
  const request = authed(key, { method: 'POST', body });
  (request.headers as Headers).set('content-type', 'text/markdown');
  const upload = await SELF.fetch(
    `${BASE}/api/v1/knowledge/collections/${collectionId}/documents?filename=${encodeURIComponent(fileName)}`,
    request,
  );
  expect(upload.status, await upload.clone().text()).toBe(201);
  const document = (await upload.json()) as KnowledgeDocument;
  const path = `/api/v1/knowledge/collections/${collectionId}/documents/${document.id}`;
  const patch = (changes: object, apiKey = key) =>
    SELF.fetch(`${BASE}${path}`, authed(apiKey, { method: 'PATCH', body: JSON.stringify(changes) }));
  return { teamId: demo.teamId, key, collectionId, document, patch };
}

const download = (url: string) => SELF.fetch(new URL(url, BASE));

describe('public file links', () => {
  it('a token round-trips for its own team and document only, and is base64url of 32 bytes', async () => {
    const token = await publicFileToken(env, 'team_a', 'kdoc_1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await isPublicFileToken(env, 'team_a', 'kdoc_1', token)).toBe(true);
    expect(await isPublicFileToken(env, 'team_b', 'kdoc_1', token)).toBe(false);
    expect(await isPublicFileToken(env, 'team_a', 'kdoc_2', token)).toBe(false);
    // The label separates it from the other HMACs of ENCRYPTION_KEY: another key gives another token.
    const otherKey = { ENCRYPTION_KEY: 'b3RoZXIta2V5LWZvci1wYXJsZXktdGVzdHMtMzJieXQ' };
    expect(await publicFileToken(otherKey, 'team_a', 'kdoc_1')).not.toBe(token);
  });

  it('is relative without PUBLIC_URL and absolute on it (a trailing slash does not double)', async () => {
    const relative = await publicFileUrl({ ENCRYPTION_KEY: env.ENCRYPTION_KEY }, 'team_a', 'kdoc_1');
    expect(relative).toMatch(/^\/api\/v1\/knowledge\/public-files\/kdoc_1\?t=[A-Za-z0-9_-]{43}$/);
    const absolute = await publicFileUrl(
      { ENCRYPTION_KEY: env.ENCRYPTION_KEY, PUBLIC_URL: 'https://chat.example.com/' },
      'team_a',
      'kdoc_1',
    );
    expect(absolute).toBe(`https://chat.example.com${relative}`);
  });
});

describe('PATCH a document and GET /api/v1/knowledge/public-files/{documentId}', () => {
  it('serves a public file to anyone holding the link, as an attachment, until it is made private again', async () => {
    const { teamId, document, patch } = await teamWithFile();
    expect(document.public).toBe(false);
    const url = await publicFileUrl(env, teamId, document.id);
    // Private: the genuine link is refused like any other.
    const before = await download(url);
    expect(before.status).toBe(404);
    await before.body?.cancel();

    const patched = await patch({ public: true, title: 'Install guide' });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await patched.json()).toMatchObject({ id: document.id, public: true, title: 'Install guide' });

    const res = await download(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''Guide%20%C3%BC.md`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(await res.text()).toBe('# Install\n\nRun the installer.');

    expect((await patch({ public: false })).status).toBe(200);
    const after = await download(url);
    expect(after.status).toBe(404);
    await after.body?.cancel();
  });

  it('answers the same 404 for a wrong token, another document’s token and an unknown document', async () => {
    const { teamId, document, patch } = await teamWithFile();
    await (await patch({ public: true })).body?.cancel();
    const other = await teamWithFile('other.md');
    await (await other.patch({ public: true })).body?.cancel();
    const otherToken = await publicFileToken(env, other.teamId, other.document.id);
    const wrongTeam = await publicFileToken(env, other.teamId, document.id);
    const base = `/api/v1/knowledge/public-files/`;
    const bodies = new Set<string>();
    for (const path of [
      `${base}${document.id}?t=${otherToken}`,
      `${base}${document.id}?t=${wrongTeam}`,
      `${base}${document.id}?t=${'A'.repeat(43)}`,
      `${base}kdoc_unknown?t=${await publicFileToken(env, teamId, 'kdoc_unknown')}`,
    ]) {
      const res = await download(path);
      expect(res.status, path).toBe(404);
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    const missing = await download(`${base}${document.id}`);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('t');
  });

  it('PATCH refuses another team’s document (404), a non-boolean flag (400) and a read-only key (403)', async () => {
    const a = await teamWithFile();
    const b = await teamWithFile();
    const foreign = await a.patch({ public: true }, b.key);
    expect(foreign.status).toBe(404);
    await foreign.body?.cancel();
    const bad = await a.patch({ public: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('public');
    const reader = await createApiKey(a.teamId, ['read']);
    const readOnly = await a.patch({ public: true }, reader);
    expect(readOnly.status).toBe(403);
    await readOnly.body?.cancel();
    // None of the refusals wrote anything.
    const url = await publicFileUrl(env, a.teamId, a.document.id);
    const res = await download(url);
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });

  it('a pasted text downloads under its title with its format’s extension', async () => {
    const { teamId, key, collectionId } = await teamWithFile();
    const created = await SELF.fetch(
      `${BASE}/api/v1/knowledge/collections/${collectionId}/documents/text`,
      authed(key, { method: 'POST', body: JSON.stringify({ title: 'Opening hours', text: 'Mon–Fri 9–5' }) }),
    );
    const document = (await created.json()) as KnowledgeDocument;
    await SELF.fetch(
      `${BASE}/api/v1/knowledge/collections/${collectionId}/documents/${document.id}`,
      authed(key, { method: 'PATCH', body: JSON.stringify({ public: true }) }),
    );
    const res = await download(await publicFileUrl(env, teamId, document.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''Opening%20hours.md`);
    expect(await res.text()).toBe('Mon–Fri 9–5');
  });
});
