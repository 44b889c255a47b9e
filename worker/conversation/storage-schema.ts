/**
 * The conversation Durable Object's own SQLite schema. Each entry runs once, in order, inside the constructor's
 * blockConcurrencyWhile; `schema_version` in `meta` records how far an object has come.
 */
export const storageMigrations: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE messages (
     id TEXT PRIMARY KEY,
     position INTEGER NOT NULL UNIQUE,
     role TEXT NOT NULL,
     content TEXT NOT NULL,
     status TEXT NOT NULL,
     turn_id TEXT NOT NULL,
     client_message_id TEXT UNIQUE,
     created_seq INTEGER NOT NULL,
     error TEXT,
     provider_id TEXT,
     model TEXT,
     input_tokens INTEGER,
     output_tokens INTEGER,
     finish_reason TEXT,
     metadata TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     completed_at INTEGER
   );
   CREATE TABLE turns (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     reply_message_id TEXT,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER
   );
   CREATE INDEX turns_status ON turns (status, created_at);
   CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE TABLE outbox (message_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL);`,
  // 2: turns started by the bot itself (trigger API) carry the operator's instruction instead of a user message.
  'ALTER TABLE turns ADD COLUMN instruction TEXT;',
  // 3: replies of channel conversations waiting to be delivered to the messaging platform (worker/channels/delivery.ts).
  `CREATE TABLE deliveries (
     message_id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     streamed_message_id TEXT,
     last_error TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX deliveries_status ON deliveries (status, next_attempt_at);`,
  // 4: pipeline runs (worker/conversation/pipeline-store.ts). A run's checkpoint is one row; node outputs are rows of
  // their own so neither grows past the 2 MB a row holds. Named histories and their summaries live beside them.
  `CREATE TABLE pipeline_runs (
     id TEXT PRIMARY KEY,
     turn_id TEXT NOT NULL,
     status TEXT NOT NULL,
     checkpoint TEXT NOT NULL,
     reply_ids TEXT NOT NULL DEFAULT '[]',
     error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX pipeline_runs_turn ON pipeline_runs (turn_id);
   CREATE TABLE pipeline_run_nodes (
     run_id TEXT NOT NULL,
     node_id TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (run_id, node_id)
   );
   CREATE TABLE histories (
     name TEXT NOT NULL,
     position INTEGER NOT NULL,
     role TEXT NOT NULL,
     content TEXT NOT NULL,
     PRIMARY KEY (name, position)
   );
   CREATE TABLE history_summaries (name TEXT PRIMARY KEY, text TEXT NOT NULL, through INTEGER NOT NULL);`,
  // 5: events (worker/events/event-store.ts). `bot_requests`: "send a message to the bot" calls seen, by idempotency
  // key. `timers`: one inactivity timer per trigger, on the object's single alarm. `timer_firings`: (timer, due
  // time) pairs already fired, since alarms are at-least-once. `event_outbox`: event-log entries and webhook calls
  // waiting to leave the object with the next outbox flush.
  `CREATE TABLE bot_requests (
     key TEXT PRIMARY KEY,
     turn_id TEXT NOT NULL,
     source TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX bot_requests_turn ON bot_requests (turn_id);
   CREATE TABLE timers (
     trigger_id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     anchor_at INTEGER NOT NULL,
     due_at INTEGER NOT NULL,
     fired_count INTEGER NOT NULL DEFAULT 0,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX timers_due ON timers (state, due_at);
   CREATE TABLE timer_firings (
     trigger_id TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     fired_at INTEGER NOT NULL,
     PRIMARY KEY (trigger_id, due_at)
   );
   CREATE TABLE event_outbox (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at INTEGER NOT NULL
   );`,
  // 6: taken by another branch of milestone 9; a no-op here so this branch's 7 keeps its number (merge: use theirs).
  'SELECT 1;',
  // 7: tool calls waiting for a person's approval (worker/conversation/tool-approvals.ts), one row per request: its
  // status changes once (pending → approved | denied), which is what makes a decision exactly-once.
  `CREATE TABLE tool_approvals (
     id TEXT PRIMARY KEY,
     turn_id TEXT NOT NULL,
     message_id TEXT,
     node_id TEXT NOT NULL,
     call_id TEXT NOT NULL,
     name TEXT NOT NULL,
     arguments TEXT NOT NULL,
     status TEXT NOT NULL,
     decided_by TEXT,
     requested_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     decided_at INTEGER
   );
   CREATE INDEX tool_approvals_status ON tool_approvals (status);`,
];

export function migrateStorage(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  const current = row ? Number(row.value) : 0;
  for (let version = current; version < storageMigrations.length; version++) {
    const statements = storageMigrations[version] ?? '';
    sql.exec(version === 0 ? statements.replace('CREATE TABLE meta', 'CREATE TABLE IF NOT EXISTS meta') : statements);
    sql.exec(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      String(version + 1),
    );
  }
}

/**
 * Whether this object has ever stored anything. A widget session names its conversation before the conversation
 * exists; opening its stream or socket must not create storage, so the schema is written with the first message.
 * Reading sqlite_master writes nothing.
 */
export function storageStarted(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
}
