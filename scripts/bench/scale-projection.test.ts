import { describe, expect, it } from 'vitest';
import { scaleConfig } from './scale-config.ts';
import { meterParser, project, readTopology, sum } from './scale-projection.ts';

const TOML = `
[[d1_databases]]
binding = "DB"
database_name = "parley"

[[d1_databases]]
binding = "DB_SHARD_00"
database_name = "parley-shard-00"

[[d1_databases]]
binding = "DB_SHARD_01"
database_name = "parley-shard-01"

[[queues.producers]]
binding = "EVENTS"
queue = "parley-events"

[[queues.producers]]
binding = "INGEST"
queue = "parley-ingest"
`;

describe('bench:scale projection', () => {
  it('reads shard and analytics queue bindings from wrangler.toml', () => {
    expect(readTopology(TOML)).toEqual({ d1Shards: ['DB_SHARD_00', 'DB_SHARD_01'], analyticsQueues: ['EVENTS'] });
  });

  it('parses meter lines split across chunks and sums them per turn path and consumer', () => {
    const parser = meterParser();
    const line = (json: object) => `parley-meter ${JSON.stringify(json)}\n`;
    const text =
      line({ kind: 'd1', binding: 'DB', caller: 'request', count: 1, writes: 0, rowsWritten: 0 }) +
      line({ kind: 'd1', binding: 'DB_SHARD_00', caller: 'consumer', count: 3, writes: 2, rowsWritten: 5 }) +
      line({ kind: 'queue', binding: 'EVENTS', caller: 'ConversationDO', count: 1 }) +
      '[wrangler:info] GET /health 200\n';
    const cut = 50;
    const lines = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
    const totals = sum(lines);
    expect(totals.d1.DB?.turnPath).toEqual({ statements: 1, writes: 0, rowsWritten: 0 });
    expect(totals.d1.DB_SHARD_00?.consumer).toEqual({ statements: 3, writes: 2, rowsWritten: 5 });
    expect(totals.queue.EVENTS).toEqual({ turnPath: 1, consumer: 0 });

    // Two turns: shard statements spread over both shards, the control-plane DB sees every turn.
    const rows = project(totals, 2, readTopology(TOML));
    const perSecond = Object.fromEntries(rows.map((r) => [r.service.split(' (')[0], r.perSecondEach]));
    expect(perSecond).toEqual({ 'D1 `DB`': 5_000, 'D1 shards `DB_SHARD_*`': 7_500, Queues: 5_000 });
  });
});

describe('bench:scale configuration (scale-config.ts)', () => {
  const base = `${TOML}
[[queues.consumers]]
queue = "parley-events"
max_batch_size = 100
max_retries = 10
dead_letter_queue = "parley-events-dlq"

[observability]
enabled = true
`;

  it('adds 16 shard bindings and 4 queues next to EVENTS, each queue consumed with the events settings', () => {
    const { toml, shardBindings } = scaleConfig(
      base.replace(/\[\[d1_databases\]\]\nbinding = "DB_SHARD[^[]*/g, ''),
      16,
      5,
    );
    expect(shardBindings).toHaveLength(16);
    expect(shardBindings.at(-1)).toBe('DB_SHARD_15');
    const topology = readTopology(toml);
    expect(topology.d1Shards).toEqual(shardBindings);
    expect(topology.analyticsQueues).toEqual(['EVENTS', 'EVENTS_01', 'EVENTS_02', 'EVENTS_03', 'EVENTS_04']);
    expect(toml).toContain(
      '[[queues.consumers]]\nqueue = "parley-events-04"\nmax_batch_size = 100\nmax_retries = 10\ndead_letter_queue = "parley-events-dlq"',
    );
    expect(toml.match(/migrations_dir = "migrations-shard"/g)).toHaveLength(16);
  });

  it('refuses counts the router cannot use', () => {
    expect(() => scaleConfig(base, 17, 5)).toThrow('--shards must be from 1 to 16');
    expect(() => scaleConfig(base, 16, 0)).toThrow('--queues must be from 1 to 16');
  });
});

describe('bench:scale projection with the conversations opened', () => {
  it('adds once-per-conversation load at the new-conversation rate that comes with the turns', () => {
    const turnLines = sum([
      { kind: 'd1', binding: 'DB', caller: 'ConversationDO', count: 1, writes: 0, rowsWritten: 0 },
    ]);
    const opening = sum([
      { kind: 'd1', binding: 'DB', caller: 'request', count: 4, writes: 0, rowsWritten: 0 },
      { kind: 'd1', binding: 'DB_SHARD_00', caller: 'request', count: 2, writes: 2, rowsWritten: 2 },
    ]);
    // 100 turns, 2 conversations opened, 4 turns each: 10,000 turns/s bring 2,500 new conversations/s.
    const rows = project(turnLines, 100, readTopology(TOML), {
      totals: opening,
      conversations: 2,
      turnsPerConversation: 4,
    });
    const db = rows.find((r) => r.service.startsWith('D1 `DB`'));
    expect(db).toMatchObject({ perTurn: 0.01, perConversation: 2, perSecondEach: 100 + 5_000 });
    const shards = rows.find((r) => r.service.startsWith('D1 shards'));
    expect(shards).toMatchObject({ perTurn: 0, perConversation: 1, perSecondEach: 2_500 / 2 });
  });
});
