/**
 * Places the server's validation problems on the graph: a 400 `invalid_definition` lists
 * `[{ field|path, code, message }]` with paths such as `body.definition.nodes[2].settings.model` (validate.ts). The
 * node index is resolved against the definition that was sent, so the message lands on the node it belongs to.
 */
import type { DefinitionIssue, PipelineDefinition } from './api-types';

export interface PlacedIssues {
  /** Per node id: messages, each with the settings field it names (`model`, `rules[0].port`) or '' for the node. */
  nodes: Map<string, { field: string; message: string }[]>;
  /** Per edge index of the sent definition. */
  edges: Map<number, string[]>;
  /** Problems of the whole graph (no start, no end). */
  graph: string[];
}

const PATH = /^(?:body\.)?(?:definition\.)?(nodes|edges)\[(\d+)\](?:\.(.*))?$/;

export function placeIssues(issues: readonly DefinitionIssue[], sent: PipelineDefinition): PlacedIssues {
  const placed: PlacedIssues = { nodes: new Map(), edges: new Map(), graph: [] };
  for (const issue of issues) {
    const path = issue.path ?? issue.field ?? '';
    const match = PATH.exec(path);
    const node = match?.[1] === 'nodes' ? sent.nodes[Number(match[2])] : undefined;
    if (match && node) {
      const rest = match[3] ?? '';
      const field = rest.startsWith('settings.') ? rest.slice('settings.'.length) : rest === 'settings' ? '' : rest;
      const list = placed.nodes.get(node.id) ?? [];
      list.push({ field, message: issue.message });
      placed.nodes.set(node.id, list);
    } else if (match?.[1] === 'edges') {
      const index = Number(match[2]);
      placed.edges.set(index, [...(placed.edges.get(index) ?? []), issue.message]);
    } else {
      placed.graph.push(issue.message);
    }
  }
  return placed;
}

export const isIssueList = (details: unknown): details is DefinitionIssue[] =>
  Array.isArray(details) &&
  details.every((d) => typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string');
