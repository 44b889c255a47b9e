import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { providers } from '../../plugins/registry.ts';
import type { PluginContext, ProviderPlugin } from '../../plugins/sdk/index.ts';
import { chatbotDefinition, type LlmNode, llmStep } from '../chatbots/definition.ts';
import { resolveProvider } from '../conversation/provider-settings.ts';
import { database } from '../db/client.ts';
import { chatbots, chatbotVersions, pluginConfigs } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';

/** Which voice hook a caller needs: `transcribe` (speech to text) or `speak` (text to speech). */
export type SpeechHook = 'transcribe' | 'speak';

/** A provider able to do `hook`, with its settings decrypted (memory only, never stored or logged). */
export interface SpeechProvider {
  provider: ProviderPlugin;
  settings: z.infer<ProviderPlugin['settings']>;
  /** Why this one: the chatbot's own LLM provider, or the team's OpenAI credential as the fallback. */
  source: 'chatbot' | 'team-openai';
}

/** The provider that has a fallback role for voice: the only installed one with speech hooks today. */
const FALLBACK_PROVIDER_ID = 'openai';

/**
 * Picks who transcribes (or speaks) for a channel's chatbot: the LLM step of its published version when that
 * provider has the hook, otherwise the team's OpenAI credential (the oldest, when there are several), otherwise
 * nobody (null). A credential that is missing or no longer valid counts as absent, so voice falls through to the
 * next choice rather than failing.
 */
export async function speechProvider(
  env: Env,
  channel: { teamId: string; chatbotId: string },
  hook: SpeechHook,
): Promise<SpeechProvider | null> {
  const step = await publishedLlmStep(env, channel.teamId, channel.chatbotId);
  if (step) {
    const own = await tryResolve(env, channel.teamId, step, hook);
    if (own) return { ...own, source: 'chatbot' };
  }
  const credential = await database(env.DB).query.pluginConfigs.findFirst({
    columns: { id: true },
    where: and(
      eq(pluginConfigs.teamId, channel.teamId),
      eq(pluginConfigs.kind, 'provider'),
      eq(pluginConfigs.pluginId, FALLBACK_PROVIDER_ID),
    ),
    orderBy: [asc(pluginConfigs.createdAt), asc(pluginConfigs.id)],
  });
  // Already tried as the chatbot's own credential: no point resolving it twice.
  if (!credential || credential.id === step?.credentialId) return null;
  const fallback = await tryResolve(
    env,
    channel.teamId,
    { providerId: FALLBACK_PROVIDER_ID, credentialId: credential.id },
    hook,
  );
  return fallback && { ...fallback, source: 'team-openai' };
}

/**
 * The context a voice call runs with. One module-level fetch on purpose: the OpenAI SDK probes each fetch function
 * it is given for FormData support (a `data:` fetch and a warning in the logs) and caches the answer per function.
 */
export function speechContext(
  settings: SpeechProvider['settings'],
  signal: AbortSignal,
): PluginContext<typeof settings> {
  return { settings, fetch: voiceFetch, clock: systemClock, signal };
}

// workerd's fetch must be called unbound; the wrapper also gives the SDK's probe cache a stable key.
const voiceFetch: typeof fetch = (input, init) => fetch(input, init);

export function hasHook(provider: ProviderPlugin, hook: SpeechHook): boolean {
  return hook === 'transcribe'
    ? provider.capabilities.speechToText && typeof provider.transcribe === 'function'
    : provider.capabilities.textToSpeech && typeof provider.speak === 'function';
}

async function publishedLlmStep(env: Env, teamId: string, chatbotId: string): Promise<LlmNode | null> {
  const [row] = await database(env.DB)
    .select({ definition: chatbotVersions.definition })
    .from(chatbots)
    .innerJoin(chatbotVersions, eq(chatbotVersions.id, chatbots.publishedVersionId))
    .where(and(eq(chatbots.id, chatbotId), eq(chatbots.teamId, teamId)))
    .limit(1);
  const parsed = row && chatbotDefinition.safeParse(row.definition);
  return parsed?.success ? llmStep(parsed.data) : null;
}

async function tryResolve(
  env: Env,
  teamId: string,
  step: Pick<LlmNode, 'providerId' | 'credentialId'>,
  hook: SpeechHook,
): Promise<Omit<SpeechProvider, 'source'> | null> {
  // Checked before resolving, so a chatbot on a provider without voice costs no decryption and logs nothing.
  const plugin = providers.get(step.providerId);
  if (!plugin || !hasHook(plugin, hook)) return null;
  try {
    return await resolveProvider(env, teamId, step);
  } catch (error) {
    // Not installed, credential deleted or invalid: the message names fields, never values (provider-settings.ts).
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'speech provider unavailable',
        provider: step.providerId,
        error: String(error),
      }),
    );
    return null;
  }
}
