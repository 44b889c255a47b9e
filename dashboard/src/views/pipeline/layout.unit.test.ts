import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from './api-types';
import { NODE_WIDTH } from './graph';
import { autoLayout, COLUMN_GAP, layers, placeMissing } from './layout';

const def = (ids: string[], edges: [string, string][]): PipelineDefinition => ({
  schemaVersion: 2,
  nodes: ids.map((id) => ({ id, kind: id.replace(/\d+$/, ''), settings: {} })),
  edges: edges.map(([from, to]) => ({ from, to })),
  settings: {} as PipelineDefinition['settings'],
});

describe('auto-layout', () => {
  it('puts each node one column right of its furthest predecessor', () => {
    const d = def(
      ['start', 'router', 'a', 'b', 'end'],
      [
        ['start', 'router'],
        ['router', 'a'],
        ['router', 'b'],
        ['a', 'end'],
        ['b', 'end'],
        ['start', 'end'],
      ],
    );
    expect(Object.fromEntries(layers(d))).toEqual({ start: 0, router: 1, a: 2, b: 2, end: 3 });
    const at = autoLayout(d);
    expect(at.end?.x).toBe(3 * (NODE_WIDTH + COLUMN_GAP));
    for (const edge of d.edges) expect((at[edge.to]?.x ?? 0) > (at[edge.from]?.x ?? 0)).toBe(true);
    expect(at.a?.y).not.toBe(at.b?.y);
  });

  it('survives a cycle in an invalid draft', () => {
    const d = def(
      ['start', 'x', 'y'],
      [
        ['start', 'x'],
        ['x', 'y'],
        ['y', 'x'],
      ],
    );
    const rank = layers(d);
    expect(rank.get('x')).toBeGreaterThan(0);
    expect(Object.keys(autoLayout(d))).toHaveLength(3);
  });

  it('places only the nodes without a position', () => {
    const d = def(['start', 'end'], [['start', 'end']]);
    const kept = { start: { x: 500, y: 500 } };
    const placed = placeMissing(d, kept);
    expect(placed.start).toBe(kept.start);
    expect(placed.end).toBeDefined();
    expect(placeMissing(d, {})).toEqual(autoLayout(d));
  });
});
