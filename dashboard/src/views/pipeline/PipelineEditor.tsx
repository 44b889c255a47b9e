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
import { splitLayout, withLayout } from './convert';
import { loadDraft } from './draft-sync';
import { chooseDefinition, keptDraft } from './drafts';
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
      // Positions come with the definition (each node's `ui`); nodes without one (a draft built through the API)
      // are laid out, and count as saved until the first edit, so opening the editor writes nothing.
      const split = splitLayout(chosen.definition);
      const positions = placeMissing(split.definition, split.positions);
      const server = splitLayout(draft.definition);
      const saved = withLayout(server.definition, placeMissing(server.definition, server.positions));
      return { types: types.data, chosen: { ...chosen, definition: split.definition }, positions, saved, draft };
    },
    [bot.id],
  );
  if (state.status === 'loading') return <Loading what="pipeline" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the pipeline" error={state.error} onRetry={reload} />;
  const { types, draft, chosen, positions, saved } = state.value;
  return (
    <EditorSurface
      key={bot.id}
      chatbotId={bot.id}
      types={types}
      initial={{ definition: chosen.definition, positions }}
      saved={saved}
      savedIssues={draft.issues}
      revision={draft.revision}
      restored={chosen.restored}
      readOnly={!can('edit')}
      canChat={can('chat')}
      onPublished={onPublished}
    />
  );
}
