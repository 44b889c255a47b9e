import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from './api-types';
import { isIssueList, placeIssues } from './issues';

const sent: PipelineDefinition = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'llm', kind: 'llm', settings: {} },
  ],
  edges: [{ from: 'start', to: 'llm' }],
  settings: {} as PipelineDefinition['settings'],
};

describe('server validation errors on nodes', () => {
  it('puts each problem on the node its path names, by the index sent', () => {
    const placed = placeIssues(
      [
        { field: 'body.definition.nodes[1].settings.model', code: 'invalid_settings', message: 'required' },
        { path: 'nodes[1]', code: 'unwired_port', message: 'route "x" is not connected' },
        { field: 'body.definition.edges[0].to', code: 'no_input', message: 'takes no input' },
        { path: 'nodes', code: 'no_end', message: 'an end node is required' },
      ],
      sent,
    );
    expect(placed.nodes.get('llm')).toEqual([
      { field: 'model', message: 'required' },
      { field: '', message: 'route "x" is not connected' },
    ]);
    expect(placed.edges.get(0)).toEqual(['takes no input']);
    expect(placed.graph).toEqual(['an end node is required']);
  });

  it('recognises an issue list', () => {
    expect(isIssueList([{ field: 'x', message: 'y' }])).toBe(true);
    expect(isIssueList({ message: 'y' })).toBe(false);
  });
});
