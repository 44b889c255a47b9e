/**
 * The query preview (issue 16 §7): a question searched exactly as retrieval would, with each hit's dense and keyword
 * rank and score beside the fused one, so an admin can see why a chunk came first, or why it did not come at all.
 */
import { useState } from 'preact/hooks';
import { Empty, ErrorBanner } from '../../components/feedback';
import { post } from '../../lib/http';
import { useAction } from '../../lib/use-action';
import { knowledgePaths, type SearchHit, type SearchMode, type SearchResult } from './api';
import { formatScore } from './score-format';

const MODES: readonly (readonly [SearchMode, string])[] = [
  ['hybrid', 'Hybrid (dense + keyword, fused)'],
  ['dense', 'Dense (vectors) only'],
  ['keyword', 'Keyword (FTS5) only'],
];

function Ranking({ label, ranked }: { label: string; ranked: SearchHit['dense'] }) {
  return (
    <div class="ranking">
      <dt>{label}</dt>
      <dd>{ranked ? `#${ranked.rank} · ${formatScore(ranked.score)}` : <span class="muted">not ranked</span>}</dd>
    </div>
  );
}

function Hit({ hit, index, mode }: { hit: SearchHit; index: number; mode: SearchMode }) {
  return (
    <li class="hit">
      <div class="hit-head">
        <span class="hit-rank">{index + 1}</span>
        <div class="grow">
          <strong>{hit.documentTitle ?? 'Deleted document'}</strong>
          <div class="muted small">
            {hit.context && <span class="chunk-context">{hit.context}</span>}
            {hit.page !== undefined && <> · page {hit.page}</>} · chunk #{hit.ordinal + 1}
          </div>
        </div>
        <dl class="scores">
          <Ranking label="Dense" ranked={hit.dense} />
          <Ranking label="Keyword" ranked={hit.keyword} />
          <div class="ranking fused">
            <dt>{mode === 'hybrid' ? 'Fused' : 'Score'}</dt>
            <dd>{formatScore(hit.score)}</dd>
          </div>
        </dl>
      </div>
      <p class="chunk-text">{hit.text}</p>
    </li>
  );
}

export function QueryPreview({ collectionId }: { collectionId: string }) {
  const { error, busy, run } = useAction();
  const [result, setResult] = useState<SearchResult | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    await run(async () =>
      setResult(
        await post<SearchResult>(knowledgePaths.search(collectionId), {
          query: String(data.get('query') ?? ''),
          mode: String(data.get('mode') ?? 'hybrid'),
          topK: Number(data.get('topK') ?? 10),
        }),
      ),
    );
  }
  return (
    <section class="card" aria-label="Query preview">
      <h2>Query preview</h2>
      <p class="muted">Ask what a user would: the ranked chunks are what a retrieval node would put in the prompt.</p>
      <form class="inline-form" aria-label="Search the collection" onSubmit={submit}>
        <label class="grow">
          Question
          <input name="query" type="search" required maxLength={2000} placeholder="How do I reset the router?" />
        </label>
        <label>
          Mode
          <select name="mode">
            {MODES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Top K
          <input name="topK" type="number" min={1} max={50} value={10} class="narrow-number" />
        </label>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error && <ErrorBanner title="Couldn't search" error={error} />}
      {result && result.hits.length === 0 && (
        <Empty title="No chunk matched.">
          Keyword search needs every word to appear; try fewer words, or hybrid mode.
        </Empty>
      )}
      {result && result.hits.length > 0 && (
        <>
          <p class="muted small" role="status">
            {result.hits.length} results · {result.mode} · revision {result.revision}
          </p>
          <ol class="hits" aria-label="Results">
            {result.hits.map((hit, index) => (
              <Hit key={hit.chunkKey} hit={hit} index={index} mode={result.mode} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
