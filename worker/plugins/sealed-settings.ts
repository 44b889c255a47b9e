import { type AnyPlugin, splitSecrets } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import { secretBox } from '../security/secrets.ts';

/**
 * A plugin instance's settings at rest (channels, provider credentials): public settings as JSON, secret ones as one
 * AES-GCM ciphertext bound to `context` (the team and row), so a ciphertext copied elsewhere fails to open.
 */
export async function sealSettings(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  plugin: AnyPlugin,
  settings: Record<string, unknown>,
  context: string,
): Promise<{ settings: Record<string, unknown>; secrets: string }> {
  const { publicSettings, secretSettings } = splitSecrets(plugin, settings);
  return { settings: publicSettings, secrets: await (await secretBox(env)).sealJson(secretSettings, context) };
}

/** Public and secret settings together, in memory only (to validate a patch or call the plugin). */
export async function openSettings(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  row: { settings: Record<string, unknown>; secrets: string },
  context: string,
): Promise<Record<string, unknown>> {
  return { ...row.settings, ...(await (await secretBox(env)).openJson(row.secrets, context)) };
}

/** Names of the secrets a row holds, for `secretsSet` in responses: the values never leave this function. */
export async function sealedSecretNames(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  sealed: string,
  context: string,
): Promise<string[]> {
  const secrets = await (await secretBox(env)).openJson(sealed, context);
  return Object.keys(secrets)
    .filter((key) => secrets[key] !== undefined)
    .sort();
}
