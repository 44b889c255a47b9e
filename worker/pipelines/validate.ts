import type { z } from 'zod';
import { type PipelineDefinition, pipelineDefinition } from './definition.ts';
import { DEFAULT_PORT, type NodeKind, type NodeReference } from './node-kind.ts';

/** One thing wrong with a definition; `path` names the node or edge at fault as the client sent it (`nodes[3].settings.model`). */
export interface PipelineIssue {
  path: string;
  code:
    | 'invalid_definition'
    | 'duplicate_id'
    | 'unknown_kind'
    | 'invalid_settings'
    | 'start_count'
    | 'no_end'
    | 'unknown_node'
    | 'unknown_port'
    | 'no_input'
    | 'duplicate_edge'
    | 'unwired_port'
    | 'cycle'
    | 'unreachable'
    | 'unknown_reference';
  message: string;
}

export type KindRegistry = ReadonlyMap<string, NodeKind>;

/** Answers whether team-owned things exist, in the order asked (another team's id must read as missing). */
export interface ReferenceResolver {
  exists(references: readonly NodeReference[]): Promise<readonly boolean[]>;
}

export type ValidationResult =
  | { ok: true; definition: PipelineDefinition; issues: [] }
  | { ok: false; issues: PipelineIssue[] };

/** `['nodes', 3, 'settings', 'x']` → `nodes[3].settings.x`. */
export function issuePath(parts: readonly PropertyKey[]): string {
  return parts
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function zodIssues(error: z.ZodError, prefix: PropertyKey[], code: PipelineIssue['code']): PipelineIssue[] {
  return error.issues.map((issue) => ({ path: issuePath([...prefix, ...issue.path]), code, message: issue.message }));
}

/** Parses and validates a definition; every issue found, not just the first. */
export async function validatePipeline(
  raw: unknown,
  kinds: KindRegistry,
  resolver?: ReferenceResolver,
): Promise<ValidationResult> {
  const parsed = pipelineDefinition.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, [], 'invalid_definition') };
  const issues = graphIssues(parsed.data, kinds);
  if (resolver) issues.push(...(await referenceIssues(parsed.data, kinds, resolver)));
  return issues.length ? { ok: false, issues } : { ok: true, definition: parsed.data, issues: [] };
}

/** The ports of a node whose kind and settings are valid, or null. */
function nodePorts(kinds: KindRegistry, node: PipelineDefinition['nodes'][number]): readonly string[] | null {
  const kind = kinds.get(node.kind);
  const settings = kind?.settings.safeParse(node.settings);
  return kind && settings?.success ? kind.ports(settings.data) : null;
}

/** Structural rules that need no I/O: ids, kinds, settings, edges, ports, start/end, cycles and reachability. */
export function graphIssues(definition: PipelineDefinition, kinds: KindRegistry): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const index = new Map<string, number>();
  definition.nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      issues.push({ path: `nodes[${i}].id`, code: 'duplicate_id', message: `node id "${node.id}" is used twice` });
      return;
    }
    index.set(node.id, i);
    const kind = kinds.get(node.kind);
    if (!kind) {
      issues.push({ path: `nodes[${i}].kind`, code: 'unknown_kind', message: `no node kind "${node.kind}"` });
      return;
    }
    const settings = kind.settings.safeParse(node.settings);
    if (!settings.success) issues.push(...zodIssues(settings.error, ['nodes', i, 'settings'], 'invalid_settings'));
  });

  const starts = definition.nodes.flatMap((node, i) => (node.kind === 'start' ? [i] : []));
  if (starts.length === 0) issues.push({ path: 'nodes', code: 'start_count', message: 'a start node is required' });
  for (const i of starts.slice(1))
    issues.push({ path: `nodes[${i}]`, code: 'start_count', message: 'only one start node is allowed' });
  if (!definition.nodes.some((node) => node.kind === 'end'))
    issues.push({ path: 'nodes', code: 'no_end', message: 'an end node is required' });

  // Edges that are sound enough to use in the graph checks below.
  const usable: { from: number; to: number; edge: number }[] = [];
  const seen = new Set<string>();
  definition.edges.forEach((edge, j) => {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined)
      issues.push({ path: `edges[${j}].from`, code: 'unknown_node', message: `no node "${edge.from}"` });
    if (to === undefined)
      issues.push({ path: `edges[${j}].to`, code: 'unknown_node', message: `no node "${edge.to}"` });
    if (from === undefined || to === undefined) return;
    const port = edge.fromPort ?? DEFAULT_PORT;
    const fromNode = definition.nodes[from];
    const ports = fromNode ? nodePorts(kinds, fromNode) : null;
    if (ports && !ports.includes(port)) {
      const message = ports.length
        ? `node "${edge.from}" has no output "${port}" (it has ${ports.map((p) => `"${p}"`).join(', ')})`
        : `node "${edge.from}" has no outputs`;
      issues.push({ path: `edges[${j}].fromPort`, code: 'unknown_port', message });
      return;
    }
    const toKind = kinds.get(definition.nodes[to]?.kind ?? '');
    if (toKind && !toKind.acceptsInput) {
      issues.push({ path: `edges[${j}].to`, code: 'no_input', message: `node "${edge.to}" takes no input` });
      return;
    }
    const key = `${edge.from}\u0000${port}\u0000${edge.to}`;
    if (seen.has(key)) {
      issues.push({ path: `edges[${j}]`, code: 'duplicate_edge', message: 'the same edge is listed twice' });
      return;
    }
    seen.add(key);
    usable.push({ from, to, edge: j });
  });

  definition.nodes.forEach((node, i) => {
    if (index.get(node.id) !== i || !kinds.get(node.kind)?.routes) return;
    for (const port of nodePorts(kinds, node) ?? []) {
      const wired = definition.edges.some((edge) => edge.from === node.id && (edge.fromPort ?? DEFAULT_PORT) === port);
      if (!wired)
        issues.push({ path: `nodes[${i}]`, code: 'unwired_port', message: `route "${port}" is not connected` });
    }
  });

  issues.push(...cycleIssues(definition, usable));
  const start = starts[0];
  if (starts.length === 1 && start !== undefined) issues.push(...reachabilityIssues(definition, usable, start));
  return issues;
}

