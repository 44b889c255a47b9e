import { z } from 'zod';
import { type ChatbotDefinition, chatbotDefinition, chatbotSettings } from '../chatbots/definition.ts';
import { eventsSection } from '../events/schemas.ts';

/**
 * The pipeline definition (schemaVersion 2): any directed acyclic graph of nodes whose settings each node kind
 * validates. Version 1 definitions (start → llm → end) stay valid and convert losslessly with `fromV1`.
 * Graph rules (one start, reachability, no cycles, wired ports) live in validate.ts so their errors can name nodes.
 */

// Same id rule as version 1 so a converted definition keeps its ids.
export const pipelineNodeId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lowercase id, at most 40 characters');

/** OCS's default is 3 attempts from 1 s (apps/service_providers/llm_service/retry.py); pure nodes need only one. */
export const retryPolicy = z.strictObject({
  attempts: z.number().int().min(1).max(5),
  /** Wait before the 2nd attempt; it doubles for each later one, capped at 60 s (OCS's and LangGraph's cap order). */
  backoffMs: z.number().int().min(0).max(60_000),
});

/**
 * Where the editor draws a node (canvas pixels, top-left corner). Cosmetic: the engine never reads it, the version
 * diff reports a node that only moved as `moved`, not changed. ±100,000 px holds 100 nodes spaced far apart (the
 * editor's auto-layout needs < 30,000) and keeps a bad client from storing absurd numbers.
 */
export const MAX_CANVAS_COORDINATE = 100_000;
const canvasCoordinate = z.number().min(-MAX_CANVAS_COORDINATE).max(MAX_CANVAS_COORDINATE);
export const nodeLayout = z.strictObject({ x: canvasCoordinate, y: canvasCoordinate });

export const pipelineNode = z.strictObject({
  id: pipelineNodeId,
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a node kind id such as static_router'),
  /** Shown in the editor and the trace; the id stays the stable reference. */
  label: z.string().max(80).optional(),
  settings: z.record(z.string(), z.unknown()),
  retry: retryPolicy.optional(),
  // 5 minutes: a Durable Object request may use up to 5 min of CPU; longer waits belong in background jobs.
  timeoutMs: z.number().int().min(100).max(300_000).optional(),
  /** The node's place on the editor's canvas (stored with the draft and every version; ignored by the engine). */
  ui: nodeLayout.optional(),
});

export const pipelineEdge = z.strictObject({
  from: pipelineNodeId,
  /** The output port; omitted means the default `out` (routers must name one of their routes). */
  fromPort: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  to: pipelineNodeId,
});

/** Caps on one run; the defaults are in engine.ts (runBounds). */
export const pipelineLimits = z.strictObject({
  maxNodeRuns: z.number().int().min(1).max(500).optional(),
  maxWallMs: z.number().int().min(1_000).max(600_000).optional(),
});

export const pipelineSettings = chatbotSettings.extend({
  /** Sent to the user when a node fails (the stored error names the node; the user never sees it). */
  fallbackReply: z.string().max(2000).optional(),
});

export const pipelineDefinition = z.strictObject({
  schemaVersion: z.literal(2),
  // 100 nodes / 300 edges: far above OCS's largest shipped templates, small enough to validate in well under 1 ms.
  nodes: z.array(pipelineNode).min(2).max(100),
  edges: z.array(pipelineEdge).max(300),
  limits: pipelineLimits.optional(),
  settings: pipelineSettings,
  /** Triggers and their actions (worker/events/schemas.ts, docs/events.md). */
  events: eventsSection.optional(),
});

export type PipelineDefinition = z.infer<typeof pipelineDefinition>;
export type PipelineNode = z.infer<typeof pipelineNode>;
export type PipelineEdge = z.infer<typeof pipelineEdge>;
export type RetryPolicy = z.infer<typeof retryPolicy>;
export type PipelineLimits = z.infer<typeof pipelineLimits>;
export type NodeLayout = z.infer<typeof nodeLayout>;

/** Either stored format; `schemaVersion` says which reader applies. */
export const anyDefinition = z.union([chatbotDefinition, pipelineDefinition]);
export type AnyDefinition = z.infer<typeof anyDefinition>;

/**
 * A version 1 definition as the equivalent graph. Node ids, order and edges are kept; each v1 node's fields other
 * than `id` and `type` become its `settings`, so `toV1(fromV1(d))` gives back `d` exactly.
 */
export function fromV1(definition: ChatbotDefinition): PipelineDefinition {
  return {
    schemaVersion: 2,
    nodes: definition.nodes.map(({ id, type, ...settings }) => ({ id, kind: type, settings })),
    edges: definition.edges.map((edge) => ({ ...edge })),
    settings: { ...definition.settings },
    ...(definition.events && { events: definition.events }),
  };
}

/** Any stored definition as a pipeline. */
export function toPipeline(definition: AnyDefinition): PipelineDefinition {
  return definition.schemaVersion === 1 ? fromV1(definition) : definition;
}

/**
 * The version 1 form of a pipeline that is still start → llm → end, or null (for readers that know only v1).
 * Node positions (`ui`) are dropped: they do not change what the chatbot does.
 */
export function toV1(definition: PipelineDefinition): ChatbotDefinition | null {
  const parsed = chatbotDefinition.safeParse({
    schemaVersion: 1,
    nodes: definition.nodes.map((node) => ({ ...node.settings, id: node.id, type: node.kind })),
    edges: definition.edges.map(({ from, to }) => ({ from, to })),
    settings: definition.settings,
    ...(definition.events && { events: definition.events }),
  });
  const plain = definition.nodes.every((node) => !node.retry && !node.timeoutMs && !node.label);
  const defaultPorts = definition.edges.every((edge) => !edge.fromPort);
  return parsed.success && plain && defaultPorts && !definition.limits ? parsed.data : null;
}
