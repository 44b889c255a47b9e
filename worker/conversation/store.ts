import type { FinishReason, JsonObject } from '../../plugins/sdk/index.ts';
import { MessageCache } from './message-cache.ts';
import { type MessageRow, type TurnStatus, toMessage } from './message-row.ts';
import { OutboxMirror } from './outbox-mirror.ts';
import type {
  ConversationEvent,
  ConversationEventBody,
  ConversationMessage,
  MessageError,
  MessageRole,
  MessageStatus,
} from './protocol.ts';

/** Meta keys a conversation object writes once, when it starts (its ConversationMeta and its chatbot version). */
// `knowledge` is KNOWLEDGE_PINS_META_KEY (worker/knowledge/pins/types.ts): the version's pins, written with the definition.
const FIXED_META_KEYS = new Set(['conversation', 'definition', 'knowledge']);

export type { TurnStatus };
export type TurnRow = {
  id: string;
  status: TurnStatus;
  reply_message_id: string | null;
  created_at: number;
};

/** Synchronous access to one conversation's SQLite. Every method is one short statement or a few. */
export class ConversationStore {
  /**
   * Parsed values of the meta keys written once per object (ConversationDO.ensureMeta) and never changed: read on
   * every turn (the definition's JSON can be tens of KB), so parsed once. Shared objects: callers never mutate them.
   */
  private readonly fixedMeta = new Map<string, unknown>();
  /** The last stored event's seq, once read (appendEvent). */
  private seq: number | undefined;
  /** Stores events held in memory (DeltaCoalescer) before a seq or a reply's streamed text is read. */
  private beforeRead: (() => void) | undefined;
  /**
   * The messages and turns in memory (message-cache.ts), loaded on first use; null once the conversation outgrew it
   * (then every read goes to SQLite). Every write below updates it after its statement succeeded.
   */
  private cache: MessageCache | null | undefined;
  /** The analytics outbox's rows (outbox-mirror.ts), loaded on first use. */
  private outboxRows: OutboxMirror | undefined;

  constructor(private readonly sql: SqlStorage) {}

  /**
   * `flush` runs before every read that must see each event published so far: the last seq (a message's createdSeq,
   * a history's lastSeq) and the text a reply streamed. Replays need none: held text is published after them.
   */
  flushBeforeReads(flush: () => void): void {
    this.beforeRead = flush;
  }

