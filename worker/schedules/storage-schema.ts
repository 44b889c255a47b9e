/**
 * The participant object's schedule tables, appended to its migrations (worker/participant-data/storage-schema.ts).
 * `wake_at` is when the alarm must look at a row: its next due time, or the retry time of a failed attempt; null when
 * it is paused, done or cancelled. `version` counts changes; `mirrored_version` is the last one sent to D1.
 */
export const SCHEDULE_TABLES = `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY, chatbot_id TEXT NOT NULL, prompt TEXT NOT NULL, time_zone TEXT NOT NULL,
    recurrence TEXT, anchor_at INTEGER NOT NULL, anchor_index INTEGER NOT NULL, occurrence INTEGER NOT NULL,
    status TEXT NOT NULL, next_due_at INTEGER, wake_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
    fired_count INTEGER NOT NULL DEFAULT 0, failed_count INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER, last_outcome TEXT, origin TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1, mirrored_version INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX schedules_wake ON schedules (wake_at) WHERE wake_at IS NOT NULL;
  CREATE INDEX schedules_unmirrored ON schedules (id) WHERE mirrored_version < version;
  CREATE TABLE schedule_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, schedule_id TEXT NOT NULL, due_at INTEGER NOT NULL,
    attempt INTEGER NOT NULL, at INTEGER NOT NULL, outcome TEXT NOT NULL, error TEXT, conversation_id TEXT,
    UNIQUE (schedule_id, due_at, attempt));`;

/**
 * The key of the request that created a schedule, when the caller gave one (an event action: the conversation and
 * its firing key): a redelivered or repeated request finds its schedule instead of creating a second one.
 */
export const SCHEDULE_IDEMPOTENCY = `
  ALTER TABLE schedules ADD COLUMN idempotency_key TEXT;
  CREATE UNIQUE INDEX schedules_idempotency ON schedules (idempotency_key) WHERE idempotency_key IS NOT NULL;`;
