import type { PluginKindDefinition } from '../kind.ts';
import { channelKind } from './channel.ts';
import { emailKind } from './email.ts';
import { embedderKind } from './embedder.ts';
import { nodeKind } from './node.ts';
import { providerKind } from './provider.ts';
import { rerankerKind } from './reranker.ts';
import { toolKind } from './tool.ts';

/**
 * Every plugin kind the SDK knows, in catalog order. A new kind is one file beside these (its interface, its
 * definition, its `PluginKinds` entry) and one line here; the registry, the catalog route and its enum, the
 * settings JSON Schema, the configuration API and the dashboard derive from this list.
 */
export const kinds: readonly PluginKindDefinition[] = [
  providerKind,
  channelKind,
  toolKind,
  nodeKind,
  emailKind,
  embedderKind,
  rerankerKind,
];
