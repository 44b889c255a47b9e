/**
 * Runs one node kind outside the engine, for plugin tests and the node contract: a context whose effects are
 * recorded instead of applied, and fake services (a scripted model, an in-memory history, an email sink, a fetch
 * that refuses unless given). The engine's own semantics (barriers, retries, timeouts) are tested in worker/pipelines.
 */
import type { ChatMessage, JsonValue } from '../index.ts';
import type { NodeContext, NodeInput, NodeKind, StateScope } from '../node/kind.ts';
import { DEFAULT_PORT, NodeError } from '../node/kind.ts';
import type { CodeSandbox } from '../node/sandbox.ts';
import type {
  EmailMessage,
  HistorySummary,
  KnowledgeCollectionInfo,
  KnowledgeSearchRequest,
  NodeChatRequest,
  NodeChatResult,
  NodeConversation,
  NodeServices,
  NodeToolRequest,
  NodeToolResult,
  RetrievedChunk,
} from '../node/services.ts';
import { fakeClock } from './fakes.ts';

export interface FakeNodeServices extends NodeServices {
  /** Every model request, in order. */
  readonly chats: NodeChatRequest[];
  readonly emails: EmailMessage[];
  /** Every knowledge search, in order. */
  readonly searches: KnowledgeSearchRequest[];
  /** Named histories as stored (appends included). */
  readonly histories: Map<string, ChatMessage[]>;
  readonly summaries: Map<string, HistorySummary>;
  /** Every direct tool call, in order. */
  readonly toolRequests: NodeToolRequest[];
}

export interface FakeServiceOptions {
  /** Answers each model request; the default echoes the last user message (and `{}` for structured output). */
  llm?(request: NodeChatRequest, index: number): Partial<NodeChatResult> | Promise<Partial<NodeChatResult>>;
  conversationHistory?: ChatMessage[];
  fetch?: typeof fetch;
  pluginSettings?: Record<string, unknown> | null;
  sandbox?: CodeSandbox;
  conversation?: Partial<NodeConversation>;
  /** The collections the chatbot references and the chunks a search finds (default: none). */
  knowledge?: {
    collections?: KnowledgeCollectionInfo[];
    search?(request: KnowledgeSearchRequest): RetrievedChunk[] | Promise<RetrievedChunk[]>;
  };
  /** Answers each direct tool call; the default refuses with a NodeError. */
  tools?(request: NodeToolRequest): NodeToolResult | Promise<NodeToolResult>;
}

export function fakeNodeServices(options: FakeServiceOptions = {}): FakeNodeServices {
  const chats: NodeChatRequest[] = [];
  const emails: EmailMessage[] = [];
  const histories = new Map<string, ChatMessage[]>();
  const summaries = new Map<string, HistorySummary>();
  const sent = new Map<string, string>();
  const searches: KnowledgeSearchRequest[] = [];
  const toolRequests: NodeToolRequest[] = [];
  return {
    chats,
    searches,
    toolRequests,
    emails,
    histories,
    summaries,
    conversation: {
      teamId: 'team_test',
      chatbotId: 'bot_test',
      conversationId: 'conv_test',
      participantId: 'ptc_test',
      channel: 'api',
      ...options.conversation,
    },
    llm: {
      async chat(request) {
        chats.push(request);
        const last = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
        const answer = (await options.llm?.(request, chats.length - 1)) ?? {};
        const text = answer.text ?? (request.responseSchema ? JSON.stringify(answer.json ?? {}) : last);
        return {
          text,
          usage: { inputTokens: 10, outputTokens: 5 },
          finishReason: 'stop',
          streamed: false,
          metadata: {},
          ...(request.responseSchema && { json: answer.json ?? (JSON.parse(text) as JsonValue) }),
          ...answer,
        };
      },
    },
    history: {
      conversation: async () => [...(options.conversationHistory ?? [])],
      named: async (name) => [...(histories.get(name) ?? [])],
      append: (name, messages) => histories.set(name, [...(histories.get(name) ?? []), ...messages]),
      summary: async (name) => summaries.get(name) ?? null,
      setSummary: (name, summary) => summaries.set(name, summary),
    },
    fetch:
      options.fetch ??
      (async () => {
        throw new NodeError('this test gave the node no fetch');
      }),
    pluginSettings: async () => options.pluginSettings ?? null,
    email: {
      async send(message) {
        const known = sent.get(message.idempotencyKey);
        if (known) return { id: known };
        emails.push(message);
        const id = `email_${emails.length}`;
        sent.set(message.idempotencyKey, id);
        return { id };
      },
    },
    sandbox: options.sandbox ?? {
      run: async () => ({
        ok: false,
        error: { kind: 'runtime', message: 'this test gave the node no sandbox' },
        logs: [],
      }),
    },
    clock: fakeClock(),
    knowledge: {
      collections: async () => [...(options.knowledge?.collections ?? [])],
      async search(request) {
        searches.push(request);
        return (await options.knowledge?.search?.(request)) ?? [];
      },
    },
    tools: {
      async call(request) {
        toolRequests.push(request);
        if (!options.tools) throw new NodeError('this test gave the node no tools');
        return options.tools(request);
      },
    },
  };
}

