import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { providers } from '../../plugins/registry.ts';
import type { ProviderPlugin } from '../../plugins/sdk/index.ts';
import type { LlmNode } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { openPluginConfig } from '../plugin-configs/store.ts';

export class TurnSetupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The provider plugin an LLM step uses, with its settings: public ones from D1, secrets decrypted. */
export async function resolveProvider(
  env: Env,
  teamId: string,
  step: Pick<LlmNode, 'providerId' | 'credentialId'>,
): Promise<{ provider: ProviderPlugin; settings: z.infer<ProviderPlugin['settings']> }> {
  const provider = providers.get(step.providerId);
  if (!provider)
    throw new TurnSetupError('provider_not_installed', `Provider plugin "${step.providerId}" is not installed`);
  let raw: Record<string, unknown> = {};
  if (step.credentialId) {
    const credential = await database(env.DB).query.pluginConfigs.findFirst({
      where: and(
        eq(pluginConfigs.id, step.credentialId),
        eq(pluginConfigs.teamId, teamId),
        eq(pluginConfigs.kind, 'provider'),
      ),
    });
    if (!credential || credential.pluginId !== provider.id) {
      throw new TurnSetupError(
        'credential_missing',
        `The ${provider.displayName} credentials for this chatbot are missing`,
      );
    }
    raw = await openPluginConfig(env, credential);
  }
  const parsed = provider.settings.safeParse(raw);
  if (!parsed.success) {
    // Name the fields, never their values: some are secrets.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new TurnSetupError('credential_invalid', `The ${provider.displayName} settings are invalid: ${fields}`);
  }
  return { provider, settings: parsed.data };
}
