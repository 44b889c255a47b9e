import type { z } from 'zod';
import type { Clock } from './clock.ts';
import type { PluginManifest } from './plugin.ts';

/**
 * An embedder plugin: turns texts into vectors for knowledge collections. A collection is bound to one embedder
 * model for life (its vectors are only comparable with that model's), so a model's `dimensions` never change.
 */
export interface EmbedderPlugin<Settings extends z.ZodObject = z.ZodObject>
  extends PluginManifest<'embedder', Settings> {
  models: readonly EmbeddingModel[];
  embed(ctx: EmbedContext<z.infer<Settings>>, request: EmbedRequest): Promise<EmbedResult>;
}

export interface EmbeddingModel {
  /** The provider's model name, e.g. `text-embedding-3-small`, `@cf/baai/bge-m3`. */
  id: string;
  label: string;
  dimensions: number;
  /** Most texts one call accepts (bge-m3: 100; OpenAI: 2,048); the core batches to this. */
  maxBatch: number;
  /** Longest input in tokens the model reads; the chunker keeps chunks under it. */
  maxInputTokens: number;
  /** True when the vectors are lexical rather than semantic (the offline embedder): the dashboard says so. */
  lexical?: boolean;
}

export interface EmbedRequest {
  model: string;
  /** At most the model's `maxBatch` texts. */
  inputs: readonly string[];
  /** Some models embed queries and documents differently (Gemini's task types); others ignore it. */
  purpose: 'document' | 'query';
}

export interface EmbedResult {
  /** One vector per input, in input order, each of the model's `dimensions`. */
  vectors: Float32Array[];
  /** Input tokens billed, when the provider reports them. */
  tokens?: number;
}

/** The structural shape of Workers AI's `env.AI.run` (developers.cloudflare.com/workers-ai), so the SDK needs no workers-types. */
export interface AiBinding {
  run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

export interface EmbedContext<Settings> {
  settings: Settings;
  fetch: typeof fetch;
  clock: Clock;
  signal: AbortSignal;
  /** The Worker's `AI` binding, handed only to the embedder written for it (workers-ai) when the deployment has one. */
  binding?: AiBinding;
}

/**
 * A failure a retry can fix (429, 5xx, network: `retryable`, with the provider's `Retry-After` when it sent one) or
 * not (bad key, unknown model). Ingestion slows down on the first kind instead of failing the document.
 */
export class EmbedderError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'EmbedderError';
  }
}
