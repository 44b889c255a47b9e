import type { ChannelSetupInput, PluginContext, SetupResult } from '../../sdk/index.ts';
import type { WhatsAppSettings } from './settings.ts';

/**
 * The Cloud API has no call to set the webhook for an app: the admin enters it in the Meta App Dashboard, which
 * checks it at once with the hub.challenge GET (answered by handshake). The verify token is theirs already: it is
 * not repeated here (setup messages go back to the API caller).
 */
export async function setupWhatsApp(
  _ctx: PluginContext<WhatsAppSettings>,
  input: ChannelSetupInput,
): Promise<SetupResult> {
  return {
    ok: true,
    message:
      `In the Meta App Dashboard open WhatsApp → Configuration, set the Callback URL to ${input.webhookUrl} and the ` +
      `Verify token to this channel's verifyToken setting, then subscribe to the "messages" webhook field.`,
  };
}
