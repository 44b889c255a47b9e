import type { MessageError } from '../conversation/protocol.ts';

/** What a delivery carries: a generated reply, a bot message posted by the trigger API, or a canned reply. */
export type DeliveryKind = 'reply' | 'trigger' | 'canned';

/**
 * `streaming`: the reply is still being generated and its first part was already sent (stream edits); not due.
 * `pending`: waiting for its (next) attempt. `sent`, `failed`, `skipped`: final.
 */
export type DeliveryStatus = 'streaming' | 'pending' | 'sent' | 'failed' | 'skipped';

export type DeliveryRow = {
  message_id: string;
  kind: DeliveryKind;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  /** The platform message a streamed reply was first sent as: a retry edits it instead of sending a duplicate. */
  streamed_message_id: string | null;
};

/** The `deliveries` table of a conversation object (schema version 3). Every method is one short statement. */
export class DeliveryStore {
  constructor(private readonly sql: SqlStorage) {}

  /** A streamed reply's first platform message, recorded as soon as the platform answered; not due yet. */
  recordStreamed(messageId: string, platformMessageId: string, now: number): void {
    this.sql.exec(
      `INSERT INTO deliveries (message_id, kind, status, next_attempt_at, streamed_message_id, created_at)
       VALUES (?, 'reply', 'streaming', ?, ?, ?)
       ON CONFLICT (message_id) DO UPDATE SET streamed_message_id = excluded.streamed_message_id`,
      messageId,
      now,
      platformMessageId,
      now,
    );
  }

  /** Makes a finished message due now. Called in the same synchronous block that finishes the message. */
  enqueue(messageId: string, kind: DeliveryKind, now: number): void {
    this.sql.exec(
      `INSERT INTO deliveries (message_id, kind, status, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?)
       ON CONFLICT (message_id) DO UPDATE SET kind = excluded.kind, status = 'pending',
         next_attempt_at = excluded.next_attempt_at WHERE deliveries.status = 'streaming'`,
      messageId,
      kind,
      now,
      now,
    );
  }

  row(messageId: string): DeliveryRow | undefined {
    return this.sql
      .exec<DeliveryRow>(
        'SELECT message_id, kind, status, attempts, next_attempt_at, streamed_message_id FROM deliveries WHERE message_id = ?',
        messageId,
      )
      .toArray()[0];
  }

  /**
   * The earliest unfinished delivery, in message order. Later replies wait behind it (even when they are due), so a
   * chat receives replies in the order they were written.
   */
  head(): DeliveryRow | undefined {
    return this.sql
      .exec<DeliveryRow>(
        `SELECT d.message_id, d.kind, d.status, d.attempts, d.next_attempt_at, d.streamed_message_id
         FROM deliveries d JOIN messages m ON m.id = d.message_id
         WHERE d.status = 'pending' ORDER BY m.position LIMIT 1`,
      )
      .toArray()[0];
  }

  /** Counts an attempt and hides the row until `leaseUntil`, so nothing else picks it up meanwhile. */
  claim(messageId: string, leaseUntil: number): number {
    return this.sql
      .exec<{ attempts: number }>(
        'UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ? WHERE message_id = ? RETURNING attempts',
        leaseUntil,
        messageId,
      )
      .one().attempts;
  }

  finish(messageId: string, status: 'sent' | 'failed' | 'skipped', error: MessageError | null = null): void {
    this.sql.exec(
      'UPDATE deliveries SET status = ?, last_error = ? WHERE message_id = ?',
      status,
      error ? JSON.stringify(error) : null,
      messageId,
    );
  }

  postpone(messageId: string, at: number, error: MessageError): void {
    this.sql.exec(
      'UPDATE deliveries SET next_attempt_at = ?, last_error = ? WHERE message_id = ?',
      at,
      JSON.stringify(error),
      messageId,
    );
  }

  /** When the alarm must next look at deliveries: the head's next attempt (rows behind it wait for it anyway). */
  nextDue(): number | undefined {
    return this.head()?.next_attempt_at;
  }
}