export interface NodeRunOptions {
  settings: unknown;
  /** The node's input (the last in edge order); defaults to the run input. */
  input?: JsonValue;
  inputs?: NodeInput[];
  runInput?: JsonValue;
  state?: Partial<Record<StateScope, Record<string, JsonValue>>>;
  services?: NodeServices;
  signal?: AbortSignal;
  attempt?: number;
}

export type RecordedWrite =
  | { scope: StateScope; key: string; op: 'set' | 'append'; value: JsonValue }
  | { scope: StateScope; key: string; op: 'increment'; by: number }
  | { scope: StateScope; key: string; op: 'delete' };

export interface NodeRunResult {
  output: JsonValue;
  replies: string[];
  routes: string[];
  tags: { name: string; scope: 'reply' | 'conversation' }[];
  writes: RecordedWrite[];
  /** State after this node's writes (read-your-writes, as the engine gives a node). */
  state: Record<StateScope, Record<string, JsonValue>>;
  ended: string | null;
  aborted: string | null;
  usage: { inputTokens: number; outputTokens: number };
}

class HarnessAbort extends Error {}

/** Runs `kind` once with its settings parsed by the kind's schema (a parse failure throws, as validation would). */
export async function runNodeKind(kind: NodeKind, options: NodeRunOptions): Promise<NodeRunResult> {
  const settings = kind.settings.parse(options.settings);
  const runInput = options.runInput ?? options.input ?? 'hello';
  const inputs = options.inputs ?? [{ from: 'start', port: DEFAULT_PORT, value: options.input ?? runInput }];
  const state: Record<StateScope, Record<string, JsonValue>> = {
    run: { ...options.state?.run },
    session: { ...options.state?.session },
    participant: { ...options.state?.participant },
  };
  const result: NodeRunResult = {
    output: null,
    replies: [],
    routes: [],
    tags: [],
    writes: [],
    state,
    ended: null,
    aborted: null,
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  const ctx: NodeContext<unknown> = {
    runId: 'run_test',
    nodeId: 'node',
    attempt: options.attempt ?? 1,
    settings,
    input: kind.acceptsInput ? (inputs.at(-1)?.value ?? null) : runInput,
    inputs,
    runInput,
    services: options.services ?? fakeNodeServices(),
    signal: options.signal ?? new AbortController().signal,
    state: {
      get: (scope, key) => state[scope][key],
      all: (scope) => state[scope],
      set(scope, key, value) {
        state[scope][key] = value;
        result.writes.push({ scope, key, op: 'set', value });
      },
      append(scope, key, value) {
        const current = state[scope][key];
        state[scope][key] =
          current === undefined ? [value] : Array.isArray(current) ? [...current, value] : [current, value];
        result.writes.push({ scope, key, op: 'append', value });
      },
      increment(scope, key, by) {
        const current = state[scope][key];
        if (current !== undefined && typeof current !== 'number')
          throw new NodeError(`${scope}.${key} is not a number`);
        state[scope][key] = (current ?? 0) + by;
        result.writes.push({ scope, key, op: 'increment', by });
      },
      delete(scope, key) {
        delete state[scope][key];
        result.writes.push({ scope, key, op: 'delete' });
      },
    },
    reply: (text) => void result.replies.push(text),
    route: (port) => void result.routes.push(port),
    tag: (name, scope = 'reply') => void result.tags.push({ name, scope }),
    endConversation: (reason = '') => {
      result.ended = reason;
    },
    abort: (message) => {
      result.aborted = message;
      throw new HarnessAbort(message);
    },
    usage: (tokens) => {
      result.usage.inputTokens += tokens.inputTokens;
      result.usage.outputTokens += tokens.outputTokens;
    },
  };
  try {
    result.output = (await kind.run(ctx)) ?? null;
  } catch (error) {
    if (!(error instanceof HarnessAbort)) throw error;
  }
  return result;
}
