import type { Env, EventsBinding, ShardBinding } from '../env.ts';
import type { ShardRouter } from '../ports/shard-router.ts';
import { type Database, database } from './client.ts';

/**
 * Teams hash onto a fixed number of slots, the largest pool the bindings name (`DB_SHARD_00…15`). A team's slot
 * never changes; which database serves a slot is configuration: slot `s` is served by the `s mod n`-th of the `n`
 * configured shard bindings (all 16 bound: slot `s` is `DB_SHARD_<s>`). docs/scaling.md explains how to grow.
 */
export const SHARD_SLOTS = 16;

/** `DB_SHARD_00` … `DB_SHARD_15`. */
export const SHARD_BINDINGS: readonly ShardBinding[] = Array.from(
  { length: SHARD_SLOTS },
  (_, slot) => `DB_SHARD_${String(slot).padStart(2, '0')}` as ShardBinding,
);

/** The analytics queue producers a deployment may bind besides `EVENTS`: `EVENTS_01` … `EVENTS_15`. */
export const EVENTS_BINDINGS: readonly EventsBinding[] = Array.from(
  { length: SHARD_SLOTS - 1 },
  (_, i) => `EVENTS_${String(i + 1).padStart(2, '0')}` as EventsBinding,
);

/** FNV-1a (32-bit): stable across isolates, deploys and languages (a script or an operator can compute it). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * FNV-1a of the team id, mod the slot count; ids are random, so slots fill evenly (shards.unit.test.ts measures
 * the spread).
 */
export function shardSlot(teamId: string): number {
  return fnv1a(teamId) % SHARD_SLOTS;
}

/**
 * The index of a conversation's analytics queue among `queues` bound ones: FNV-1a of its id. A conversation's
 * messages always take the same queue (their order within it is kept); queues fill evenly because ids are random.
 * Adding a queue re-maps conversations, which is safe: the consumer is idempotent and the same for every queue.
 */
export function queueSlot(conversationId: string, queues: number): number {
  return fnv1a(conversationId) % queues;
}

type ShardEnv = Pick<Env, 'DB' | 'EVENTS' | ShardBinding | EventsBinding>;

/** The router over the shard bindings `env` has; none bound is today's single-database mode (`DB` for everything). */
export function bindingShardRouter(env: ShardEnv): ShardRouter {
  const pool = SHARD_BINDINGS.flatMap((name) => {
    const db = env[name];
    return db ? [{ name: name as string, db }] : [];
  });
  const shards = pool.length > 0 ? pool : [{ name: 'DB', db: env.DB }];
  const pick = (teamId: string) => shards[shardSlot(teamId) % shards.length] as { name: string; db: D1Database };
  // `EVENTS` first, then the extra producers bound (their numbers need not be contiguous).
  const queues = [env.EVENTS, ...EVENTS_BINDINGS.flatMap((name) => env[name] ?? [])];
  return {
    forTeam: (teamId) => pick(teamId).db,
    shardName: (teamId) => pick(teamId).name,
    all: () => shards,
    queueFor: (conversationId) => queues[queueSlot(conversationId, queues.length)] as Queue,
  };
}

/** One router per env object (the bindings live as long as the isolate). */
const routers = new WeakMap<object, ShardRouter>();

export function shardRouter(env: ShardEnv): ShardRouter {
  let router = routers.get(env);
  if (!router) {
    router = bindingShardRouter(env);
    routers.set(env, router);
  }
  return router;
}

/** The drizzle client of `teamId`'s data-plane database: every query of conversations, messages, tags, the event log. */
export function teamDatabase(env: ShardEnv, teamId: string): Database {
  return database(shardRouter(env).forTeam(teamId));
}
