/**
 * Two versions on the graph: nodes added (green), removed (red, dashed) and changed (amber) are marked on a
 * read-only canvas, and choosing a changed node lists its settings diff. Uses the server's node-level diff
 * (`GET …/versions/diff`) and falls back to comparing the two definitions here.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBanner, Loading } from '../../components/feedback';
import { get, query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import type { Page, Version } from '../../lib/types';
import type { SettingChange, VersionDiff } from './api-types';
import { Canvas, type Viewport } from './Canvas';
import { asPipeline, splitLayout } from './convert';
import { diffDefinitions, fromServerDiff, type GraphDiff, unionDefinition } from './diff-map';
import { fitViewport, type Point, type TypeIndex } from './graph';
import { placeMissing } from './layout';

const label = (n: number) => (n === 0 ? 'Draft' : `v${n}`);
const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

async function compare(chatbotId: string, from: number, to: number, signal: AbortSignal) {
  const base = `/api/v1/chatbots/${encodeURIComponent(chatbotId)}/versions`;
  const [a, b] = await Promise.all([from, to].map((n) => get<Version>(`${base}/${n}`, { signal })));
  const before = asPipeline((a as Version).definition as NonNullable<Version['definition']>);
  const after = asPipeline((b as Version).definition as NonNullable<Version['definition']>);
  const definition = unionDefinition(before, after);
  let diff: GraphDiff;
  try {
    const server = await get<VersionDiff>(`${base}/diff${query({ from, to })}`, { signal });
    diff = fromServerDiff(
      server,
      definition.nodes.map((node) => node.id),
    );
  } catch (error) {
    if (signal.aborted) throw error;
    diff = diffDefinitions(before, after);
  }
  return { definition, diff };
}

export function ComparePanel({
  chatbotId,
  types,
  positions,
}: {
  chatbotId: string;
  types: TypeIndex;
  positions: Record<string, Point>;
}) {
  const [versions] = useResource(
    (signal) => get<Page<Version>>(`/api/v1/chatbots/${encodeURIComponent(chatbotId)}/versions`, { signal }),
    [chatbotId],
  );
  const [range, setRange] = useState<[number, number] | null>(null);
  const numbers = versions.status === 'ready' ? versions.value.data.map((v) => v.number) : [];
  const [from, to] = range ?? [numbers[0] ?? 0, 0];
  const [result] = useResource((signal) => compare(chatbotId, from, to, signal), [chatbotId, from, to]);
  const [viewport, setViewport] = useState<Viewport>({ x: 20, y: 20, k: 0.8 });
  const [picked, setPicked] = useState<string | null>(null);
  const options = [0, ...numbers];
  const body = useRef<HTMLDivElement>(null);
  const graph =
    result.status === 'ready'
      ? {
          definition: result.value.definition,
          // Nodes the current draft no longer has (removed ones) are drawn where their version kept them.
          positions: placeMissing(result.value.definition, {
            ...splitLayout(result.value.definition).positions,
            ...positions,
          }),
        }
      : null;
  // Each comparison is fitted to the canvas, so added and removed nodes at the edges are never out of view.
  useEffect(() => {
    const canvas = body.current?.querySelector('.pl-canvas')?.getBoundingClientRect();
    if (graph && canvas) setViewport(fitViewport(graph, types, canvas));
  }, [result.status, from, to]);

  const select = (which: 0 | 1) => (e: Event) => {
    const value = Number((e.currentTarget as HTMLSelectElement).value);
    setRange(which === 0 ? [value, to] : [from, value]);
  };

  return (
    <section class="pl-compare" aria-label="Compare versions">
      <div class="row">
        <label>
          From
          <select value={String(from)} onChange={select(0)}>
            {options.map((n) => (
              <option key={n} value={String(n)}>
                {label(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select value={String(to)} onChange={select(1)}>
            {options.map((n) => (
              <option key={n} value={String(n)}>
                {label(n)}
              </option>
            ))}
          </select>
        </label>
        <p class="muted small grow pl-legend">
          <span class="diff-added">added</span> <span class="diff-removed">removed</span>{' '}
          <span class="diff-changed">changed</span>
        </p>
      </div>
      {result.status === 'loading' && <Loading what="versions" />}
      {result.status === 'error' && <ErrorBanner title="Couldn't compare" error={result.error} />}
      {result.status === 'ready' && (
        <div class="pl-compare-body" ref={body}>
          <Canvas
            graph={graph ?? { definition: result.value.definition, positions: {} }}
            types={types}
            viewport={viewport}
            onViewport={setViewport}
            selected={new Set(picked ? [picked] : [])}
            selectedEdges={new Set()}
            onSelect={(nodes) => setPicked(nodes[0] ?? null)}
            diff={result.value.diff.nodes}
            edgeDiff={{ added: result.value.diff.addedEdges, removed: result.value.diff.removedEdges }}
            label={`Changes from ${label(from)} to ${label(to)}`}
            readOnly
          />
          <Changes diff={result.value.diff} picked={picked} />
        </div>
      )}
    </section>
  );
}

function Changes({ diff, picked }: { diff: GraphDiff; picked: string | null }) {
  const changed = [...diff.nodes].filter(([, change]) => change !== 'same');
  if (changed.length === 0 && diff.addedEdges.size === 0 && diff.removedEdges.size === 0)
    return <p class="muted">No differences.</p>;
  const rows = (id: string): SettingChange[] => diff.settings.get(id) ?? [];
  return (
    <ul class="pl-changes" aria-label="Changed nodes">
      {changed.map(([id, change]) => (
        <li key={id} class={`diff-${change}${picked === id ? ' picked' : ''}`}>
          <strong>{id}</strong> {change}
          {rows(id).length > 0 && (
            <table class="table small">
              <tbody>
                {rows(id).map((row) => (
                  <tr key={row.path}>
                    <th scope="row">{row.path}</th>
                    <td class="removed">{show(row.before)}</td>
                    <td class="added">{show(row.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
      {[...diff.addedEdges].map((key) => (
        <li key={`+${key}`} class="diff-added">
          edge {key} added
        </li>
      ))}
      {[...diff.removedEdges].map((key) => (
        <li key={`-${key}`} class="diff-removed">
          edge {key} removed
        </li>
      ))}
    </ul>
  );
}
