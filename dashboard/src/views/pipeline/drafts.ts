/**
 * Unsaved edits survive a reload or a failed save: every edit is written to localStorage at once (a few KB,
 * synchronous, far under the ~5 MB per origin browsers allow) and cleared when the server has it. Node positions
 * are part of the definition (each node's `ui`, convert.ts withLayout), so an unsaved move is kept like any edit and
 * a saved one is on the server for every admin and device.
 */
import type { PipelineDefinition } from './api-types';

export interface KeptDraft {
  definition: PipelineDefinition;
  /** The revision the edit started from: if the server's differs, the edit may conflict. */
  baseRevision: string | null;
  keptAt: number;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const draftKey = (chatbotId: string) => `parley.pipeline.draft.${chatbotId}`;

function read<T>(store: Store, key: string, valid: (value: unknown) => value is T): T | null {
  try {
    const value: unknown = JSON.parse(store.getItem(key) ?? 'null');
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}

function write(store: Store, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the edit is still in memory and saved to the server as usual.
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isKept = (value: unknown): value is KeptDraft =>
  isRecord(value) && isRecord(value.definition) && Array.isArray(value.definition.nodes);

export function keepDraft(store: Store, chatbotId: string, draft: KeptDraft): void {
  write(store, draftKey(chatbotId), draft);
}

export const keptDraft = (store: Store, chatbotId: string) => read(store, draftKey(chatbotId), isKept);

export function forgetDraft(store: Store, chatbotId: string): void {
  store.removeItem(draftKey(chatbotId));
}

/**
 * Which definition to open: an unsaved local edit wins over the server's draft (it was typed after it), unless the
 * server's draft is the same, in which case the local copy is stale and dropped.
 */
export function chooseDefinition(
  server: PipelineDefinition,
  kept: KeptDraft | null,
): { definition: PipelineDefinition; restored: boolean } {
  if (!kept || JSON.stringify(kept.definition) === JSON.stringify(server))
    return { definition: server, restored: false };
  return { definition: kept.definition, restored: true };
}
