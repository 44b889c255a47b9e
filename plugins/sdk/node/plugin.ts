import type { z } from 'zod';
import type { PluginManifest } from '../plugin.ts';
import type { NodeKind } from './kind.ts';

/**
 * A node kind as a plugin: one plugin per kind. The manifest's `settings` are the team-wide configuration (an HTTP
 * node's secrets), configured once per team through /api/v1/plugin-configs; the node's own settings are
 * `node.settings`, set per node in the pipeline.
 */
export interface NodePlugin<Settings extends z.ZodObject = z.ZodObject> extends PluginManifest<'node', Settings> {
  node: NodeKind;
}
