import { OutboxMirror } from '../conversation/outbox-mirror.ts';
import type { ActionCall, EventLogEntry, WebhookCall } from '../queue/messages.ts';
import type { BotMessageRequest } from './bot-message.ts';

export type TimerState = 'armed' | 'done' | 'cancelled';
export type TimerRow = {
  trigger_id: string;
  state: TimerState;
  anchor_at: number;
  due_at: number;
  fired_count: number;
};

/** What waits in the event outbox: one log entry, tag, ending or webhook call each (worker/events/outbox.ts). */
export type EventOutboxItem =
  | { kind: 'log'; entry: EventLogEntry }
  | { kind: 'tag'; name: string }
  | { kind: 'ended' }
  | { kind: 'webhook'; call: WebhookCall }
  | { kind: 'action'; call: ActionCall };

/** Synchronous access to the conversation object's event tables (storage migration 5, storage-schema.ts). */
export class EventStore {
  /** Whether `bot_requests` has a row: read once, then kept (rows are only ever added, by this object). */
  private botRequests: boolean | undefined;
  /** The event outbox's ids and due times, loaded on first use (this store is the table's only writer). */
  private outboxRows: OutboxMirror | undefined;

  constructor(private readonly sql: SqlStorage) {}

  hasBotRequests(): boolean {
    this.botRequests ??= this.sql.exec('SELECT 1 FROM bot_requests LIMIT 1').toArray().length > 0;
    return this.botRequests;
  }

  botRequest(key: string): { turnId: string } | undefined {
    const row = this.sql.exec<{ turn_id: string }>('SELECT turn_id FROM bot_requests WHERE key = ?', key).toArray()[0];
    return row ? { turnId: row.turn_id } : undefined;
  }

  insertBotRequest(key: string, turnId: string, source: BotMessageRequest['source'], now: number): void {
    this.sql.exec(
      'INSERT INTO bot_requests (key, turn_id, source, created_at) VALUES (?, ?, ?, ?)',
      key,
      turnId,
      JSON.stringify(source),
      now,
    );
    this.botRequests = true;
  }

  /** What asked for a turn, when an event or a schedule did. */
  turnSource(turnId: string): BotMessageRequest['source'] | undefined {
    const row = this.sql
      .exec<{ source: string }>('SELECT source FROM bot_requests WHERE turn_id = ? LIMIT 1', turnId)
      .toArray()[0];
    return row ? (JSON.parse(row.source) as BotMessageRequest['source']) : undefined;
  }

  timer(triggerId: string): TimerRow | undefined {
    return this.sql.exec<TimerRow>('SELECT * FROM timers WHERE trigger_id = ?', triggerId).toArray()[0];
  }

  /** (Re)arms a timer from a new anchor: its count starts again. */
  armTimer(triggerId: string, anchorAt: number, dueAt: number, now: number): void {
    this.sql.exec(
      `INSERT INTO timers (trigger_id, state, anchor_at, due_at, fired_count, updated_at) VALUES (?, 'armed', ?, ?, 0, ?)
       ON CONFLICT (trigger_id) DO UPDATE SET state = 'armed', anchor_at = excluded.anchor_at, due_at = excluded.due_at,
       fired_count = 0, updated_at = excluded.updated_at`,
      triggerId,
      anchorAt,
      dueAt,
      now,
    );
  }

  dueTimers(now: number): TimerRow[] {
    return this.sql
      .exec<TimerRow>("SELECT * FROM timers WHERE state = 'armed' AND due_at <= ? ORDER BY due_at", now)
      .toArray();
  }

  nextTimerDue(): number | undefined {
    return (
      this.sql.exec<{ due: number | null }>("SELECT MIN(due_at) AS due FROM timers WHERE state = 'armed'").one().due ??
      undefined
    );
  }

  /**
   * Records the firing of (timer, due time) and moves the timer on: to `nextDue`, or done. False when that pair
   * fired before (a duplicated alarm): then nothing changes and nothing must run.
   */
  recordFiring(timer: TimerRow, nextDue: number | null, now: number): boolean {
    const inserted = this.sql
      .exec(
        'INSERT INTO timer_firings (trigger_id, due_at, fired_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1',
        timer.trigger_id,
        timer.due_at,
        now,
      )
      .toArray();
    if (inserted.length === 0) return false;
    this.sql.exec(
      'UPDATE timers SET fired_count = fired_count + 1, state = ?, due_at = ?, updated_at = ? WHERE trigger_id = ?',
      nextDue === null ? 'done' : 'armed',
      nextDue ?? timer.due_at,
      now,
      timer.trigger_id,
    );
    return true;
  }

  cancelTimers(now: number): void {
    this.sql.exec("UPDATE timers SET state = 'cancelled', updated_at = ? WHERE state = 'armed'", now);
  }

  /** The outbox's ids and due times (OutboxMirror), so a flush with nothing due reads no row. */
  private outbox(): OutboxMirror {
    this.outboxRows ??= OutboxMirror.load(
      this.sql.exec<{ id: string; due_at: number; attempts: number }>('SELECT id, due_at, attempts FROM event_outbox'),
    );
    return this.outboxRows;
  }

  enqueue(id: string, item: EventOutboxItem, now: number): void {
    const inserted = this.sql
      .exec(
        'INSERT INTO event_outbox (id, body, due_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id',
        id,
        JSON.stringify(item),
        now,
      )
      .toArray();
    // DO NOTHING: a row already there keeps its due time.
    if (inserted.length > 0) this.outboxRows?.set(id, now);
  }

  dueOutbox(now: number, limit: number): { id: string; item: EventOutboxItem; attempts: number }[] {
    if (!this.outbox().hasDue(now)) return [];
    return this.sql
      .exec<{ id: string; body: string; attempts: number }>(
        'SELECT id, body, attempts FROM event_outbox WHERE due_at <= ? ORDER BY due_at, id LIMIT ?',
        now,
        limit,
      )
      .toArray()
      .map((row) => ({ id: row.id, item: JSON.parse(row.body) as EventOutboxItem, attempts: row.attempts }));
  }

  nextOutboxDue(): number | undefined {
    return this.outbox().next();
  }

  removeOutbox(ids: readonly string[]): void {
    for (const id of ids) this.sql.exec('DELETE FROM event_outbox WHERE id = ?', id);
    this.outboxRows?.remove(ids);
  }

  postponeOutbox(ids: readonly string[], dueAt: number): void {
    for (const id of ids) {
      this.sql.exec('UPDATE event_outbox SET attempts = attempts + 1, due_at = ? WHERE id = ?', dueAt, id);
    }
    this.outboxRows?.postpone(ids, dueAt);
  }
}
