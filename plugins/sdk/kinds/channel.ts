import type { z } from 'zod';
import type { ChannelPlugin } from '../channel.ts';
import type { JsonObject } from '../json.ts';
import { defineKind } from '../kind.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    channel: ChannelPlugin<S>;
  }
}

/**
 * Messaging channels (interface in ../channel.ts). Each configuration is one bot connected to one chatbot, with
 * options of its own, so `/api/v1/channels` writes them.
 */
export const channelKind = defineKind<ChannelPlugin>({
  kind: 'channel',
  label: 'Channels',
  description: 'Verifies and parses webhooks, sends messages',
  contract: 'plugins/sdk/contracts/channel.contract.ts',
  configs: 'many',
  managedBy: '/api/v1/channels',
  // Capabilities are plain data (booleans, numbers, string lists); the cast only drops TypeScript's readonly.
  capabilities: (plugin) => ({ ...plugin.capabilities }) as unknown as JsonObject,
});
