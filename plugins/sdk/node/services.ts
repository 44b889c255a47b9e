import type { Citation } from '../citation.ts';
import type { Clock } from '../clock.ts';
import type { JsonObject, JsonValue } from '../json.ts';
import type { ChatMessage, FinishReason } from '../provider.ts';
import type { HostTool } from '../tool.ts';
import type { CodeSandbox } from './sandbox.ts';
import type { NodeStateApi } from './state.ts';
import type { ToolApproval } from './tool-approval.ts';

/**
 * Everything a node reaches beyond its inputs and state. The host (worker/pipelines, in the conversation's Durable
 * Object) implements these on the team's credentials and limits; plugins/sdk/testing/node-services.ts gives fakes.
 * A service a host cannot offer throws a NodeError naming it.
 */
export interface NodeServices {
  readonly conversation: NodeConversation;
  readonly llm: NodeLlm;
  readonly history: NodeHistory;
  /**
   * Outbound HTTP on the team's behalf. In production, private, loopback and link-local addresses are refused and
   * every redirect is re-checked; responses are size-bounded by the caller.
   */
  readonly fetch: typeof fetch;
  /** The team's configuration of this node kind's plugin (secrets decrypted), or null when it has none. */
  pluginSettings(): Promise<Record<string, unknown> | null>;
  readonly email: NodeEmail;
  readonly sandbox: CodeSandbox;
  readonly clock: Clock;
  /** Search of the team's knowledge collections the chatbot references (pinned revisions when published). */
  readonly knowledge: NodeKnowledge;
  /** Calls one of the team's tools directly (the Tool node), through the same toolbox an LLM node's model uses. */
  readonly tools: NodeTools;
}

/** One direct tool call: a tool id as an LLM node's `tools` names it, and the function's arguments. */
export interface NodeToolRequest {
  /** `builtin:calculator`, `mcp:<server>/<tool>`, `action:<id>/<operation>`, a tool plugin's id (`clock`)… */
  tool: string;
  /** The function to call; may be left out when the tool gives exactly one. */
  function?: string;
  arguments: JsonObject;
  /** The calling node's state and end-of-conversation hook, for built-in tools that touch them (as NodeChatRequest). */
  turnHooks?: { state: NodeStateApi; endConversation(reason?: string): void };
  /** The node's `ctx.signal`. */
  signal?: AbortSignal;
}

export interface NodeToolResult {
  /** The function that ran. */
  function: string;
  /** False when the tool ran and answered an error (bad arguments, the tool's own failure, a timeout). */
  ok: boolean;
  /** The tool's result (an `{ error }` object when not ok), size-capped as results given to a model are. */
  result: JsonValue;
  /** The result as JSON text, as the trace keeps tool outputs. */
  output: string;
}

export interface NodeTools {
  /**
   * Runs one function. Throws a NodeError (not retryable) when the tool does not resolve for this team (unknown id,
   * settings not configured, several functions and none named); a failure of the call itself is `ok: false`.
   */
  call(request: NodeToolRequest): Promise<NodeToolResult>;
}

/** Who and where the run is. */
export interface NodeConversation {
  teamId: string;
  chatbotId: string;
  conversationId: string;
  /** The team's participant id (null for conversations without one, e.g. some API calls). */
  participantId: string | null;
  /** `widget`, `api`, `dashboard`, or the channel plugin id (`telegram`, …). */
  channel: string;
}

