import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pipelineEdge, pipelineNode } from './definition.ts';
import type { NodeKind } from './node-kind.ts';
import { pipeline, runTest } from './testing.ts';

/**
 * The node contract every kind passes (the built-in ones in nodes/contract.unit.test.ts; plugin kinds will call it from
 * their own tests): a stable id, settings that render as JSON Schema for the editor, port names edges can use,
 * and a run inside a real pipeline whose output is deterministic JSON. `example` is settings the kind accepts.
 */
export function nodeContract(kind: NodeKind, example: Record<string, unknown>) {
  describe(`node kind ${kind.id}`, () => {
    it('has an id definitions accept, a name, a description and input/output descriptions', () => {
      expect(pipelineNode.shape.kind.safeParse(kind.id).success).toBe(true);
      for (const text of [kind.displayName, kind.description, kind.inputs, kind.output])
        expect(text.length).toBeGreaterThan(0);
    });

    it('has settings that render as JSON Schema and accept the example', () => {
      expect(z.toJSONSchema(kind.settings, { io: 'input' })).toMatchObject({ type: 'object' });
      expect(kind.settings.safeParse(example).success).toBe(true);
    });

    it('lists ports an edge can name; routers have at least one, end none', () => {
      const ports = kind.ports(kind.settings.parse(example));
      for (const port of ports) expect(pipelineEdge.shape.fromPort.safeParse(port).success).toBe(true);
      if (kind.routes) expect(ports.length).toBeGreaterThan(0);
      if (kind.id === 'end') expect(ports).toEqual([]);
    });

    it('runs inside a pipeline, twice with the same result, and its output survives JSON', async () => {
      // Start and end run in every pipeline, including the one each other kind is tested in.
      if (kind.id === 'start' || kind.id === 'end') return;
      const ports = kind.ports(kind.settings.parse(example));
      const definition = pipeline(
        [
          ['start', 'start'],
          ['node', kind.id, example],
          ['end', 'end'],
        ],
        ['start - node', ...ports.map((port) => `node:${port} - end`)],
      );
      const first = await runTest(definition);
      const second = await runTest(definition);
      expect(first.run.status).toBe('completed');
      expect(first.run.nodes.node).toEqual(second.run.nodes.node);
      const output = first.output('node');
      expect(JSON.parse(JSON.stringify(output))).toEqual(output);
    });
  });
}
