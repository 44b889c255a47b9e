/**
 * `npm run bench:scale`'s arithmetic: meter lines (worker/ports/metered-env.ts) summed per turn, and the load they
 * project at TARGET_TURNS_PER_S on each shared service against its published limit (sources: the research note's §8,
 * /work/shared/research/m2-architecture.md, and the pages cited in LIMITS).
 */
import { METER_PREFIX, type MeterLine } from '../../worker/ports/meter-line.ts';

export const TARGET_TURNS_PER_S = 10_000;
/** A shared service passes when the projected load is below this share of its limit (issue 19 §4). */
export const HEADROOM = 0.5;
/** The shard count the budget is stated for (issue 19 §4). */
export const BUDGET_SHARDS = 16;

export const LIMITS = {
  d1QueriesPerS: {
    value: 1_000,
    source:
      'D1 is single-threaded per database: "if your average query takes 1 ms, … approximately 1,000 queries per second" (developers.cloudflare.com/d1/platform/limits)',
  },
  queueMessagesPerS: {
    value: 5_000,
    source: '5,000 messages per second per queue (developers.cloudflare.com/queues/platform/limits)',
  },
  r2WritesPerKeyPerS: {
    value: 1,
    source:
      'R2 publishes no per-bucket object write rate; the limit is 1 concurrent write per second to one key (developers.cloudflare.com/r2/platform/limits)',
  },
  analyticsPointsPerInvocation: {
    value: 250,
    source: '250 data points per invocation (developers.cloudflare.com/analytics/analytics-engine/limits)',
  },
  doRequestsPerObjectPerS: {
    value: 1_000,
    source:
      'soft limit of 1,000 requests per second per object, unlimited objects (developers.cloudflare.com/durable-objects/platform/limits)',
  },
} as const;

/** Callers on the turn path: the API request and the conversation's object. Everything else runs after it. */
export const isTurnPath = (caller: string) => caller === 'request' || caller.endsWith('DO');

/** Meter lines in a chunk of server output (lines may be split across chunks: `carry` keeps the tail). */
export function meterParser(): { feed(chunk: string): MeterLine[] } {
  let carry = '';
  return {
    feed(chunk) {
      const text = carry + chunk;
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      const found: MeterLine[] = [];
      for (const line of lines) {
        const at = line.indexOf(METER_PREFIX);
        if (at === -1) continue;
        try {
          found.push(JSON.parse(line.slice(at + METER_PREFIX.length)) as MeterLine);
        } catch {
          // A line cut by another writer: not counted, and reported as such by the totals not adding up.
        }
      }
      return found;
    },
  };
}

export interface Totals {
  /** D1 by binding: statements, non-read statements and rows written, on the turn path and in the consumer. */
  d1: Record<string, { turnPath: D1Count; consumer: D1Count }>;
  queue: Record<string, { turnPath: number; consumer: number }>;
  r2: Record<string, { turnPath: number; consumer: number }>;
  durableObjects: Record<string, { turnPath: number; consumer: number }>;
}

export interface D1Count {
  statements: number;
  writes: number;
  rowsWritten: number;
}

const zero = (): D1Count => ({ statements: 0, writes: 0, rowsWritten: 0 });

export function sum(lines: readonly MeterLine[]): Totals {
  const totals: Totals = { d1: {}, queue: {}, r2: {}, durableObjects: {} };
  for (const line of lines) {
    const side = isTurnPath(line.caller) ? 'turnPath' : 'consumer';
    if (line.kind === 'd1') {
      totals.d1[line.binding] ??= { turnPath: zero(), consumer: zero() };
      const count = totals.d1[line.binding]?.[side] as D1Count;
      count.statements += line.count;
      count.writes += line.writes ?? 0;
      count.rowsWritten += line.rowsWritten ?? 0;
    } else {
      const table = line.kind === 'queue' ? totals.queue : line.kind === 'r2' ? totals.r2 : totals.durableObjects;
      table[line.binding] ??= { turnPath: 0, consumer: 0 };
      (table[line.binding] as { turnPath: number; consumer: number })[side] += line.count;
    }
  }
  return totals;
}

export interface Topology {
  /** D1 bindings that shard analytics (`DB_SHARD_00…`), from wrangler.toml. */
  d1Shards: string[];
  /** Queue producer bindings of the analytics queue(s), from wrangler.toml. */
  analyticsQueues: string[];
}

