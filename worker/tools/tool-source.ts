import type { HostTool, JsonObject, JsonValue } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';

/** What a host-built tool may close over: one turn's team, chatbot (and version), conversation and participant. */
export interface HostTurnContext {
  env: Env;
  teamId: string;
  chatbotId: string;
  /** The published version the conversation runs (null for a draft test run): frozen specs are read from it. */
  chatbotVersionId?: string | null;
  conversationId: string;
  participantId: string | null;
  clock: Clock;
  /** The conversation's session state as the calling node sees it (a pipeline run); absent elsewhere. */
  session?: SessionStateAccess;
  /** Ends the conversation after the current reply (a pipeline run); absent elsewhere. */
  endConversation?: (reason?: string) => void;
}

/** Session state through the calling node: reads see its own writes; writes apply at its barrier and persist. */
export interface SessionStateAccess {
  all(): Readonly<JsonObject>;
  set(key: string, value: JsonValue): void;
  append(key: string, value: JsonValue): void;
  increment(key: string, by: number): void;
}

/** A file a first-party tool stored under the conversation's R2 prefix (conversationFileKey), in an attachment's shape. */
export interface ReplyFile {
  fileId: string;
  name: string;
  mimeType: string;
  size: number;
}

/** A run's output for the model plus the files the reply attaches: the side channel only host code can fill. */
export interface ToolRunResult {
  output: JsonValue;
  files?: ReplyFile[];
}

/**
 * A host-built tool of one turn. `runWithFiles` (instead of `run`) is how a first-party tool that stores files
 * (a custom action's file download) attaches them to the reply: nothing in a tool's output does, so an MCP server,
 * a plugin or an API echoing `{"file": {"fileId": …}}` attaches nothing (issue 18 §1).
 */
export interface TurnTool extends HostTool {
  runWithFiles?(args: JsonObject, signal: AbortSignal): Promise<ToolRunResult>;
}

/** One function a tool offers the model, as the catalog and the LLM node's picker show it. */
export interface ToolFunctionInfo {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: JsonObject;
  /** The id naming this function alone in `tools` (`mcp:<server>/<tool>`); absent when only the whole entry can be named. */
  id?: string;
}

/** A tool a chatbot can name in an LLM node's `tools`: a plugin, a built-in set, a custom action, an MCP server… */
export interface ToolCatalogEntry {
  /** What goes in `tools`: a tool plugin's id, or `<prefix><name>` for a tool source's tools. */
  id: string;
  kind: 'plugin' | 'builtin' | 'custom_action' | 'mcp';
  title: string;
  description: string;
  functions: ToolFunctionInfo[];
  /** Why the team cannot use it yet (settings not configured, tools never listed); absent when it is ready. */
  needsConfiguration?: string;
}

/**
 * Tools the host builds rather than a plugin, owning every id that starts with `prefix` (`builtin:`, `action:`,
 * `mcp:`). Adding a kind of tool is one source in ./sources.ts: the definition checks, the catalog and the turn's
 * toolbox all go through it.
 */
export interface ToolSource {
  readonly prefix: string;
  readonly kind: ToolCatalogEntry['kind'];
  /** For each of these ids (all with this prefix) that is not one of the team's tools: why, by id. */
  unknownIds(db: Database, teamId: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** The team's tools from this source, for `GET /api/v1/tools` and the tool picker. */
  list(db: Database, teamId: string): Promise<ToolCatalogEntry[]>;
  /** The functions these ids give one turn; throws (a configuration error) for an id that does not resolve. */
  tools(turn: HostTurnContext, ids: readonly string[]): Promise<TurnTool[]>;
}
