/**
 * Create or edit a knowledge collection: name, description (the summary a model reads when it chooses among
 * collections), the embedder (fixed once created: its vectors live in one index per model), chunking and search.
 */
import { ErrorBanner } from '../../components/feedback';
import { patch, post } from '../../lib/http';
import { useAction } from '../../lib/use-action';
import type { Collection } from './api';
import { knowledgePaths } from './api';
import {
  choiceValue,
  DEFAULT_CHUNKING,
  DEFAULT_EMBEDDER,
  DEFAULT_SEARCH,
  type EmbedderChoice,
  parseChoiceValue,
} from './embedder-choices';

interface Props {
  /** Absent: the form creates a collection. */
  collection?: Collection;
  embedders: readonly EmbedderChoice[];
  onSaved: (collection: Collection) => void;
  onCancel?: () => void;
}

const numberOf = (form: FormData, name: string) => Number(form.get(name));

export function CollectionForm({ collection, embedders, onSaved, onCancel }: Props) {
  const { error, busy, run } = useAction();
  const editing = collection !== undefined;
  const chunking = collection?.chunking ?? DEFAULT_CHUNKING;
  const search = collection?.search ?? DEFAULT_SEARCH;
  const current = collection
    ? { pluginId: collection.embedder.pluginId, model: collection.embedder.model }
    : DEFAULT_EMBEDDER;

  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const settings = {
      name: String(form.get('name') ?? ''),
      description: String(form.get('description') ?? ''),
      chunking: { chunkTokens: numberOf(form, 'chunkTokens'), chunkOverlap: numberOf(form, 'chunkOverlap') },
      search: {
        denseWeight: numberOf(form, 'denseWeight'),
        fetchK: numberOf(form, 'fetchK'),
        rrfK: numberOf(form, 'rrfK'),
      },
    };
    await run(async () => {
      const saved = collection
        ? await patch<Collection>(knowledgePaths.collection(collection.id), settings)
        : await post<Collection>(knowledgePaths.collections, {
            ...settings,
            embedder: parseChoiceValue(String(form.get('embedder') ?? '')) ?? DEFAULT_EMBEDDER,
          });
      onSaved(saved);
    });
  }

  const title = editing ? `Settings of ${collection.name}` : 'New collection';
  return (
    <form class="card form collection-form" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      <div class="grid-2">
        <label>
          Name
          <input name="name" required maxLength={100} value={collection?.name} placeholder="Product handbook" />
        </label>
        <label>
          Embedder
          <select name="embedder" disabled={editing} value={choiceValue(current)}>
            {embedders.length === 0 && <option value={choiceValue(current)}>{current.model}</option>}
            {embedders.map((choice) => (
              <option key={choiceValue(choice)} value={choiceValue(choice)}>
                {choice.pluginName} · {choice.label} ({choice.dimensions} dimensions)
              </option>
            ))}
          </select>
          <span class="field-hint">
            {editing
              ? 'Fixed once created: its vectors live in one index per model.'
              : 'The offline embedder needs no key (keyword-like search); pick a provider model for semantic search.'}
          </span>
        </label>
      </div>
      <label>
        Description
        <textarea
          name="description"
          rows={2}
          maxLength={2000}
          value={collection?.description}
          placeholder="What it holds. With several collections, the model reads this to choose one."
        />
      </label>
      <fieldset class="grid-3">
        <legend>Chunking</legend>
        <label>
          Tokens per chunk
          <input name="chunkTokens" type="number" required min={50} max={8192} value={chunking.chunkTokens} />
        </label>
        <label>
          Overlap (tokens)
          <input name="chunkOverlap" type="number" required min={0} max={4096} value={chunking.chunkOverlap} />
        </label>
        <span class="field-hint">
          At most half a chunk of overlap.{editing && ' Applies to documents added from now on; re-index the others.'}
        </span>
      </fieldset>
      <fieldset class="grid-3">
        <legend>Hybrid search</legend>
        <label>
          Dense weight
          <input name="denseWeight" type="number" required min={0} max={1} step={0.05} value={search.denseWeight} />
        </label>
        <label>
          Candidates per ranking
          <input name="fetchK" type="number" required min={1} max={50} value={search.fetchK} />
        </label>
        <label>
          RRF k
          <input name="rrfK" type="number" required min={1} max={1000} value={search.rrfK} />
        </label>
      </fieldset>
      {error && (
        <ErrorBanner
          title={editing ? "Couldn't save the collection" : "Couldn't create the collection"}
          error={error}
        />
      )}
      <div class="row">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save settings' : 'Create collection'}
        </button>
        {onCancel && (
          <button type="button" class="button subtle" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
