import type Anthropic from '@anthropic-ai/sdk';
import type { PluginContext } from '../../sdk/index.ts';
import { anthropicSdk } from './sdk.ts';
import type { AnthropicSettings } from './settings.ts';

/**
 * A fresh SDK client for one call. Never created at module scope: constructing it reads the environment, and Workers
 * bill module-scope work against the startup budget of every isolate, even those that never call Claude.
 */
export async function createClient(ctx: PluginContext<AnthropicSettings>): Promise<Anthropic> {
  const { default: Anthropic } = await anthropicSdk();
  const { apiKey, baseUrl, maxRetries } = ctx.settings;
  return new Anthropic({
    // Passing the key explicitly also stops the SDK from looking for ANTHROPIC_* variables or profiles on disk.
    apiKey,
    baseURL: baseUrl,
    maxRetries,
    // The only way out to the network is the context's fetch (tests point it at the fake server).
    fetch: (input, init) => ctx.fetch(input, init),
    // No tracer is registered in Workers; turning tracing off skips the SDK's per-call span bookkeeping.
    openTelemetry: false,
    // Explicit, so an ANTHROPIC_LOG variable (nodejs_compat exposes vars as process.env) cannot turn on debug logs,
    // which would copy conversations into the Worker's logs.
    logLevel: 'warn',
  });
}
