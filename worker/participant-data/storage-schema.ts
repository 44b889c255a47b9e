import { SCHEDULE_IDEMPOTENCY, SCHEDULE_TABLES } from '../schedules/storage-schema.ts';

/**
 * The participant object's own SQLite schema (worker/participant-data/participant-do.ts). Each entry runs once, in
 * order; `schema_version` in `meta` records how far an object has come. Named for the whole participant, not only
 * its data: the events issue adds the participant's schedules to this same object as a later entry.
 */
export const participantStorageMigrations: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   -- One row per chatbot: the data as one AES-GCM ciphertext (worker/security/secrets.ts), never plaintext.
   CREATE TABLE chatbot_data (chatbot_id TEXT PRIMARY KEY, sealed TEXT NOT NULL, updated_at INTEGER NOT NULL);
   -- Runs whose writes were applied, so a retried commit applies once; pruned to the last RUN_IDS_KEPT.
   CREATE TABLE applied_runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, applied_at INTEGER NOT NULL);
   -- Chatbots whose D1 copy (participant_data) is behind; the alarm copies them, retrying with backoff.
   CREATE TABLE mirror_outbox (chatbot_id TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL);`,
  // The participant's scheduled messages (worker/schedules/).
  SCHEDULE_TABLES,
  // Idempotent creation by a caller's key (event actions: docs/events.md).
  SCHEDULE_IDEMPOTENCY,
];

export function migrateParticipantStorage(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  for (let version = row ? Number(row.value) : 0; version < participantStorageMigrations.length; version++) {
    sql.exec(participantStorageMigrations[version] ?? '');
    sql.exec(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      String(version + 1),
    );
  }
}

/** Whether this object has stored anything: a participant whose data was only read keeps no storage. */
export function participantStorageStarted(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
}
