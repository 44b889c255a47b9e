import type { z } from 'zod';
import type { JsonObject } from '../json.ts';
import { defineKind } from '../kind.ts';
import type { ProviderPlugin } from '../provider.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    provider: ProviderPlugin<S>;
  }
}

/** LLM providers (interface in ../provider.ts). A team keeps named credentials per provider, chosen by LLM steps. */
export const providerKind = defineKind<ProviderPlugin>({
  kind: 'provider',
  label: 'Providers',
  description: 'Streams a reply from a model',
  contract: 'plugins/sdk/contracts/provider.contract.ts',
  configs: 'named',
  // Capabilities are plain data (booleans); the cast only drops TypeScript's interface-to-index-signature gap.
  capabilities: (plugin) => ({ ...plugin.capabilities }) as unknown as JsonObject,
});
