import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compilePipeline, PipelineInvalidError } from './compile.ts';
import { kindRegistry } from './kinds.ts';
import { DEFAULT_PORT, defineNodeKind, type NodeReference } from './node-kind.ts';
import { pipeline } from './testing.ts';
import { graphIssues, issuePath, type ReferenceResolver, validatePipeline } from './validate.ts';

const kinds = kindRegistry();
const router = { source: 'input', rules: [{ port: 'yes', operator: 'equals', value: 'y' }], defaultPort: 'no' };
const issues = (nodes: [string, string, Record<string, unknown>?][], edges: string[]) =>
  graphIssues(pipeline(nodes, edges), kinds);

describe('graph validation names the node or edge at fault', () => {
  it('accepts a valid branching graph', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['r', 'static_router', router],
          ['a', 'reply', { text: 'yes' }],
          ['end', 'end'],
        ],
        ['start - r', 'r:yes - a', 'r:no - end', 'a - end'],
      ),
    ).toEqual([]);
  });

  it('duplicate ids, unknown kinds and settings invalid for the kind', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['start', 'end'],
          ['x', 'teleport'],
          ['r', 'static_router', { ...router, rules: [{ port: 'yes', operator: 'regex', value: '(' }] }],
          ['end', 'end', { reply: 'maybe' }],
        ],
        ['start - r', 'r:yes - end', 'r:no - end', 'start - x'],
      ),
    ).toEqual([
      { path: 'nodes[1].id', code: 'duplicate_id', message: 'node id "start" is used twice' },
      { path: 'nodes[2].kind', code: 'unknown_kind', message: 'no node kind "teleport"' },
      expect.objectContaining({ path: 'nodes[3].settings.rules[0].value', code: 'invalid_settings' }),
      expect.objectContaining({ path: 'nodes[4].settings.reply', code: 'invalid_settings' }),
    ]);
  });

  it('edges to unknown nodes, unknown ports, into start, out of end, and duplicates', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['r', 'static_router', router],
          ['end', 'end'],
        ],
        [
          'start - r',
          'r:yes - end',
          'r:no - end',
          'r:maybe - end',
          'ghost - end',
          'r:yes - start',
          'end - r',
          'r:yes - end',
        ],
      ),
    ).toEqual([
      {
        path: 'edges[3].fromPort',
        code: 'unknown_port',
        message: 'node "r" has no output "maybe" (it has "yes", "no")',
      },
      { path: 'edges[4].from', code: 'unknown_node', message: 'no node "ghost"' },
      { path: 'edges[5].to', code: 'no_input', message: 'node "start" takes no input' },
      { path: 'edges[6].fromPort', code: 'unknown_port', message: 'node "end" has no outputs' },
      { path: 'edges[7]', code: 'duplicate_edge', message: 'the same edge is listed twice' },
    ]);
  });

  it('an ordinary node leaves only by `out`', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['end', 'end'],
        ],
        ['start:yes - end'],
      ),
    ).toContainEqual(expect.objectContaining({ path: 'edges[0].fromPort', code: 'unknown_port' }));
  });

  it('every router output must be wired', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['r', 'static_router', router],
          ['end', 'end'],
        ],
        ['start - r', 'r:yes - end'],
      ),
    ).toEqual([{ path: 'nodes[1]', code: 'unwired_port', message: 'route "no" is not connected' }]);
  });

  it('every node, ends included, must be reachable from start', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['a', 'reply'],
          ['end', 'end'],
          ['end2', 'end'],
        ],
        ['start - a', 'a - end'],
      ),
    ).toEqual([{ path: 'nodes[3]', code: 'unreachable', message: 'end node "end2" cannot be reached from start' }]);
  });

  it('reports each cycle at the edge that closes it', () => {
    expect(
      issues(
        [
          ['start', 'start'],
          ['a', 'reply'],
          ['b', 'reply'],
          ['end', 'end'],
        ],
        ['start - a', 'a - b', 'b - a', 'b - b', 'b - end'],
      ),
    ).toEqual([
      { path: 'edges[2]', code: 'cycle', message: 'this edge closes a cycle: a → b → a' },
      { path: 'edges[3]', code: 'cycle', message: 'this edge closes a cycle: b → b' },
    ]);
  });

  it('compilePipeline refuses an invalid graph with every issue', () => {
    const definition = pipeline([['start', 'start']], []);
    expect(() => compilePipeline(definition, kinds)).toThrow(PipelineInvalidError);
    expect(() => compilePipeline(definition, kinds)).toThrow('nodes: an end node is required');
  });

  it('issuePath', () => {
    expect(issuePath(['nodes', 3, 'settings', 'rules', 0, 'value'])).toBe('nodes[3].settings.rules[0].value');
  });
});

describe('references go through the resolver', () => {
  const usesCredential = defineNodeKind({
    id: 'fetcher',
    displayName: 'Fetcher (test)',
    description: 'test',
    settings: z.strictObject({ credentialId: z.string(), collectionIds: z.array(z.string()) }),
    inputs: 'any',
    output: 'any',
    acceptsInput: true,
    ports: () => [DEFAULT_PORT],
    routes: false,
    references: (settings) => [
      { type: 'credential', id: settings.credentialId, path: 'credentialId' },
      ...settings.collectionIds.map((id, i) => ({ type: 'collection' as const, id, path: `collectionIds[${i}]` })),
    ],
    run: (ctx) => ctx.input,
  });
  const definition = pipeline(
    [
      ['start', 'start'],
      ['f', 'fetcher', { credentialId: 'cred_other_team', collectionIds: ['col_ok', 'col_missing'] }],
      ['end', 'end'],
    ],
    ['start - f', 'f - end'],
  );

  it('asks once for every reference and names each missing one', async () => {
    const asked: NodeReference[][] = [];
    const resolver: ReferenceResolver = {
      exists: async (references) => {
        asked.push([...references]);
        return references.map((reference) => reference.id === 'col_ok');
      },
    };
    const result = await validatePipeline(definition, kindRegistry(usesCredential), resolver);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.map((reference) => reference.id)).toEqual(['cred_other_team', 'col_ok', 'col_missing']);
    expect(result.issues).toEqual([
      {
        path: 'nodes[1].settings.credentialId',
        code: 'unknown_reference',
        message: 'no credential "cred_other_team" in this team',
      },
      {
        path: 'nodes[1].settings.collectionIds[1]',
        code: 'unknown_reference',
        message: 'no collection "col_missing" in this team',
      },
    ]);
  });

  it('is valid when the resolver knows them all, and returns the parsed definition', async () => {
    const result = await validatePipeline(definition, kindRegistry(usesCredential), {
      exists: async (references) => references.map(() => true),
    });
    expect(result).toEqual({ ok: true, definition, issues: [] });
  });
});
