import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from '../pipeline/api-types';
import { applyPipelineSettings, isPipeline, pipelineSettingsFields } from './pipeline-settings';

const graph: PipelineDefinition = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {}, ui: { x: 0, y: 0 } },
    { id: 'route', kind: 'static_router', settings: { source: 'input', rules: [], defaultPort: 'a' } },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'route' },
    { from: 'route', fromPort: 'a', to: 'end' },
  ],
  limits: { maxNodeRuns: 50 },
  settings: {
    burstPolicy: 'queue',
    welcomeMessage: 'Hi',
    starterQuestions: ['One?'],
    fallbackReply: 'Sorry',
    widget: { title: 'Help' } as NonNullable<PipelineDefinition['settings']['widget']>,
  },
};

describe('the Settings tab on a pipeline draft', () => {
  it('reads its fields from the definition and, unchanged, writes the same definition back', () => {
    const fields = pipelineSettingsFields(graph);
    expect(fields).toEqual({
      burstPolicy: 'queue',
      welcomeMessage: 'Hi',
      starterQuestions: 'One?',
      fallbackReply: 'Sorry',
      maxNodeRuns: '50',
      maxWallSeconds: '',
    });
    expect(applyPipelineSettings(graph, fields)).toEqual(graph);
  });

  it('changes only the chatbot settings and run bounds: nodes, edges, positions and widget settings stay', () => {
    const next = applyPipelineSettings(graph, {
      burstPolicy: 'merge',
      welcomeMessage: 'Hello',
      starterQuestions: ' a \n\n b ',
      fallbackReply: '  ',
      maxNodeRuns: '',
      maxWallSeconds: '90',
    });
    expect(next.nodes).toBe(graph.nodes);
    expect(next.edges).toBe(graph.edges);
    expect(next.settings).toEqual({
      burstPolicy: 'merge',
      welcomeMessage: 'Hello',
      starterQuestions: ['a', 'b'],
      widget: { title: 'Help' },
    });
    expect(next.limits).toEqual({ maxWallMs: 90_000 });
    const noLimits = applyPipelineSettings(graph, { ...pipelineSettingsFields(graph), maxNodeRuns: '' });
    expect('limits' in noLimits).toBe(false);
    // Not a number: sent as NaN → null in JSON, so the server's 400 names definition.limits.maxNodeRuns.
    expect(applyPipelineSettings(graph, { ...pipelineSettingsFields(graph), maxNodeRuns: 'lots' }).limits).toEqual({
      maxNodeRuns: Number.NaN,
    });
  });

  it('tells a pipeline from a version 1 definition', () => {
    expect(isPipeline(graph)).toBe(true);
    expect(isPipeline({ ...graph, schemaVersion: 1 } as never)).toBe(false);
  });
});
