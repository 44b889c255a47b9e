/**
 * API shapes the pipeline editor reads that no worker schema exports yet. Each names its endpoint so the integrator
 * can swap it for a `z.infer` type import from the route's schema once it lands. Type-only imports from worker/.
 */
import type { PipelineDefinition, PipelineEdge, PipelineNode } from '../../../../worker/pipelines/definition.ts';
import type { PipelineEvent, TraceEntry } from '../../../../worker/pipelines/run-record.ts';
import type { JsonSchema } from '../../lib/types';

export type { PipelineDefinition, PipelineEdge, PipelineEvent, PipelineNode, TraceEntry };

/** `GET /api/v1/pipelines/node-types` → `{ data: NodeTypeInfo[] }` (worker/pipelines/node-types.ts describeNodeKind). */
export interface NodeTypeInfo {
  id: string;
  displayName: string;
  description: string;
  inputs: string;
  output: string;
  acceptsInput: boolean;
  /** A router: its output ports are named by its settings. */
  routes: boolean;
  /** Whether the node can stream its reply token by token. */
  streams?: boolean;
  /** The node plugin that provides the kind. */
  plugin?: string;
  settingsSchema: JsonSchema;
  /** Settings that pass the kind's validation, for a new node; null when the kind has none. */
  defaults?: Record<string, unknown> | null;
}

/** One problem of a 400 `invalid_definition` from `PATCH /api/v1/chatbots/{id}` (worker/pipelines/validate.ts). */
export interface DefinitionIssue {
  field?: string;
  path?: string;
  code?: string;
  message: string;
}

/** `GET /api/v1/chatbots/{id}/versions/diff?from=N&to=M` (0 = the draft). */
export interface VersionDiff {
  nodes: {
    added: string[] | { id: string }[];
    removed: string[] | { id: string }[];
    changed: { id: string; settings?: SettingChange[]; changes?: SettingChange[] }[];
    /** Nodes whose canvas position (`ui`) differs; never in `changed` for that alone. */
    moved?: string[] | { id: string }[];
  };
  edges: { added: PipelineEdge[]; removed: PipelineEdge[] };
}

export interface SettingChange {
  /** A dotted path inside the node (`settings.model`, `label`). */
  path: string;
  before?: unknown;
  after?: unknown;
  /** The server's names for `before` / `after` (worker/chatbots/version-diff.ts). */
  from?: unknown;
  to?: unknown;
}

/** `GET /api/v1/conversations/{id}/messages/{messageId}/trace`. */
export interface MessageTrace {
  runId?: string;
  status?: string;
  trace?: TraceEntry[];
  data?: TraceEntry[];
  error?: { nodeId: string | null; code: string; message: string } | null;
}

/** `GET /api/v1/conversations/{id}/session-state` and `GET /api/v1/participants/{id}/data/{chatbotId}`. */
export interface KeyValues {
  data?: Record<string, unknown>;
  state?: Record<string, unknown>;
}

/** `GET /api/v1/chatbot-templates` → `{ data: ChatbotTemplate[] }`. */
export interface ChatbotTemplate {
  id: string;
  name: string;
  description: string;
  definition: PipelineDefinition;
}
