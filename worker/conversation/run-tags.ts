import type { RunTags } from '../queue/messages.ts';
import type { StoredRun } from './pipeline-store.ts';

/**
 * The tags a finished run applies (docs/pipelines.md "State and merge rules"): the reply tags on every reply the run
 * sent, the conversation tags on the conversation, each in the order the barriers applied them. Only a run that
 * completed (or was aborted by a node, which commits like a success) applies any; a failed or cancelled one none.
 */
export function runTags(run: StoredRun | undefined): RunTags | undefined {
  if (!run || (run.status !== 'completed' && run.status !== 'aborted')) return undefined;
  const { tags } = run.checkpoint;
  const named = (scope: 'reply' | 'conversation') => tags.filter((tag) => tag.scope === scope).map((tag) => tag.name);
  const messageTags = run.replyIds.length > 0 ? named('reply') : [];
  const conversationTags = named('conversation');
  if (messageTags.length === 0 && conversationTags.length === 0) return undefined;
  return { runId: run.id, messageIds: messageTags.length > 0 ? run.replyIds : [], messageTags, conversationTags };
}
