import type { ChannelSetupInput, PluginContext, SetupResult } from '../../sdk/index.ts';
import type { TwilioSettings } from './settings.ts';

/**
 * The admin points the number (or Messaging Service, or WhatsApp sender) at the webhook in the Twilio Console.
 * Not done through the API: the number may serve other apps, and changing its webhook is the owner's call.
 */
export async function setupTwilio(_ctx: PluginContext<TwilioSettings>, input: ChannelSetupInput): Promise<SetupResult> {
  return {
    ok: true,
    message:
      `In the Twilio Console open Phone Numbers → Active numbers → your number (or your Messaging Service or ` +
      `WhatsApp sender), and under Messaging set "A message comes in" to Webhook, ${input.webhookUrl}, HTTP POST. ` +
      `Twilio signs each request with your Auth Token; the URL must match exactly, so keep it as shown.`,
  };
}
