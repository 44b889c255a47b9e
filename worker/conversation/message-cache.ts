import type { JsonObject } from '../../plugins/sdk/index.ts';
import { type MessageRow, type TurnStatus, toMessage } from './message-row.ts';
import type { ConversationMessage } from './protocol.ts';

/**
 * Above this many characters of content and metadata the object stops keeping its messages in memory and reads them
 * from SQLite again (as before): an isolate has 128 MB for every object it runs (Workers limits), and a long
 * conversation must not take a large share of it. 1 M characters is hundreds of turns of ordinary chat.
 */
export const MAX_CACHED_CHARS = 1_000_000;

interface Cached {
  message: ConversationMessage;
  createdSeq: number;
  chars: number;
}

/** A turn as the cache needs it: its rowid order, status and instruction (set when the turn is created, never changed). */
export type CachedTurn = { order: number; status: TurnStatus; instruction: string | null };

/**
 * The conversation's messages and turns as SQLite holds them, kept in the object's memory so a turn does not read and
 * parse the whole history again (≈ 10 % of a turn's isolate time in the bench's profile, and growing with the
 * conversation: bench/README.md, m12-cpu). The object is single-threaded and ConversationStore is the only writer of
 * `messages` and `turns`, so the store updates this copy from each statement's own result, after the statement
 * succeeded; memory is lost on eviction, and the next object loads it again from storage.
 *
 * Messages handed out are shared objects: callers read them and never mutate them (as with the store's fixed meta).
 */
export class MessageCache {
  private readonly list: Cached[] = [];
  private readonly byId = new Map<string, Cached>();
  private readonly byClientId = new Map<string, Cached>();
  private readonly turns = new Map<string, CachedTurn>();
  private nextOrder = 1;
  private chars = 0;

  /** Built from every stored row (positions ascending) and every turn with its rowid; undefined when too large. */
  static load(
    rows: Iterable<MessageRow>,
    turns: Iterable<{ id: string; status: TurnStatus; rowid: number; instruction: string | null }>,
  ) {
    const cache = new MessageCache();
    for (const row of rows) {
      cache.upsert(row);
      if (cache.tooLarge) return undefined;
    }
    for (const turn of turns) {
      cache.turns.set(turn.id, { order: turn.rowid, status: turn.status, instruction: turn.instruction });
      cache.nextOrder = Math.max(cache.nextOrder, turn.rowid + 1);
    }
    return cache;
  }

  get tooLarge(): boolean {
    return this.chars > MAX_CACHED_CHARS;
  }

  /** A row as an INSERT or UPDATE … RETURNING gave it back. */
  upsert(row: MessageRow): ConversationMessage {
    const known = this.byId.get(row.id);
    const entry: Cached = {
      message: toMessage(row),
      createdSeq: row.created_seq,
      chars: row.content.length + row.metadata.length,
    };
    this.chars += entry.chars - (known?.chars ?? 0);
    if (known) {
      // Positions never change: the entry keeps its place.
      this.list[this.list.indexOf(known)] = entry;
      if (known.message.clientMessageId !== null) this.byClientId.delete(known.message.clientMessageId);
    } else {
      // A new row takes the next position (store.insertMessage), so appending keeps position order.
      this.list.push(entry);
    }
    this.byId.set(row.id, entry);
    if (entry.message.clientMessageId !== null) this.byClientId.set(entry.message.clientMessageId, entry);
    return entry.message;
  }

  setMetadata(id: string, metadata: JsonObject, json: string): void {
    const known = this.byId.get(id);
    if (!known) return;
    this.chars += json.length - JSON.stringify(known.message.metadata).length;
    const entry: Cached = { ...known, message: { ...known.message, metadata } };
    this.list[this.list.indexOf(known)] = entry;
    this.byId.set(id, entry);
    if (entry.message.clientMessageId !== null) this.byClientId.set(entry.message.clientMessageId, entry);
  }

  addTurn(id: string, status: TurnStatus, instruction: string | null): void {
    this.turns.set(id, { order: this.nextOrder++, status, instruction });
  }

  /** Undefined for a turn the cache does not know (the store then asks SQLite). */
  turn(id: string): Readonly<CachedTurn> | undefined {
    return this.turns.get(id);
  }

  setTurnStatus(id: string, status: TurnStatus): void {
    const turn = this.turns.get(id);
    if (turn) turn.status = status;
  }

  message(id: string): ConversationMessage | undefined {
    return this.byId.get(id)?.message;
  }

  messageByClientId(clientMessageId: string): (ConversationMessage & { createdSeq: number }) | undefined {
    const entry = this.byClientId.get(clientMessageId);
    return entry && { ...entry.message, createdSeq: entry.createdSeq };
  }

  /** The same rows and order as ConversationStore's SQL: turns in the order accepted, user messages before replies. */
  historyFor(turnId: string): ConversationMessage[] {
    const kept: { message: ConversationMessage; order: number }[] = [];
    for (const { message } of this.list) {
      const turn = this.turns.get(message.turnId);
      if (turn && (turn.status === 'done' || message.turnId === turnId)) kept.push({ message, order: turn.order });
    }
    kept.sort(
      (a, b) =>
        a.order - b.order ||
        Number(a.message.role === 'assistant') - Number(b.message.role === 'assistant') ||
        a.message.position - b.message.position,
    );
    return kept.map((entry) => entry.message);
  }

  /** A turn's messages of one role, in position order. */
  turnMessages(turnId: string, role: ConversationMessage['role']): ConversationMessage[] {
    const found: ConversationMessage[] = [];
    for (const { message } of this.list) if (message.turnId === turnId && message.role === role) found.push(message);
    return found;
  }
}
