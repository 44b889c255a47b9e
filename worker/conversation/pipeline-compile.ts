import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { type CompiledPipeline, compilePipeline } from '../pipelines/compile.ts';
import { type AnyDefinition, toPipeline } from '../pipelines/definition.ts';
import { nodeKinds } from '../pipelines/kinds.ts';
import { replyEnds } from './pipeline-streaming.ts';

export interface TurnPipeline {
  pipeline: CompiledPipeline;
  /** The stored format: version 1 chatbots keep v1's events exactly (no node events, no pipeline metadata). */
  schemaVersion: 1 | 2;
  /** Streaming-capable nodes whose only successors are end nodes replying with them (pipeline-streaming.ts). */
  ends: Map<string, string[]>;
}

/** Compiled once per object: a conversation's version is immutable, so its definition never changes. */
export function compileTurnPipeline(definition: AnyDefinition | ChatbotDefinition): TurnPipeline {
  const pipeline = compilePipeline(toPipeline(definition), nodeKinds());
  return { pipeline, schemaVersion: definition.schemaVersion, ends: replyEnds(pipeline) };
}
