import type { ChatMessage, HistorySummary, JsonValue } from '../../plugins/sdk/index.ts';
import type { NodeRecord, RunCheckpoint, RunError } from '../pipelines/run-record.ts';
import type { ScopeState } from '../pipelines/run-state.ts';

/**
 * The pipeline rows of one conversation object (storage-schema.ts migration 4): each run's checkpoint (which is its
 * trace once the run is over), the session state, and the named histories nodes keep.
 */

// Bounded copies only: a DO row holds at most 2 MB (the checkpoint's trace is already bounded per node).
const MAX_NODE_RECORD_CHARS = 450_000;
// Three bound parameters per node row, and a statement takes at most 100 (DO limits).
const NODE_ROWS_PER_STATEMENT = 33;

/** What one node attempt, or one applied node, adds to named histories and summaries (pipeline-history.ts). */
export interface HistoryWrites {
  nodeId: string;
  appends: [name: string, messages: ChatMessage[]][];
  summaries: [name: string, summary: HistorySummary][];
}

export interface StoredRun {
  id: string;
  turnId: string;
  status: string;
  checkpoint: RunCheckpoint;
  replyIds: string[];
  error: RunError | null;
}

interface RunRow extends Record<string, SqlStorageValue> {
  id: string;
  turn_id: string;
  status: string;
  checkpoint: string;
  reply_ids: string;
  error: string | null;
}

export class PipelineStore {
  constructor(private readonly sql: SqlStorage) {}

  sessionState(): ScopeState {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'session_state'").toArray()[0];
    return row ? (JSON.parse(row.value) as ScopeState) : {};
  }

