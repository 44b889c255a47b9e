import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConversationMeta } from './meta.ts';
import type { TurnPipeline } from './pipeline-compile.ts';
import type { ProviderCache } from './provider-cache.ts';
import { resolveProvider } from './provider-settings.ts';

/** Whether the model a node names can read images (histories keep a turn's images only for such nodes). */
export async function nodeVision(
  host: { env: Env; clock: Clock; providers: ProviderCache },
  turn: TurnPipeline,
  meta: ConversationMeta,
  nodeId: string,
): Promise<boolean> {
  const settings = turn.pipeline.nodes.find((node) => node.id === nodeId)?.settings as
    | { providerId?: string; credentialId?: string | null }
    | undefined;
  if (!settings?.providerId) return false;
  const step = { providerId: settings.providerId, credentialId: settings.credentialId ?? null };
  try {
    const { provider } = await host.providers.get(meta.teamId, step, () =>
      resolveProvider(host.env, meta.teamId, step),
    );
    return provider.capabilities.vision;
  } catch {
    return false; // the model call reports the problem itself
  }
}