  getMeta<T>(key: string): T | undefined {
    if (this.fixedMeta.has(key)) return this.fixedMeta.get(key) as T;
    const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0];
    const value = row ? (JSON.parse(row.value) as T) : undefined;
    if (value !== undefined && FIXED_META_KEYS.has(key)) this.fixedMeta.set(key, value);
    return value;
  }

  setMeta(key: string, value: unknown): void {
    this.sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      JSON.stringify(value),
    );
    this.fixedMeta.delete(key);
  }

  /**
   * Stores the next event and returns it with its JSON (`JSON.stringify(event)`, built once for every socket). The
   * object is single-threaded and the only writer of `events`, so the last seq is read once and then kept in memory.
   */
  appendEvent(body: ConversationEventBody, at: number): { event: ConversationEvent; json: string } {
    const seq = this.storedSeq() + 1;
    const data = JSON.stringify(body);
    this.sql.exec('INSERT INTO events (seq, type, data, created_at) VALUES (?, ?, ?, ?)', seq, body.type, data, at);
    // Advanced only once the row is written: a failed insert leaves no gap.
    this.seq = seq;
    // The same text JSON.stringify({ ...body, seq, at }) gives: the body's keys, then seq and at (bodies have neither).
    return { event: { ...body, seq, at }, json: `${data.slice(0, -1)},"seq":${seq},"at":${at}}` };
  }

  eventsAfter(seq: number): ConversationEvent[] {
    return this.sql
      .exec<{ seq: number; data: string; created_at: number }>(
        'SELECT seq, data, created_at FROM events WHERE seq > ? ORDER BY seq',
        seq,
      )
      .toArray()
      .map((row) => ({ ...(JSON.parse(row.data) as ConversationEventBody), seq: row.seq, at: row.created_at }));
  }

  lastSeq(): number {
    this.beforeRead?.();
    return this.storedSeq();
  }

  private storedSeq(): number {
    this.seq ??= this.sql.exec<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').one().seq;
    return this.seq;
  }

  private loaded(): MessageCache | null {
    if (this.cache === undefined) {
      this.cache =
        MessageCache.load(
          this.sql.exec<MessageRow>('SELECT * FROM messages ORDER BY position'),
          this.sql.exec<{ id: string; status: TurnStatus; rowid: number; instruction: string | null }>(
            'SELECT rowid, id, status, instruction FROM turns',
          ),
        ) ?? null;
    }
    return this.cache;
  }

  /** Keeps the cache in step with a written row, or gives it up once the conversation is too large for it. */
  private cached(row: MessageRow): ConversationMessage {
    if (!this.cache) return toMessage(row);
    const message = this.cache.upsert(row);
    if (this.cache.tooLarge) this.cache = null;
    return message;
  }

  insertMessage(input: {
    id: string;
    role: MessageRole;
    content: string;
    status: MessageStatus;
    turnId: string;
    clientMessageId: string | null;
    createdSeq: number;
    providerId?: string | null;
    model?: string | null;
    metadata?: JsonObject;
    createdAt: number;
  }): ConversationMessage {
    // One statement: the position is the next one, and the stored row comes back as it is read everywhere else.
    const row = this.sql
      .exec<MessageRow>(
        `INSERT INTO messages (id, position, role, content, status, turn_id, client_message_id, created_seq, provider_id, model, metadata, created_at)
         VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM messages), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        input.id,
        input.role,
        input.content,
        input.status,
        input.turnId,
        input.clientMessageId,
        input.createdSeq,
        input.providerId ?? null,
        input.model ?? null,
        JSON.stringify(input.metadata ?? {}),
        input.createdAt,
      )
      .one();
    return this.cached(row);
  }

  finishMessage(
    id: string,
    result: {
      content: string;
      status: MessageStatus;
      error: MessageError | null;
      usage: { inputTokens: number; outputTokens: number } | null;
      finishReason: FinishReason | null;
      metadata: JsonObject;
      completedAt: number;
    },
  ): ConversationMessage {
    const row = this.sql
      .exec<MessageRow>(
        `UPDATE messages SET content = ?, status = ?, error = ?, input_tokens = ?, output_tokens = ?, finish_reason = ?,
         metadata = ?, completed_at = ? WHERE id = ? RETURNING *`,
        result.content,
        result.status,
        result.error ? JSON.stringify(result.error) : null,
        result.usage?.inputTokens ?? null,
        result.usage?.outputTokens ?? null,
        result.finishReason,
        JSON.stringify(result.metadata),
        result.completedAt,
        id,
      )
      .toArray()[0];
    return (row && this.cached(row)) as ConversationMessage;
  }

  setMetadata(id: string, metadata: JsonObject): void {
    const json = JSON.stringify(metadata);
    this.sql.exec('UPDATE messages SET metadata = ? WHERE id = ?', json, id);
    // A copy, as a read would parse it: the caller may go on changing its object.
    this.cache?.setMetadata(id, JSON.parse(json) as JsonObject, json);
  }

  message(id: string): ConversationMessage | undefined {
    const cache = this.loaded();
    if (cache) return cache.message(id);
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages WHERE id = ?', id).toArray()[0];
    return row ? toMessage(row) : undefined;
  }

  messageByClientId(clientMessageId: string): (ConversationMessage & { createdSeq: number }) | undefined {
    const cache = this.loaded();
    if (cache) return cache.messageByClientId(clientMessageId);
    const row = this.sql
      .exec<MessageRow>('SELECT * FROM messages WHERE client_message_id = ?', clientMessageId)
      .toArray()[0];
    return row ? { ...toMessage(row), createdSeq: row.created_seq } : undefined;
  }

  /** Messages in position order after `afterPosition`; SQLite reads LIMIT -1 as no limit. */
  messages(afterPosition = 0, limit = -1): ConversationMessage[] {
    return this.sql
      .exec<MessageRow>('SELECT * FROM messages WHERE position > ? ORDER BY position LIMIT ?', afterPosition, limit)
      .toArray()
      .map(toMessage);
  }

  /** The position of the latest message (0 before the first); positions count up from 1 without gaps. */
  lastPosition(): number {
    return this.sql.exec<{ at: number }>('SELECT COALESCE(MAX(position), 0) AS at FROM messages').one().at;
  }

  /**
   * What the model sees when answering `turnId`: finished turns and this turn's messages, in the order turns were
   * accepted, each turn's user messages before its reply. Messages already queued for later turns are left out.
   */
  historyFor(turnId: string): ConversationMessage[] {
    const cache = this.loaded();
    if (cache) return cache.historyFor(turnId);
    return this.sql
      .exec<MessageRow>(
        `SELECT m.* FROM messages m JOIN turns t ON t.id = m.turn_id
         WHERE t.status = 'done' OR m.turn_id = ?
         ORDER BY t.rowid, m.role = 'assistant', m.position`,
        turnId,
      )
      .toArray()
      .map(toMessage);
  }

  /** Text streamed so far for a message, rebuilt from its delta events (used after an interruption). */
  streamedText(messageId: string): string {
    this.beforeRead?.();
    return this.sql
      .exec<{ text: string }>(
        "SELECT json_extract(data, '$.text') AS text FROM events WHERE type = 'delta' AND json_extract(data, '$.messageId') = ? ORDER BY seq",
        messageId,
      )
      .toArray()
      .map((row) => row.text)
      .join('');
  }

  createTurn(id: string, now: number, options: { instruction?: string; status?: TurnStatus } = {}): void {
    const status = options.status ?? 'pending';
    this.sql.exec(
      'INSERT INTO turns (id, status, created_at, instruction) VALUES (?, ?, ?, ?)',
      id,
      status,
      now,
      options.instruction ?? null,
    );
    this.cache?.addTurn(id, status, options.instruction ?? null);
  }

  turnInstruction(id: string): string | null {
    const known = this.loaded()?.turn(id);
    if (known) return known.instruction;
    return (
      this.sql.exec<{ instruction: string | null }>('SELECT instruction FROM turns WHERE id = ?', id).toArray()[0]
        ?.instruction ?? null
    );
  }

  pendingTurn(): TurnRow | undefined {
    return this.sql
      .exec<TurnRow>(
        "SELECT id, status, reply_message_id, created_at FROM turns WHERE status = 'pending' ORDER BY created_at, rowid LIMIT 1",
      )
      .toArray()[0];
  }

  runningTurns(): TurnRow[] {
    return this.sql
      .exec<TurnRow>("SELECT id, status, reply_message_id, created_at FROM turns WHERE status = 'running'")
      .toArray();
  }

  startTurn(id: string, replyMessageId: string, now: number): void {
    this.sql.exec(
      "UPDATE turns SET status = 'running', reply_message_id = ?, started_at = ? WHERE id = ?",
      replyMessageId,
      now,
      id,
    );
    this.cache?.setTurnStatus(id, 'running');
  }

  finishTurn(id: string, now: number): void {
    this.sql.exec("UPDATE turns SET status = 'done', finished_at = ? WHERE id = ?", now, id);
    this.cache?.setTurnStatus(id, 'done');
  }

  /** A running turn cut off by an eviction, queued again to resume: it keeps its reply id (turns.ts). */
  requeueTurn(id: string): void {
    this.sql.exec("UPDATE turns SET status = 'pending' WHERE id = ?", id);
    this.cache?.setTurnStatus(id, 'pending');
  }

  /** A finished turn queued again (a re-sent message whose reply failed): its new reply is stored beside the old. */
  reopenTurn(id: string): void {
    this.sql.exec(
      "UPDATE turns SET status = 'pending', reply_message_id = NULL, started_at = NULL, finished_at = NULL WHERE id = ?",
      id,
    );
    this.cache?.setTurnStatus(id, 'pending');
  }

  /** A turn's replies still streaming (closed with an error when the turn is cut off). */
  streamingReplies(turnId: string): ConversationMessage[] {
    return this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE turn_id = ? AND role = 'assistant' AND status = 'streaming' ORDER BY position",
        turnId,
      )
      .toArray()
      .map(toMessage);
  }

  /** Every reply of a turn, oldest first (a pipeline may answer with several). */
  turnReplies(turnId: string): ConversationMessage[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE turn_id = ? AND role = 'assistant' ORDER BY position", turnId)
      .toArray()
      .map(toMessage);
  }

  /** The newest reply of a turn (a retried turn has more than one). */
  latestReply(turnId: string): ConversationMessage | undefined {
    const row = this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE turn_id = ? AND role = 'assistant' ORDER BY position DESC LIMIT 1",
        turnId,
      )
      .toArray()[0];
    return row ? toMessage(row) : undefined;
  }

  turnStatus(id: string): TurnStatus | undefined {
    const known = this.loaded()?.turn(id);
    if (known) return known.status;
    return this.sql.exec<{ status: TurnStatus }>('SELECT status FROM turns WHERE id = ?', id).toArray()[0]?.status;
  }

  /** User messages a turn answers, oldest first. */
  turnUserMessages(turnId: string): ConversationMessage[] {
    const cache = this.loaded();
    if (cache) return cache.turnMessages(turnId, 'user');
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE turn_id = ? AND role = 'user' ORDER BY position", turnId)
      .toArray()
      .map(toMessage);
  }

  private outbox(): OutboxMirror {
    this.outboxRows ??= OutboxMirror.load(
      this.sql.exec<{ id: string; due_at: number; attempts: number }>(
        'SELECT message_id AS id, due_at, attempts FROM outbox',
      ),
    );
    return this.outboxRows;
  }

  enqueueOutbox(messageId: string, now: number): void {
    this.sql.exec(
      'INSERT INTO outbox (message_id, due_at) VALUES (?, ?) ON CONFLICT (message_id) DO UPDATE SET due_at = excluded.due_at',
      messageId,
      now,
    );
    this.outboxRows?.set(messageId, now);
  }

  dueOutbox(now: number, limit: number): { message_id: string; attempts: number }[] {
    return this.outbox()
      .due(now, limit)
      .map((row) => ({ message_id: row.id, attempts: row.attempts }));
  }

  nextOutboxDue(): number | undefined {
    return this.outbox().next();
  }

  removeOutbox(messageIds: readonly string[]): void {
    // One statement for the usual few ids; at most 100 bound parameters per statement (DO limits).
    for (let i = 0; i < messageIds.length; i += 100) {
      const ids = messageIds.slice(i, i + 100);
      this.sql.exec(`DELETE FROM outbox WHERE message_id IN (${ids.map(() => '?').join(', ')})`, ...ids);
    }
    this.outboxRows?.remove(messageIds);
  }

  postponeOutbox(messageIds: readonly string[], dueAt: number): void {
    for (const id of messageIds) {
      this.sql.exec('UPDATE outbox SET attempts = attempts + 1, due_at = ? WHERE message_id = ?', dueAt, id);
    }
    this.outboxRows?.postpone(messageIds, dueAt);
  }
}
