/**
 * The static plugin registry. Every installed plugin is imported here by name, so wrangler bundles exactly these
 * and nothing is ever loaded by a computed path. To install a plugin: import it and add it to `installed`.
 */

import { guardPlugin } from '../worker/plugins/guard.ts';
import { messengerChannel } from './channels/messenger/index.ts';
import { slackChannel } from './channels/slack/index.ts';
import { telegramChannel } from './channels/telegram/index.ts';
import { twilioChannel } from './channels/twilio/index.ts';
import { whatsappChannel } from './channels/whatsapp/index.ts';
import { anthropicProvider } from './providers/anthropic/index.ts';
import { geminiProvider } from './providers/gemini/index.ts';
import { offlineProvider } from './providers/offline/index.ts';
import { openaiProvider } from './providers/openai/index.ts';
import { openaiCompatibleProviders } from './providers/openai/presets/index.ts';
import type { ChannelPlugin, Plugin, ProviderPlugin, ToolPlugin } from './sdk/index.ts';
import { clockTool } from './tools/clock/index.ts';

export const installed: readonly Plugin[] = [
  offlineProvider,
  openaiProvider,
  ...openaiCompatibleProviders,
  anthropicProvider,
  geminiProvider,
  clockTool,
  telegramChannel,
  whatsappChannel,
  messengerChannel,
  slackChannel,
  twilioChannel,
];

function index<P extends Plugin>(kind: P['kind']): ReadonlyMap<string, P> {
  const byId = new Map<string, P>();
  for (const plugin of installed) {
    if (plugin.kind !== kind) continue;
    if (byId.has(plugin.id)) throw new Error(`Two ${kind} plugins share the id "${plugin.id}"`);
    // Guarded: whatever a plugin's hooks fail with is redacted before the core stores or returns it.
    byId.set(plugin.id, guardPlugin(plugin as P));
  }
  return byId;
}

export const providers = index<ProviderPlugin>('provider');
export const channels = index<ChannelPlugin>('channel');
export const tools = index<ToolPlugin>('tool');
