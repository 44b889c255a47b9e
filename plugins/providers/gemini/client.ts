import type { GoogleGenAI } from '@google/genai';
import type { PluginContext } from '../../sdk/index.ts';
import { type RetryLog, retryingFetch } from './retry.ts';
import { geminiSdk } from './sdk.ts';
import type { GeminiSettings } from './settings.ts';

/**
 * The REST version the Gemini API docs use throughout (https://ai.google.dev/api). @google/genai 3.x defaults to
 * `v1`, which lags behind on generation features (thinking config, JSON-Schema function parameters).
 */
export const API_VERSION = 'v1beta';

/**
 * A client for one call. Built per call, never at module scope: constructing it costs Worker startup time, and the
 * settings, `fetch`, clock and signal belong to the call. Requests go through `ctx.fetch` (the SDK's
 * `httpOptions.fetch` hook), wrapped in Parley's retry; `retryOptions` stays unset so the SDK itself makes a single
 * attempt (see retry.ts).
 * The per-request `abortSignal` is set by the caller, in each call's config.
 */
export async function createGeminiClient(ctx: PluginContext<GeminiSettings>, log: RetryLog): Promise<GoogleGenAI> {
  const { GoogleGenAI } = await geminiSdk();
  const policy = { maxRetries: ctx.settings.maxRetries, clock: ctx.clock, signal: ctx.signal };
  return new GoogleGenAI({
    apiKey: ctx.settings.apiKey,
    apiVersion: API_VERSION,
    httpOptions: { baseUrl: ctx.settings.baseUrl, fetch: retryingFetch(ctx.fetch, policy, log) },
  });
}
