import { nodes } from '../../plugins/registry.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { type CompiledPipeline, compilePipeline } from '../pipelines/compile.ts';
import { type AnyDefinition, toPipeline } from '../pipelines/definition.ts';
import { kindRegistry } from '../pipelines/nodes/index.ts';
import type { KindRegistry } from '../pipelines/validate.ts';
import { replyEnds } from './pipeline-streaming.ts';

/** Every node kind a turn can run: the engine's built-ins plus every installed node plugin (plugins/registry.ts). */
export function pipelineKinds(): KindRegistry {
  return kindRegistry(...[...nodes.values()].map((plugin) => plugin.node));
}

/** The plugin a node kind comes from, for its team-wide settings (`services.pluginSettings`). */
export function pluginOfKind(kindId: string): string | null {
  return [...nodes.values()].find((plugin) => plugin.node.id === kindId)?.id ?? null;
}

export interface TurnPipeline {
  pipeline: CompiledPipeline;
  /** The stored format: version 1 chatbots keep v1's events exactly (no node events, no pipeline metadata). */
  schemaVersion: 1 | 2;
  /** Streaming-capable nodes whose only successors are end nodes replying with them (pipeline-streaming.ts). */
  ends: Map<string, string[]>;
}

/** Compiled once per object: a conversation's version is immutable, so its definition never changes. */
export function compileTurnPipeline(definition: AnyDefinition | ChatbotDefinition): TurnPipeline {
  const pipeline = compilePipeline(toPipeline(definition), pipelineKinds());
  return { pipeline, schemaVersion: definition.schemaVersion, ends: replyEnds(pipeline) };
}
