import type { LlmNode } from '../chatbots/definition.ts';
import type { resolveProvider } from './provider-settings.ts';

type Resolved = Awaited<ReturnType<typeof resolveProvider>>;

/**
 * Resolved provider settings (credential read from D1 and decrypted), kept in the conversation object's memory for
 * a minute. Resolving on every turn cost a D1 round trip and a decryption between the reply's start and its first
 * token — most of the time Parley added per turn (bench/README.md). A rotated key reaches running conversations
 * within TTL_MS; the decrypted secret lives only in memory, never in storage.
 */
export class ProviderCache {
  static readonly TTL_MS = 60_000;
  private readonly entries = new Map<string, { value: Resolved; expiresAt: number }>();

  async get(
    step: Pick<LlmNode, 'providerId' | 'credentialId'>,
    now: number,
    resolve: () => Promise<Resolved>,
  ): Promise<Resolved> {
    const key = `${step.providerId}:${step.credentialId ?? ''}`;
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = await resolve();
    this.entries.set(key, { value, expiresAt: now + ProviderCache.TTL_MS });
    return value;
  }
}
