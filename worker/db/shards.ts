import type { Env, ShardBinding } from '../env.ts';
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

/**
 * FNV-1a (32-bit) of the team id, mod the slot count: stable across isolates, deploys and languages (a script or
 * an operator can compute it), and ids are random, so slots fill evenly (shards.unit.test.ts measures the spread).
 */
export function shardSlot(teamId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < teamId.length; i++) {
    hash ^= teamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARD_SLOTS;
}

type ShardEnv = Pick<Env, 'DB' | 'EVENTS' | ShardBinding>;

/** The router over the shard bindings `env` has; none bound is today's single-database mode (`DB` for everything). */
export function bindingShardRouter(env: ShardEnv): ShardRouter {
  const pool = SHARD_BINDINGS.flatMap((name) => {
    const db = env[name];
    return db ? [{ name: name as string, db }] : [];
  });
  const shards = pool.length > 0 ? pool : [{ name: 'DB', db: env.DB }];
  const pick = (teamId: string) => shards[shardSlot(teamId) % shards.length] as { name: string; db: D1Database };
  return {
    forTeam: (teamId) => pick(teamId).db,
    shardName: (teamId) => pick(teamId).name,
    all: () => shards,
    queueFor: () => env.EVENTS,
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
