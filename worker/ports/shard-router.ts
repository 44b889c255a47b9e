/**
 * The shard router port (issue 19 §1): where a team's data plane lives and which queue carries a conversation's
 * outbox. The control plane (teams, users, chatbots, versions, keys, configs) always stays in `DB`; the data plane
 * (conversation index rows and counters, message copies, tags, comments, the event log) goes to the team's shard.
 * One implementation: a fixed pool of D1 bindings (worker/db/shards.ts, docs/scaling.md).
 */
export interface ShardRouter {
  /** The D1 database holding `teamId`'s data plane. Deterministic: the same team always gets the same database. */
  forTeam(teamId: string): D1Database;
  /** The binding name behind `forTeam` (`DB` in single-database mode), for ops routes and the bench. */
  shardName(teamId: string): string;
  /** Every data-plane database, once each, with its binding name: for migrations and ops that visit them all. */
  all(): readonly { name: string; db: D1Database }[];
  /** The analytics queue a conversation's outbox messages travel on: one of the bound pool, by a stable hash. */
  queueFor(conversationId: string): Queue;
}
