/**
 * A plugin kind that exists only for tests, declared the way a real kind file in ../kinds/ is (its interface, its
 * definition), to show a kind needs nothing outside its file: registry.test.ts indexes and publishes it.
 */
import { z } from 'zod';
import { defineKind } from '../kind.ts';
import type { PluginContext, PluginManifest } from '../plugin.ts';

export interface NotifierPlugin<Settings extends z.ZodObject = z.ZodObject>
  extends PluginManifest<'notifier', Settings> {
  /** Most characters one notification carries. */
  maxLength: number;
  notify(ctx: PluginContext<z.infer<Settings>>, text: string): Promise<{ ok: boolean }>;
}

export const notifierKind = defineKind<NotifierPlugin>({
  kind: 'notifier',
  label: 'Notifiers',
  description: 'Sends a short notification',
  contract: 'plugins/sdk/registry.test.ts',
  configs: 'single',
  capabilities: (plugin) => ({ maxLength: plugin.maxLength }),
  check: (plugin) => {
    if (plugin.maxLength < 1) throw new Error(`Notifier "${plugin.id}" must carry at least one character`);
  },
});

export const pagerNotifier: NotifierPlugin = {
  id: 'pager',
  kind: 'notifier',
  displayName: 'Pager',
  description: 'Pages whoever is on call',
  version: '1.0.0',
  settings: z.object({ token: z.string().min(1).meta({ title: 'Token' }) }),
  secrets: ['token'],
  maxLength: 160,
  notify: async () => ({ ok: true }),
};
