/**
 * A stand-in for Workers AI's `AI` binding, which has no local simulator: it answers bge-m3's recorded output shape
 * (`{ shape: [n, 1024], data, pooling: 'cls' }`, workers-types' Ai_Cf_Baai_Bge_M3_Output_Embedding) with deterministic
 * unit vectors, enforces the model's 100-text limit, and throws the binding's documented errors
 * (developers.cloudflare.com/workers-ai/platform/errors) for trigger words: `fake-3040` (out of capacity),
 * `fake-3036` (daily allocation used up).
 */
import type { AiBinding, EmbedContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { fakeVector } from '../../sdk/testing/vectors.ts';

const DIMENSIONS = 1024;
const MAX_TEXTS = 100;

export interface AiCall {
  model: string;
  texts: string[];
}

export function fakeAiBinding(calls: AiCall[] = []): AiBinding & { calls: AiCall[] } {
  return {
    calls,
    async run(model, inputs) {
      calls.push({ model, texts: [...inputs.text] });
      if (model !== '@cf/baai/bge-m3') throw new Error(`5007: No such model ${model} or task`);
      if (inputs.text.length > MAX_TEXTS)
        throw new Error('3010: Invalid or incomplete input for the model: too many texts');
      if (inputs.text.some((text) => text.includes('fake-3040'))) {
        throw new Error('3040: No more data centers to forward the request to');
      }
      if (inputs.text.some((text) => text.includes('fake-3036'))) {
        throw new Error('3036: You have used up your daily free allocation of 10,000 neurons.');
      }
      return {
        shape: [inputs.text.length, DIMENSIONS],
        data: inputs.text.map((text) => fakeVector(`${model}|${text}`, DIMENSIONS)),
        pooling: 'cls',
      };
    },
  };
}

export function workersAiContext(
  binding: AiBinding | undefined,
  signal: AbortSignal = new AbortController().signal,
): EmbedContext<Record<string, never>> {
  return {
    settings: {},
    fetch: () => Promise.reject(new Error('the Workers AI embedder makes no HTTP requests')),
    clock: fakeClock(),
    signal,
    ...(binding && { binding }),
  };
}