  setSessionState(state: ScopeState): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('session_state', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      JSON.stringify(state),
    );
  }

  /**
   * Writes the run's checkpoint: the run row without node outputs, and each node's record in its own row. A node's
   * record never changes once set (every node runs at most once per run), so `savedNodes`, kept by the caller for one
   * run, skips the rows an earlier checkpoint of the run already wrote and gets the ones written now.
   */
  saveRun(
    turnId: string,
    checkpoint: RunCheckpoint,
    replyIds: readonly string[],
    now: number,
    savedNodes?: Set<string>,
  ): void {
    const { nodes, ...rest } = checkpoint;
    this.sql.exec(
      `INSERT INTO pipeline_runs (id, turn_id, status, checkpoint, reply_ids, error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, checkpoint = excluded.checkpoint,
         reply_ids = excluded.reply_ids, error = excluded.error, updated_at = excluded.updated_at`,
      checkpoint.runId,
      turnId,
      checkpoint.status,
      JSON.stringify({ ...rest, nodes: {} }),
      JSON.stringify(replyIds),
      checkpoint.error ? JSON.stringify(checkpoint.error) : null,
      now,
      now,
    );
    const rows: SqlStorageValue[] = [];
    for (const [nodeId, record] of Object.entries(nodes)) {
      if (savedNodes?.has(nodeId)) continue;
      savedNodes?.add(nodeId);
      let json = JSON.stringify(record);
      if (json.length > MAX_NODE_RECORD_CHARS) {
        const output = { truncated: true, preview: json.slice(0, 2_000) } satisfies JsonValue;
        json = JSON.stringify({ ...record, output });
      }
      rows.push(checkpoint.runId, nodeId, json);
    }
    // Several rows per statement (one per node cost a statement each): at most 100 bound parameters per statement
    // and 100 KB of SQL text (DO limits; the values are bound, so the text stays short).
    for (let i = 0; i < rows.length; i += NODE_ROWS_PER_STATEMENT * 3) {
      const values = rows.slice(i, i + NODE_ROWS_PER_STATEMENT * 3);
      this.sql.exec(
        `INSERT INTO pipeline_run_nodes (run_id, node_id, record) VALUES ${Array(values.length / 3)
          .fill('(?, ?, ?)')
          .join(', ')} ON CONFLICT (run_id, node_id) DO UPDATE SET record = excluded.record`,
        ...values,
      );
    }
  }

  /** Marks a run over without a checkpoint of its end (an interrupted run closed on wake). */
  closeRun(
    runId: string,
    status: string,
    error: { nodeId: string | null; code: string; message: string },
    now: number,
    replyIds?: readonly string[],
  ): void {
    this.sql.exec(
      'UPDATE pipeline_runs SET status = ?, error = ?, updated_at = ?, reply_ids = COALESCE(?, reply_ids) WHERE id = ?',
      status,
      JSON.stringify(error),
      now,
      replyIds ? JSON.stringify(replyIds) : null,
      runId,
    );
  }

  run(runId: string): StoredRun | undefined {
    const row = this.sql.exec<RunRow>('SELECT * FROM pipeline_runs WHERE id = ?', runId).toArray()[0];
    return row && this.toRun(row);
  }

  /** The run of a turn still marked running (one cut off by an eviction), if any. */
  runningRunOf(turnId: string): StoredRun | undefined {
    const row = this.sql
      .exec<RunRow>("SELECT * FROM pipeline_runs WHERE turn_id = ? AND status = 'running'", turnId)
      .toArray()[0];
    return row && this.toRun(row);
  }

  /**
   * The history writes a running run has applied so far: kept beside its checkpoint (a meta row, only for runs whose
   * nodes keep named histories) so a run resumed after an eviction still commits them, and removed when it ends.
   */
  saveRunHistories(runId: string, writes: readonly HistoryWrites[]): void {
    this.sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      `run_histories:${runId}`,
      JSON.stringify(writes),
    );
  }

  runHistories(runId: string): HistoryWrites[] {
    const row = this.sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', `run_histories:${runId}`)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as HistoryWrites[]) : [];
  }

  dropRunHistories(runId: string): void {
    this.sql.exec('DELETE FROM meta WHERE key = ?', `run_histories:${runId}`);
  }

  runningRuns(): StoredRun[] {
    return this.sql
      .exec<RunRow>("SELECT * FROM pipeline_runs WHERE status = 'running'")
      .toArray()
      .map((row) => this.toRun(row));
  }

  /** The run that sent a message (a re-sent turn has several runs; each knows its own replies). */
  runOfMessage(turnId: string, messageId: string): StoredRun | undefined {
    return this.sql
      .exec<RunRow>('SELECT * FROM pipeline_runs WHERE turn_id = ? ORDER BY created_at DESC', turnId)
      .toArray()
      .map((row) => this.toRun(row))
      .find((run) => run.replyIds.includes(messageId));
  }

  private toRun(row: RunRow): StoredRun {
    const checkpoint = JSON.parse(row.checkpoint) as RunCheckpoint;
    for (const node of this.sql.exec<{ node_id: string; record: string }>(
      'SELECT node_id, record FROM pipeline_run_nodes WHERE run_id = ?',
      row.id,
    ))
      checkpoint.nodes[node.node_id] = JSON.parse(node.record) as NodeRecord;
    return {
      id: row.id,
      turnId: row.turn_id,
      status: row.status,
      checkpoint,
      replyIds: JSON.parse(row.reply_ids) as string[],
      error: row.error ? (JSON.parse(row.error) as RunError) : null,
    };
  }

  history(name: string): ChatMessage[] {
    return this.sql
      .exec<{ role: string; content: string }>(
        'SELECT role, content FROM histories WHERE name = ? ORDER BY position',
        name,
      )
      .toArray()
      .map((row) => ({ role: row.role as ChatMessage['role'], content: row.content }) as ChatMessage);
  }

  appendHistory(name: string, messages: readonly ChatMessage[]): void {
    const next = this.sql
      .exec<{ next: number }>('SELECT COALESCE(MAX(position), 0) + 1 AS next FROM histories WHERE name = ?', name)
      .one().next;
    for (const [i, message] of messages.entries()) {
      this.sql.exec(
        'INSERT INTO histories (name, position, role, content) VALUES (?, ?, ?, ?)',
        name,
        next + i,
        message.role,
        message.content,
      );
    }
  }

  summary(name: string): HistorySummary | null {
    const row = this.sql
      .exec<{ text: string; through: number }>('SELECT text, through FROM history_summaries WHERE name = ?', name)
      .toArray()[0];
    return row ? { text: row.text, through: row.through } : null;
  }

  setSummary(name: string, summary: HistorySummary): void {
    this.sql.exec(
      'INSERT INTO history_summaries (name, text, through) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET text = excluded.text, through = excluded.through',
      name,
      summary.text,
      summary.through,
    );
  }
}
