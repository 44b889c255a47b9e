import { env, SELF } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { api, scopedKey } from '../../test/api-fixtures.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { blankMessageBodies } from '../archive/body-blanking.ts';
import { addMember, signIn, withSession } from '../auth/testing.ts';
import { database } from '../db/client.ts';
import { conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { MessageCopy } from '../ports/analytics-sink.ts';
import { r2BlobStore } from '../ports/blob-store.ts';
import { ARCHIVE_PREFIX, archivingSink } from '../queue/archive-sink.ts';
import { d1AnalyticsSink } from '../queue/d1-analytics-sink.ts';
import { CSV_HEADER, csvCell } from './export-rows.ts';

const COUNT = 130; // more than the 120 requests a minute that one request per conversation used to need
const start = Date.parse('2026-03-01T00:00:00Z');

/**
 * COUNT conversations, each with a question and an answer, tagged with a tag holding a space. `sink`: the message
 * copies go through the queue consumer's sink (D1 index rows without bodies, the bodies to the R2 archive), as they
 * do since migration 0016; `legacy`: rows holding their bodies, as D1 held them before it.
 */
async function fixture(mode: 'sink' | 'legacy' = 'sink') {
  const demo = await seedDemo();
  const db = database(env.DB);
  const shard = teamDatabase(env, demo.teamId);
  const version = await db.query.chatbots.findFirst({ where: (t, { eq }) => eq(t.id, demo.chatbotId) });
  const ids = Array.from(
    { length: COUNT },
    (_, i) => `conv_export_${crypto.randomUUID()}_${String(i).padStart(3, '0')}`,
  );
  const copies = ids.flatMap((id, i): MessageCopy[] => {
    const createdAt = start + i * 60_000;
    const base = { conversationId: id, teamId: demo.teamId, chatbotId: demo.chatbotId, status: 'complete' as const };
    return [
      {
        ...base,
        id: `msg_q${i}`,
        position: 1,
        role: 'user',
        content: `Question ${i}, "quoted"`,
        metadata: {},
        createdAt,
      },
      {
        ...base,
        id: `msg_a${i}`,
        position: 2,
        role: 'assistant',
        content: i === 0 ? '=HYPERLINK("x")' : `Answer ${i}`,
        metadata: i === 1 ? { feedback: { rating: 'up', at: 1 } } : {},
        createdAt: createdAt + 1000,
      },
    ];
  });
  const rows = ids.map((id, i) => ({
    id,
    teamId: demo.teamId,
    chatbotId: demo.chatbotId,
    chatbotVersionId: version?.publishedVersionId ?? '',
    channelId: null,
    participantId: null,
    status: 'active' as const,
    messageCount: 2,
    lastMessageAt: null,
    createdAt: start + i * 60_000,
    updatedAt: start + i * 60_000,
  }));
  if (mode === 'sink')
    await archivingSink(d1AnalyticsSink(env), r2BlobStore(env.FILES)).write({
      teamId: demo.teamId,
      conversations: rows,
      messages: copies,
      tags: [],
      touched: ids,
    });
  const writes = ids.flatMap((id, i) => {
    const createdAt = start + i * 60_000;
    return [
      ...(mode === 'legacy'
        ? [
            shard.insert(conversations).values(rows[i] as (typeof rows)[number]),
            shard.insert(messages).values(copies.slice(2 * i, 2 * i + 2)),
          ]
        : []),
      db
        .insert(conversationTags)
        .values(['needs review', 'vip'].map((tag) => ({ teamId: demo.teamId, conversationId: id, tag, createdAt }))),
      shard.insert(messageTags).values({
        teamId: demo.teamId,
        conversationId: id,
        messageId: `msg_a${i}`,
        tag: 'good answer',
        createdAt,
      }),
    ];
  });
  for (let i = 0; i < writes.length; i += 100) {
    const [first, ...rest] = writes.slice(i, i + 100);
    if (first) await shard.batch([first, ...rest]);
  }
  return { demo, ids };
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  return rows;
}

describe('GET /api/v1/conversations/export', () => {
  it('streams every matching conversation as CSV in one request: ISO times, tags joined by ;', async () => {
    const { demo, ids } = await fixture();
    const key = await scopedKey(demo.teamId, ['read']);
    const res = await api.get(key, '/api/v1/conversations/export?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="parley-conversations-.*\.csv"/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header?.join(',')).toBe(CSV_HEADER);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const ours = rows.filter((row) => ids.includes(row[column('conversation_id')] ?? ''));
    expect(ours).toHaveLength(COUNT * 2);
    expect(new Set(ours.map((row) => row[column('conversation_id')])).size).toBe(COUNT);
    // Newest first, each transcript in order.
    expect(ours[0]?.[column('conversation_id')]).toBe(ids[COUNT - 1]);
    const first = ours.filter((row) => row[column('conversation_id')] === ids[0]);
    expect(first.map((row) => row[column('role')])).toEqual(['user', 'assistant']);
    expect(first[0]?.[column('tags')]).toBe('needs review;vip');
    expect(first[0]?.[column('message_tags')]).toBe('');
    expect(first[1]?.[column('message_tags')]).toBe('good answer');
    expect(first[0]?.[column('created_at')]).toBe('2026-03-01T00:00:00.000Z');
    expect(first[0]?.[column('conversation_created_at')]).toBe('2026-03-01T00:00:00.000Z');
    expect(first[0]?.[column('content')]).toBe('Question 0, "quoted"');
    expect(first[1]?.[column('content')]).toBe(`'=HYPERLINK("x")`);
    const second = ours.filter((row) => row[column('conversation_id')] === ids[1]);
    expect(second[1]?.[column('rating')]).toBe('up');
    // The bodies came from the archive: D1 holds index rows only.
    const held = await teamDatabase(env, demo.teamId)
      .select({ content: messages.content, contentBytes: messages.contentBytes, metadata: messages.metadata })
      .from(messages)
      .where(inArray(messages.conversationId, ids.slice(0, 2)));
    expect(held).toHaveLength(4);
    expect(held.every((row) => row.content === '' && (row.contentBytes ?? 0) > 0)).toBe(true);
    expect(held.map((row) => row.metadata)).toEqual([{}, {}, {}, {}]);
  });

  it('writes JSONL, one conversation per line with its messages, and applies the list filters', async () => {
    const { demo, ids } = await fixture();
    const res = await api.get(demo.apiKey, '/api/v1/conversations/export?format=jsonl&from=2026-03-01T01:00:00Z');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            id: string;
            createdAt: string;
            tags: string[];
            messages: { tags: string[]; createdAt: string }[];
          },
      );
    const ours = lines.filter((line) => ids.includes(line.id));
    expect(ours).toHaveLength(COUNT - 60); // created one a minute from 00:00: the first 60 are before 01:00
    expect(ours.at(-1)).toMatchObject({
      id: ids[60],
      createdAt: '2026-03-01T01:00:00.000Z',
      tags: ['needs review', 'vip'],
    });
    expect(ours.at(-1)?.messages.map((m) => m.tags)).toEqual([[], ['good answer']]);
    expect(ours.at(-1)?.messages[1]?.createdAt).toBe('2026-03-01T01:00:01.000Z');
  });

  it('exports for a signed-in viewer; refuses chat-only keys, other teams and bad filters', async () => {
    const { demo, ids } = await fixture();
    const viewer = await signIn((await addMember(demo.teamId, 'viewer')).email);
    const mine = await SELF.fetch(`${BASE}/api/v1/conversations/export?tag=vip`, withSession(viewer));
    expect(mine.status).toBe(200);
    expect((await mine.text()).split('\n').filter((line) => line.startsWith(ids[5] ?? '-'))).toHaveLength(2);
    const other = await seedDemo();
    const theirs = await api.get(other.apiKey, '/api/v1/conversations/export');
    expect(await theirs.text()).not.toContain('conv_export_');
    expect((await api.get(await scopedKey(demo.teamId, ['chat']), '/api/v1/conversations/export')).status).toBe(403);
    const bad = await api.get(demo.apiKey, '/api/v1/conversations/export?format=xlsx&from=2026-02-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/format/);
  });

  it('exports the same bytes before, during and after blankMessageBodies moves legacy bodies to the archive', async () => {
    const { demo, ids } = await fixture('legacy');
    const exportAll = async (format: string) =>
      (await api.get(demo.apiKey, `/api/v1/conversations/export?format=${format}`)).text();
    const before = [await exportAll('csv'), await exportAll('jsonl')];
    expect(before[0]).toContain('"Question 0, ""quoted"""');
    const prefix = `${ARCHIVE_PREFIX}${demo.teamId}/`;
    expect(await r2BlobStore(env.FILES).list(prefix)).toEqual([]);

    // A budgeted step, then the rest: the export reads rows of both kinds alike.
    expect(await blankMessageBodies(env, demo.teamId, 150)).toEqual({ teamId: demo.teamId, blanked: 150, done: false });
    expect(await exportAll('csv')).toBe(before[0]);
    expect(await blankMessageBodies(env, demo.teamId)).toEqual({
      teamId: demo.teamId,
      blanked: 2 * COUNT - 150,
      done: true,
    });
    const keys = await r2BlobStore(env.FILES).list(prefix);
    expect(keys.length).toBeGreaterThan(0);
    // Idempotent: nothing left to blank, no object added.
    expect(await blankMessageBodies(env, demo.teamId)).toEqual({ teamId: demo.teamId, blanked: 0, done: true });
    expect(await r2BlobStore(env.FILES).list(prefix)).toEqual(keys);

    const rows = await teamDatabase(env, demo.teamId).select().from(messages).where(eq(messages.teamId, demo.teamId));
    expect(rows).toHaveLength(2 * COUNT);
    expect(rows.filter((row) => row.content !== '' || JSON.stringify(row.metadata) !== '{}')).toEqual([]);
    expect(rows.find((row) => row.id === 'msg_q0')?.contentBytes).toBe('Question 0, "quoted"'.length);
    expect(rows.filter((row) => row.rating !== null).map((row) => [row.id, row.rating])).toEqual([['msg_a1', 'up']]);
    expect([await exportAll('csv'), await exportAll('jsonl')]).toEqual(before);
    const rated = await api.get(demo.apiKey, '/api/v1/conversations?rating=up');
    expect(((await rated.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([ids[1]]);
  });

  it('reads a body the archive lacks (its put awaits redelivery) from the conversation object', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const sent = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ text: 'Hello, object' }),
        headers: { accept: 'application/json' },
      }),
    );
    expect(sent.status).toBe(201);
    const { reply } = (await sent.json()) as { reply: { id: string; content: string; metadata: object } };
    await vi.waitFor(
      async () => {
        const rows = await teamDatabase(env, demo.teamId)
          .select()
          .from(messages)
          .where(eq(messages.conversationId, conversationId));
        expect(rows.map((row) => [row.status, row.content])).toEqual([
          ['complete', ''],
          ['complete', ''],
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    const store = r2BlobStore(env.FILES);
    for (const key of await store.list(`${ARCHIVE_PREFIX}${demo.teamId}/`)) await env.FILES.delete(key);
    const text = await (await api.get(demo.apiKey, '/api/v1/conversations/export?format=jsonl')).text();
    const [line] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; messages: { id: string; content: string; metadata: object }[] });
    expect(line?.id).toBe(conversationId);
    expect(line?.messages.map((m) => m.content)).toEqual(['Hello, object', reply.content]);
    expect(line?.messages[1]?.metadata).toEqual(reply.metadata);
  });

  it('quotes cells holding the tag separator, quotes or newlines', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(null)).toBe('');
  });
});
