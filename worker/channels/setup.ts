import type { ChannelPlugin, SetupResult } from '../../plugins/sdk/index.ts';
import { redactSecrets, secretValues } from '../plugins/redact.ts';
import { systemClock } from '../ports/clock.ts';

/** Long enough for a platform API round trip, short enough not to hold the admin's API call (spec h1: 10 s). */
const SETUP_TIMEOUT_MS = 10_000;

/**
 * Runs the plugin's `setup` hook (e.g. Telegram's setWebhook) after a channel is created or its settings change.
 * Best effort: the channel is saved whatever happens here, so a failure becomes `{ ok: false, message }` for the
 * admin to read, never an error of the API call. Null when the plugin has nothing to set up.
 */
export async function runChannelSetup(
  plugin: ChannelPlugin,
  settings: Record<string, unknown>,
  webhookUrl: string,
): Promise<SetupResult | null> {
  if (!plugin.setup) return null;
  // Registry plugins are already guarded (worker/plugins/guard.ts); this also covers the message composed here.
  const secrets = secretValues(plugin.secrets, settings);
  try {
    const result = await plugin.setup(
      {
        settings,
        // Wrapped: workerd's fetch throws "Illegal invocation" when called as `ctx.fetch(…)` (wrong `this`).
        fetch: (request, init) => fetch(request, init),
        clock: systemClock,
        signal: AbortSignal.timeout(SETUP_TIMEOUT_MS),
      },
      { webhookUrl },
    );
    return { ok: result.ok, message: redactSecrets(result.message, secrets) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: redactSecrets(`Setup of the ${plugin.displayName} webhook failed: ${reason}`, secrets),
    };
  }
}
