import { type Clock, systemClock } from './clock.ts';

export interface IsolateCacheOptions {
  /** At most this many entries; the least recently used goes first. */
  maxEntries: number;
  /**
   * An entry's lifetime from when it was stored (not from its last use, so a value read constantly is still re-read
   * this often). `Infinity` for values that never change, such as published chatbot versions.
   */
  ttlMs: number;
  clock?: Pick<Clock, 'now'>;
}

/**
 * A bounded, expiring map held in one isolate's memory: what a Worker keeps between requests to spare a shared
 * service a read (issue 19 §2: the control-plane `DB` sees every request otherwise). Each isolate has its own copy,
 * so a change made elsewhere reaches this one only when the entry expires: callers evict on their own writes and
 * state their TTL where they create the cache. A `Map` keeps insertion order, so moving an entry to the end on each
 * hit makes the first key the least recently used one; get, set and delete are O(1).
 */
export class IsolateCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly clock: Pick<Clock, 'now'>;
  private evictions = 0;

  constructor(private readonly options: IsolateCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1)
      throw new RangeError('maxEntries must be a positive integer');
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value under `key` while it is fresh; an expired entry is dropped. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Counts explicit evictions (delete, deleteWhere, clear). A caller that reads the source of truth takes it before
   * the read and passes it to `set` as `unlessEvictedSince`: if something was evicted meanwhile (a key revoked while
   * its lookup was in flight), the possibly stale value is not stored.
   */
  get evictionEpoch(): number {
    return this.evictions;
  }

  /** Stores `value` for ttlMs; with `unlessEvictedSince`, only if nothing was evicted since that epoch. */
  set(key: string, value: V, options: { unlessEvictedSince?: number } = {}): void {
    if (options.unlessEvictedSince !== undefined && options.unlessEvictedSince !== this.evictions) return;
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.options.ttlMs });
  }

  delete(key: string): boolean {
    this.evictions++;
    return this.entries.delete(key);
  }

  /** Drops every entry whose value matches (e.g. all of a team's); O(entries), for rare writes only. */
  deleteWhere(matches: (value: V, key: string) => boolean): number {
    this.evictions++;
    let deleted = 0;
    for (const [key, entry] of this.entries) {
      if (!matches(entry.value, key)) continue;
      this.entries.delete(key);
      deleted++;
    }
    return deleted;
  }

  /** The keys held, least recently used first (tests and diagnostics; expired ones included until read). */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.evictions++;
    this.entries.clear();
  }
}
