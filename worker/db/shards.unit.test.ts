import { describe, expect, it } from 'vitest';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import { bindingShardRouter, queueSlot, SHARD_SLOTS, shardSlot } from './shards.ts';

/** Distinct objects standing for D1 bindings: the router only picks one, it never queries it. */
const binding = (name: string) => ({ name }) as unknown as D1Database;
const queue = {} as Queue;
const teams = Array.from({ length: 4000 }, (_, i) => newId('team', 1_700_000_000_000 + i));

describe('the shard router (worker/db/shards.ts)', () => {
  it('without shard bindings, routes every team to DB (single-database mode)', () => {
    const DB = binding('DB');
    const router = bindingShardRouter({ DB, EVENTS: queue });
    expect(teams.slice(0, 50).every((team) => router.forTeam(team) === DB)).toBe(true);
    expect(router.shardName(teams[0] as string)).toBe('DB');
    expect(router.all()).toEqual([{ name: 'DB', db: DB }]);
  });

  it('is deterministic: the same team gets the same shard from every router built on the same bindings', () => {
    const env: Pick<Env, 'DB' | 'EVENTS' | 'DB_SHARD_00' | 'DB_SHARD_01' | 'DB_SHARD_02'> = {
      DB: binding('DB'),
      EVENTS: queue,
      DB_SHARD_00: binding('0'),
      DB_SHARD_01: binding('1'),
      DB_SHARD_02: binding('2'),
    };
    const a = bindingShardRouter(env);
    const b = bindingShardRouter({ ...env });
    for (const team of teams) expect(b.shardName(team)).toBe(a.shardName(team));
    // A known id's slot, so a change of hash (which would move every team) fails here, not in production.
    expect(shardSlot('team_0000000000000000')).toBe(9);
  });

  it('never routes a team to DB once shards are bound, and uses only the bound ones', () => {
    const router = bindingShardRouter({ DB: binding('DB'), EVENTS: queue, DB_SHARD_03: binding('3') });
    expect(router.all().map((shard) => shard.name)).toEqual(['DB_SHARD_03']);
    expect(teams.every((team) => router.shardName(team) === 'DB_SHARD_03')).toBe(true);
  });

  it('spreads teams evenly over 16 shards (each within ±20 % of its share) and over 2', () => {
    const sixteen = Object.fromEntries(
      Array.from({ length: SHARD_SLOTS }, (_, i) => [`DB_SHARD_${String(i).padStart(2, '0')}`, binding(String(i))]),
    );
    const router = bindingShardRouter({ DB: binding('DB'), EVENTS: queue, ...sixteen });
    const counts = new Map<string, number>();
    for (const team of teams) counts.set(router.shardName(team), (counts.get(router.shardName(team)) ?? 0) + 1);
    expect(counts.size).toBe(SHARD_SLOTS);
    const share = teams.length / SHARD_SLOTS;
    for (const n of counts.values()) expect(Math.abs(n - share)).toBeLessThan(share * 0.2);

    const two = bindingShardRouter({
      DB: binding('DB'),
      EVENTS: queue,
      DB_SHARD_00: binding('0'),
      DB_SHARD_01: binding('1'),
    });
    const onFirst = teams.filter((team) => two.shardName(team) === 'DB_SHARD_00').length;
    expect(Math.abs(onFirst - teams.length / 2)).toBeLessThan(teams.length * 0.05);
  });

  it('keeps a team on the shard of its slot when the pool grows from 2 to 16 bindings only if the slot says so', () => {
    // The slot is fixed; with n bindings the slot s goes to the (s mod n)-th. Growing 2 → 16 keeps every team whose
    // slot is 0 or 1 in place and moves the others (docs/scaling.md: bind all 16 from the start to move none).
    const two = bindingShardRouter({
      DB: binding('DB'),
      EVENTS: queue,
      DB_SHARD_00: binding('0'),
      DB_SHARD_01: binding('1'),
    });
    for (const team of teams.slice(0, 200)) expect(two.shardName(team)).toBe(`DB_SHARD_0${shardSlot(team) % 2}`);
  });

  it('sends every conversation to EVENTS when it is the only analytics queue bound', () => {
    const router = bindingShardRouter({ DB: binding('DB'), EVENTS: queue });
    expect(router.queueFor('conv_a')).toBe(queue);
    expect(router.queueFor('conv_b')).toBe(queue);
  });

  it('hashes conversations onto EVENTS and the EVENTS_xx bound: stable, even, and only onto bound queues', () => {
    const named = (name: string) => ({ name }) as unknown as Queue;
    const env = {
      DB: binding('DB'),
      EVENTS: named('EVENTS'),
      EVENTS_01: named('EVENTS_01'),
      EVENTS_02: named('EVENTS_02'),
      EVENTS_03: named('EVENTS_03'),
      EVENTS_07: named('EVENTS_07'),
    };
    const a = bindingShardRouter(env);
    const b = bindingShardRouter({ ...env });
    const conversations = Array.from({ length: 4000 }, (_, i) => newId('conv', 1_700_000_000_000 + i));
    const counts = new Map<unknown, number>();
    for (const id of conversations) {
      const chosen = a.queueFor(id);
      expect(b.queueFor(id)).toBe(chosen);
      expect(a.queueFor(id)).toBe(chosen);
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
    }
    // The pool is EVENTS then the bound extras in number order: a known id's queue pins the hash and that order.
    expect(queueSlot('conv_0000000000000001', 5)).toBe(4);
    expect(a.queueFor('conv_0000000000000001')).toBe(
      [env.EVENTS, env.EVENTS_01, env.EVENTS_02, env.EVENTS_03, env.EVENTS_07][4],
    );
    const names = [...counts.keys()].map((q) => (q as unknown as { name: string }).name).sort();
    expect(names).toEqual(['EVENTS', 'EVENTS_01', 'EVENTS_02', 'EVENTS_03', 'EVENTS_07']);
    const share = conversations.length / 5;
    for (const n of counts.values()) expect(Math.abs(n - share)).toBeLessThan(share * 0.2);
  });
});
