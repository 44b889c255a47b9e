/**
 * What an outbox table of the object holds (its keys, due times and attempts), kept in memory by the store that is the
 * table's only writer, so a flush with nothing due and the alarm's "when is the next row due" read no SQLite. A turn
 * flushed both outboxes and re-armed the alarm with four such reads (bench/README.md, m12-cpu). Loaded from the table
 * on first use; updated after each statement succeeded; lost with the object's memory and loaded again.
 */
export class OutboxMirror {
  private constructor(private readonly rows: Map<string, { due: number; attempts: number }>) {}

  static load(rows: Iterable<{ id: string; due_at: number; attempts: number }>): OutboxMirror {
    const mirror = new OutboxMirror(new Map());
    for (const row of rows) mirror.rows.set(row.id, { due: row.due_at, attempts: row.attempts });
    return mirror;
  }

  /** An insert, or an upsert that moved the row's due time (its attempts stay). */
  set(id: string, due: number): void {
    this.rows.set(id, { due, attempts: this.rows.get(id)?.attempts ?? 0 });
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) this.rows.delete(id);
  }

  postpone(ids: readonly string[], due: number): void {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) this.rows.set(id, { due, attempts: row.attempts + 1 });
    }
  }

  /** Rows due by `now`, earliest first (ties in the order they were first written), at most `limit`. */
  due(now: number, limit: number): { id: string; attempts: number }[] {
    const due: { id: string; attempts: number; at: number }[] = [];
    for (const [id, row] of this.rows) if (row.due <= now) due.push({ id, attempts: row.attempts, at: row.due });
    due.sort((a, b) => a.at - b.at);
    return due.slice(0, limit).map(({ id, attempts }) => ({ id, attempts }));
  }

  hasDue(now: number): boolean {
    for (const row of this.rows.values()) if (row.due <= now) return true;
    return false;
  }

  /** The earliest due time, undefined when the table is empty. */
  next(): number | undefined {
    let next: number | undefined;
    for (const row of this.rows.values()) if (next === undefined || row.due < next) next = row.due;
    return next;
  }
}