type IndexedEdge = { from: number; to: number; edge: number };

function outgoing(count: number, edges: readonly IndexedEdge[]): IndexedEdge[][] {
  const out: IndexedEdge[][] = Array.from({ length: count }, () => []);
  for (const edge of edges) out[edge.from]?.push(edge);
  return out;
}

/** Depth-first search; each edge that leads back onto the current path closes a cycle and is reported. */
function cycleIssues(definition: PipelineDefinition, edges: readonly IndexedEdge[]): PipelineIssue[] {
  const out = outgoing(definition.nodes.length, edges);
  const state = new Array<0 | 1 | 2>(definition.nodes.length).fill(0); // 0 new, 1 on the path, 2 done
  const path: number[] = [];
  const issues: PipelineIssue[] = [];
  const id = (i: number) => definition.nodes[i]?.id ?? '?';
  const visit = (node: number) => {
    state[node] = 1;
    path.push(node);
    for (const edge of out[node] ?? []) {
      if (state[edge.to] === 1) {
        const loop = [...path.slice(path.indexOf(edge.to)), edge.to].map(id).join(' → ');
        issues.push({ path: `edges[${edge.edge}]`, code: 'cycle', message: `this edge closes a cycle: ${loop}` });
      } else if (state[edge.to] === 0) visit(edge.to);
    }
    path.pop();
    state[node] = 2;
  };
  for (let i = 0; i < definition.nodes.length; i++) if (state[i] === 0) visit(i);
  return issues;
}

function reachabilityIssues(
  definition: PipelineDefinition,
  edges: readonly IndexedEdge[],
  start: number,
): PipelineIssue[] {
  const out = outgoing(definition.nodes.length, edges);
  const reached = new Set([start]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const edge of out[node] ?? []) {
      if (reached.has(edge.to)) continue;
      reached.add(edge.to);
      queue.push(edge.to);
    }
  }
  // A duplicate id is reported once already; its second node can never be an edge's target.
  const first = (i: number) => definition.nodes.findIndex((other) => other.id === definition.nodes[i]?.id) === i;
  return definition.nodes.flatMap((node, i) =>
    reached.has(i) || !first(i)
      ? []
      : [
          {
            path: `nodes[${i}]`,
            code: 'unreachable' as const,
            message: `${node.kind === 'end' ? 'end node' : 'node'} "${node.id}" cannot be reached from start`,
          },
        ],
  );
}

/** Team-owned references named by valid settings, checked in one resolver call. */
export async function referenceIssues(
  definition: PipelineDefinition,
  kinds: KindRegistry,
  resolver: ReferenceResolver,
): Promise<PipelineIssue[]> {
  const found: { node: number; reference: NodeReference }[] = [];
  definition.nodes.forEach((node, i) => {
    const kind = kinds.get(node.kind);
    const settings = kind?.settings.safeParse(node.settings);
    if (!kind?.references || !settings?.success) return;
    for (const reference of kind.references(settings.data)) found.push({ node: i, reference });
  });
  if (!found.length) return [];
  const exists = await resolver.exists(found.map((entry) => entry.reference));
  return found.flatMap(({ node, reference }, i) =>
    exists[i]
      ? []
      : [
          {
            path: `nodes[${node}].settings.${reference.path}`,
            code: 'unknown_reference' as const,
            message: `no ${reference.type} "${reference.id}" in this team`,
          },
        ],
  );
}