/** The shard and queue bindings a wrangler.toml declares (read as text: only the bindings matter here). */
export function readTopology(toml: string): Topology {
  // Each table's own lines: up to the next table header, so a consumer's dead_letter_queue is not its producer's.
  const blocks = (header: string) =>
    toml
      .split(`[[${header}]]`)
      .slice(1)
      .map((block) => block.split(/\n\s*\[/)[0] ?? '');
  const binding = (block: string) => /^\s*binding\s*=\s*"([^"]+)"/m.exec(block)?.[1];
  const d1Shards = blocks('d1_databases')
    .map(binding)
    .filter((name): name is string => !!name && /^DB_SHARD_\d+$/.test(name));
  const analyticsQueues = blocks('queues.producers')
    .filter((block) => /^\s*queue\s*=\s*"parley-events(-\d+)?"/m.test(block))
    .map(binding)
    .filter((name): name is string => !!name);
  return { d1Shards, analyticsQueues };
}

export interface BudgetLine {
  name: string;
  value: string;
  limit: string;
  pass: boolean;
}

export interface Projection {
  service: string;
  perTurn: number;
  /** Statements or messages of opening one conversation (its POST and WebSocket handshake); 0 without `opening`. */
  perConversation: number;
  databasesOrQueues: number;
  perSecondEach: number;
  limit: number;
  share: number;
  source: string;
}

/**
 * What opening the conversations cost (measured apart from the turns), and the rate of new conversations that
 * comes with TARGET_TURNS_PER_S: TARGET_TURNS_PER_S / turnsPerConversation, the run's own turns per conversation
 * (4 by default: 2,500 new conversations/s). Reads made once per conversation scale with that rate, not with turns.
 */
export interface Opening {
  totals: Totals;
  conversations: number;
  turnsPerConversation: number;
}

export const newConversationsPerS = (opening: Opening) => TARGET_TURNS_PER_S / opening.turnsPerConversation;

/**
 * The load at TARGET_TURNS_PER_S, plus, with `opening`, the new conversations that come with it. Statements on shard
 * bindings (`DB_SHARD_…`) are summed and spread over the shards (teams map evenly onto them; the bench's one team
 * uses one shard); any other D1 binding, such as the control-plane `DB`, is one database that sees every turn and
 * every new conversation. Queue messages are spread over the analytics queues.
 */
export function project(totals: Totals, turns: number, topology: Topology, opening?: Opening): Projection[] {
  const rows: Projection[] = [];
  const newPerS = opening ? newConversationsPerS(opening) : 0;
  const at = (perTurn: number, perConversation: number, over: number) =>
    (perTurn * TARGET_TURNS_PER_S + perConversation * newPerS) / over;
  const statements = (count: { turnPath: D1Count; consumer: D1Count } | undefined) =>
    count ? count.turnPath.statements + count.consumer.statements : 0;
  const perConversationOf = (value: number) => (opening ? value / opening.conversations : 0);
  const d1 = (service: string, perTurn: number, perConversation: number, databases: number) => {
    const each = at(perTurn, perConversation, databases);
    const { value, source } = LIMITS.d1QueriesPerS;
    rows.push({
      service,
      perTurn,
      perConversation,
      databasesOrQueues: databases,
      perSecondEach: each,
      limit: value,
      share: each / value,
      source,
    });
  };
  const shards = topology.d1Shards.length;
  let onShards = 0;
  let onShardsOpening = 0;
  const bindings = new Set([...Object.keys(totals.d1), ...Object.keys(opening?.totals.d1 ?? {})]);
  for (const binding of bindings) {
    const turnCount = statements(totals.d1[binding]) / turns;
    const openCount = perConversationOf(statements(opening?.totals.d1[binding]));
    if (topology.d1Shards.includes(binding)) {
      onShards += turnCount;
      onShardsOpening += openCount;
    } else d1(`D1 \`${binding}\` (one database)`, turnCount, openCount, 1);
  }
  if (shards > 0) d1(`D1 shards \`DB_SHARD_*\` (${shards})`, onShards, onShardsOpening, shards);
  const messages = (t: Totals | undefined) =>
    Object.values(t?.queue ?? {}).reduce((s, q) => s + q.turnPath + q.consumer, 0);
  const queueMessages = messages(totals) / turns;
  const queueOpening = perConversationOf(messages(opening?.totals));
  const queues = Math.max(1, topology.analyticsQueues.length);
  const each = at(queueMessages, queueOpening, queues);
  rows.push({
    service: `Queues (${queues} analytics queue${queues === 1 ? '' : 's'})`,
    perTurn: queueMessages,
    perConversation: queueOpening,
    databasesOrQueues: queues,
    perSecondEach: each,
    limit: LIMITS.queueMessagesPerS.value,
    share: each / LIMITS.queueMessagesPerS.value,
    source: LIMITS.queueMessagesPerS.source,
  });
  return rows;
}
