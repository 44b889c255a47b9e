import type { z } from 'zod';
import type { ProviderPlugin } from '../../plugins/sdk/index.ts';
import type { LlmNode } from '../chatbots/definition.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';

/** What provider-settings.ts `resolveProvider` gives (stated here: the plugin-configs store imports this file). */
interface Resolved {
  provider: ProviderPlugin;
  settings: z.infer<ProviderPlugin['settings']>;
}

/**
 * How long resolved provider settings are reused: a rotated key reaches running and new conversations within it
 * (at once in the isolate that saved it: `forgetProviderSettings`).
 */
const TTL_MS = 60_000;

/**
 * Resolved provider settings (credential read from D1 and decrypted), by team, provider and credential, shared by
 * the conversation objects of an isolate. Resolving on every turn cost a D1 round trip and a decryption between the
 * reply's start and its first token — most of the time Parley added per turn (bench/README.md); resolving once per
 * conversation object still put a control-plane read on every new conversation's first turn (issue 19 §2,
 * bench:scale). The decrypted secret lives only in memory, never in storage. An entry is a plugin's settings, a few
 * KB at most; 500 of them stay well under 5 MB of the isolate's 128 MB.
 */
const shared = new IsolateCache<Resolved>({ maxEntries: 500, ttlMs: TTL_MS });

const keyOf = (teamId: string, step: Pick<LlmNode, 'providerId' | 'credentialId'>) =>
  `${teamId}:${step.providerId}:${step.credentialId ?? ''}`;

export class ProviderCache {
  static readonly TTL_MS = TTL_MS;

  constructor(private readonly entries: IsolateCache<Resolved> = shared) {}

  /** The settings, from memory when resolved within TTL_MS; a failed resolution is not kept. */
  async get(
    teamId: string,
    step: Pick<LlmNode, 'providerId' | 'credentialId'>,
    resolve: () => Promise<Resolved>,
  ): Promise<Resolved> {
    const key = keyOf(teamId, step);
    const cached = this.entries.get(key);
    if (cached) return cached;
    const epoch = this.entries.evictionEpoch;
    const value = await resolve();
    // Not stored if a credential was saved while this was resolving: it may hold the old settings.
    this.entries.set(key, value, { unlessEvictedSince: epoch });
    return value;
  }
}

/** Called after a credential is saved or deleted (worker/credentials/store.ts): this isolate re-reads it. */
export function forgetProviderSettings(teamId: string, credentialId: string): void {
  shared.deleteWhere((_value, key) => key.startsWith(`${teamId}:`) && key.endsWith(`:${credentialId}`));
}
