import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MessageCopy } from '../ports/analytics-sink.ts';
import { r2BlobStore } from '../ports/blob-store.ts';
import { ARCHIVE_PREFIX, archiveObjects } from '../queue/archive-sink.ts';
import { ArchiveReader, copyKey } from './reader.ts';

const store = () => r2BlobStore(env.FILES);
const day = Date.UTC(2026, 4, 10, 12);

const copy = (teamId: string, conversationId: string, id: string, patch: Partial<MessageCopy> = {}): MessageCopy => ({
  conversationId,
  id,
  teamId,
  chatbotId: 'bot_x',
  position: 1,
  role: 'assistant',
  content: `body of ${id}`,
  status: 'complete',
  error: null,
  providerId: null,
  model: null,
  inputTokens: null,
  outputTokens: null,
  finishReason: null,
  metadata: {},
  createdAt: day,
  completedAt: day + 10,
  ...patch,
});

/** Archives `copies` as the consumer's sink does for one queue batch (one object per day). */
async function batch(teamId: string, copies: MessageCopy[]) {
  for (const { key, body } of await archiveObjects(teamId, copies))
    await store().put(key, body, 'application/x-ndjson');
  // R2 records `uploaded` in milliseconds: the next batch is written strictly later.
  await new Promise((resolve) => setTimeout(resolve, 5));
}

const team = () => `team_${crypto.randomUUID()}`;

describe('the archive reader (worker/archive/reader.ts)', () => {
  it("reads the given conversations' copies from the days of the range only", async () => {
    const teamId = team();
    await batch(teamId, [
      copy(teamId, 'conv_a', 'msg_1'),
      copy(teamId, 'conv_b', 'msg_2'),
      copy(teamId, 'conv_a', 'msg_3', { createdAt: day + 86_400_000, position: 2 }),
      copy(teamId, 'conv_a', 'msg_4', { createdAt: day + 3 * 86_400_000, position: 3 }),
    ]);
    expect(await store().list(`${ARCHIVE_PREFIX}${teamId}/`)).toHaveLength(3);
    const reader = new ArchiveReader(store(), teamId);
    const copies = await reader.copies(new Set(['conv_a']), { from: day, to: day + 86_400_000 });
    expect([...copies.keys()].sort()).toEqual([copyKey('conv_a', 'msg_1'), copyKey('conv_a', 'msg_3')]);
    expect(copies.get(copyKey('conv_a', 'msg_3'))?.content).toBe('body of msg_3');
    // Another team's archive is another prefix.
    expect((await new ArchiveReader(store(), team()).copies(new Set(['conv_a']), { from: day, to: day })).size).toBe(0);
  });

  it('keeps, per message, the finished copy with the latest completedAt, then the one written last', async () => {
    const teamId = team();
    const done = copy(teamId, 'conv_a', 'msg_1', { completedAt: day + 50, content: 'final' });
    await batch(teamId, [copy(teamId, 'conv_a', 'msg_1', { status: 'streaming', completedAt: null, content: 'fi' })]);
    await batch(teamId, [done]);
    await batch(teamId, [{ ...done, metadata: { feedback: { rating: 'up', at: 1 } } }]);
    // Written after the rating, but older: an earlier completion, and a streaming copy.
    await batch(teamId, [copy(teamId, 'conv_a', 'msg_1', { completedAt: day + 20, content: 'first try' })]);
    await batch(teamId, [copy(teamId, 'conv_a', 'msg_1', { status: 'streaming', completedAt: null, content: 'f' })]);
    const copies = await new ArchiveReader(store(), teamId).copies(new Set(['conv_a']), { from: day, to: day });
    expect(copies.get(copyKey('conv_a', 'msg_1'))).toMatchObject({
      content: 'final',
      status: 'complete',
      metadata: { feedback: { rating: 'up', at: 1 } },
    });
  });

  it('is unmoved by a redelivered batch: the same object, the same copies', async () => {
    const teamId = team();
    const copies = [copy(teamId, 'conv_a', 'msg_1'), copy(teamId, 'conv_a', 'msg_2', { position: 2 })];
    await batch(teamId, copies);
    const reader = new ArchiveReader(store(), teamId);
    const first = await reader.copies(new Set(['conv_a']), { from: day, to: day });
    await batch(teamId, [...copies].reverse());
    expect(await store().list(`${ARCHIVE_PREFIX}${teamId}/`)).toHaveLength(1);
    const again = await new ArchiveReader(store(), teamId).copies(new Set(['conv_a']), { from: day, to: day });
    expect(again).toEqual(first);
    expect(first.size).toBe(2);
  });
});
