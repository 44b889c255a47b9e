import type { ActionOperation } from './spec/types.ts';

/**
 * One custom action as a published chatbot version keeps it (D1 `chatbot_versions.actions`): the selected
 * operations (with their dereferenced parameter schemas) and the base URL at publish. Conversations on that version
 * call these even after the admin edits or deletes the action; only the auth is read live, by action id.
 */
export interface FrozenAction {
  name: string;
  title: string;
  baseUrl: string;
  operations: ActionOperation[];
}

/** The frozen actions of one version, by action id (`{}`: a draft, or a version naming no action). */
export type FrozenActions = Record<string, FrozenAction>;
