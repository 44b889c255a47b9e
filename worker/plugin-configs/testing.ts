/** Test helpers for plugin configurations. */
import { env } from 'cloudflare:test';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';

/**
 * A configuration sealed as the store seals it, written straight to D1: for plugins the registry does not have (a
 * test tool) or ids a test chooses. `uniqueKey` defaults to the id, so any number of them fit.
 */
export async function insertSealedConfig(
  teamId: string,
  config: {
    kind: string;
    pluginId: string;
    id?: string;
    uniqueKey?: string;
    settings?: Record<string, unknown>;
    secrets: Record<string, unknown>;
  },
): Promise<string> {
  const id = config.id ?? newId('pcfg');
  const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
  await database(env.DB)
    .insert(pluginConfigs)
    .values({
      id,
      teamId,
      kind: config.kind,
      pluginId: config.pluginId,
      name: id,
      uniqueKey: config.uniqueKey ?? id,
      settings: config.settings ?? {},
      secrets: await box.sealJson(config.secrets, secretContext(teamId, config.kind, id)),
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  return id;
}
