/**
 * The "Pipeline" tab of the chatbot editor, a lazy chunk of its own (scripts/size.ts budgets it): loads the node
 * kinds and the draft, restores unsaved local edits, then hands over to EditorSurface.
 */
import { ErrorBanner, Loading } from '../../components/feedback';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { Chatbot } from '../../lib/types';
import type { NodeTypeInfo } from './api-types';
import { loadDraft } from './draft-sync';
import { chooseDefinition, keptDraft, keptLayout } from './drafts';
import { EditorSurface } from './EditorSurface';
import { placeMissing } from './layout';

export function PipelineEditor({ bot, onPublished }: { bot: Chatbot; onPublished: () => void }) {
  const [state, reload] = useResource(
    async (signal) => {
      const [types, draft] = await Promise.all([
        get<{ data: NodeTypeInfo[] }>('/api/v1/pipelines/node-types', { signal }),
        loadDraft(bot.id, signal),
      ]);
      const store = globalThis.localStorage;
      const chosen = chooseDefinition(draft.definition, keptDraft(store, bot.id));
      const positions = placeMissing(chosen.definition, keptLayout(store, bot.id));
      return { types: types.data, draft, chosen, positions };
    },
    [bot.id],
  );
  if (state.status === 'loading') return <Loading what="pipeline" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the pipeline" error={state.error} onRetry={reload} />;
  const { types, draft, chosen, positions } = state.value;
  return (
    <EditorSurface
      key={bot.id}
      chatbotId={bot.id}
      types={types}
      initial={{ definition: chosen.definition, positions }}
      saved={draft.definition}
      savedIssues={draft.issues}
      revision={draft.revision}
      restored={chosen.restored}
      readOnly={!can('edit')}
      canChat={can('chat')}
      onPublished={onPublished}
    />
  );
}