export interface NodeChatRequest {
  /** Provider plugin id and the team credential to use (null: a provider that needs none), as in the v1 llm node. */
  providerId: string;
  credentialId: string | null;
  model: string;
  /** Validated by the host against the provider's parameter schema for `model`. */
  parameters: Record<string, unknown>;
  /**
   * The system prompt. The host fills in the v1 prompt variables (`{{participant.name}}`, `{{page.url}}`,
   * `{{date}}`, …: worker/conversation/prompt-variables.ts) so a v1 chatbot's prompt behaves exactly as before.
   */
  system?: string;
  messages: ChatMessage[];
  /** Tool plugin ids offered to the model; the host runs the tool-calling loop. */
  tools?: readonly string[];
  /**
   * Tools the node builds for this call (e.g. the LLM node's `search_knowledge` over the chatbot's collections); the
   * host runs them in the same tool loop as the plugin tools.
   */
  hostTools?: readonly HostTool[];
  /**
   * The calling node's state and end-of-conversation hook, for built-in tools that touch them
   * (`builtin:session_state`, `builtin:end_conversation`): their writes are the node's, applied at its barrier.
   */
  turnHooks?: { state: NodeStateApi; endConversation(reason?: string): void };
  /** The knowledge chunks this call was given in its prompt: the reply's citations when it cites none by number. */
  sources?: readonly RetrievedChunk[];
  /** Rounds of tool calls allowed (1–10). */
  maxToolSteps?: number;
  /** Calls that need a person's approval first; the host pauses the tool loop for them (docs/tools.md#approval). */
  approval?: ToolApproval;
  firstTokenTimeoutMs?: number;
  /** Structured output: the answer must be JSON valid against `schema`; the result then carries `json`. */
  responseSchema?: { name: string; schema: JsonObject };
  /**
   * Ask for the text to stream to the user. The host streams only when this node's output is certain to be the
   * reply; otherwise it buffers and the text is sent, if at all, when a reply is made of it.
   */
  stream?: boolean;
  /** The node's `ctx.signal`: the host stops the call when the node times out or the run is cancelled. */
  signal?: AbortSignal;
}

export interface NodeChatResult {
  text: string;
  /** The parsed, schema-valid answer of a `responseSchema` request. */
  json?: JsonValue;
  usage: { inputTokens: number; outputTokens: number } | null;
  finishReason: FinishReason;
  /** True when `text` already reached the user as a streamed message: replying with it sends nothing new. */
  streamed: boolean;
  /** Provider metadata and the tool-call log, for the trace. */
  metadata: JsonObject;
}

export interface NodeLlm {
  /** One model call with its tool loop. Throws NodeError (retryable on 429, 5xx and timeouts) when it fails. */
  chat(request: NodeChatRequest): Promise<NodeChatResult>;
}

/** A stored summary of a history's oldest messages. */
export interface HistorySummary {
  text: string;
  /** How many of the history's oldest messages it stands for. */
  through: number;
}

/** The conversation's messages and the named histories nodes keep (stored in the conversation's object). */
export interface NodeHistory {
  /** The conversation so far, oldest first, ending with this turn's user message(s); images attached as stored. */
  conversation(): Promise<ChatMessage[]>;
  /** A named history: a node's own (named after its id) or one several nodes share. */
  named(name: string): Promise<ChatMessage[]>;
  /** Adds to a named history; kept only if the run succeeds. */
  append(name: string, messages: readonly ChatMessage[]): void;
  summary(name: string): Promise<HistorySummary | null>;
  /** Kept only if the run succeeds. */
  setSummary(name: string, summary: HistorySummary): void;
}

export interface EmailMessage {
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** `runId:nodeId:attempt`-style key: sending twice with one key sends once. */
  idempotencyKey: string;
}

export interface NodeEmail {
  /** Sends through the team's configured email sender (a local sink in development and tests). */
  send(message: EmailMessage): Promise<{ id: string }>;
}

/** A collection a node may search, as the chatbot version knows it (its summary lets a model choose among several). */
export interface KnowledgeCollectionInfo {
  collectionId: string;
  name: string;
  /** The admin's description of what the collection holds. */
  summary: string;
}

export interface KnowledgeSearchRequest {
  collectionIds: readonly string[];
  query: string;
  topK: number;
  mode: 'hybrid' | 'dense' | 'keyword';
  /** `pinned`: the revision frozen into the published version (drafts: latest); `latest`: the current one. */
  revision: 'pinned' | 'latest';
  documentIds?: readonly string[];
  signal?: AbortSignal;
}

/** One retrieved chunk, numbered for citation. */
export interface RetrievedChunk {
  /** The run-wide citation number: the same chunk retrieved twice in a run keeps its number. */
  n: number;
  collectionId: string;
  documentId: string;
  documentTitle: string;
  chunkKey: string;
  ordinal: number;
  text: string;
  /** The heading path the chunk sits under. */
  context: string;
  page?: number;
  /** Fused (or single-ranking) score, best first. */
  score: number;
}

export interface NodeKnowledge {
  /** The collections the chatbot references (for a model to choose among by their summaries). */
  collections(): Promise<KnowledgeCollectionInfo[]>;
  /**
   * Searches the named collections (each must be one the chatbot references: others fail the node) and merges the
   * hits by score. Every returned chunk is remembered by the run as a possible citation of its replies.
   */
  search(request: KnowledgeSearchRequest): Promise<RetrievedChunk[]>;
}

export type { Citation };
