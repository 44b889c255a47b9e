import type { ChannelSetupInput, PluginContext, SetupResult } from '../../sdk/index.ts';
import type { MessengerSettings } from './settings.ts';

/**
 * Meta has no call to set an app's webhook URL for a page: the admin enters it in the App Dashboard, which checks it
 * at once with the hub.challenge GET (answered by handshake). The verify token is not repeated in the message.
 */
export async function setupMessenger(
  _ctx: PluginContext<MessengerSettings>,
  input: ChannelSetupInput,
): Promise<SetupResult> {
  return {
    ok: true,
    message:
      `In the Meta App Dashboard open Messenger → Settings → Webhooks, set the Callback URL to ${input.webhookUrl} ` +
      `and the Verify token to this channel's verifyToken setting, then subscribe the page to the messages, ` +
      `messaging_postbacks, message_reactions and message_edits fields.`,
  };
}
