import { z } from 'zod';
import { DEFAULT_PORT, type NodeKind } from './node-kind.ts';

/** One node kind as the editor and `GET /api/v1/pipelines/node-types` describe it (JSON, settings as JSON Schema). */
export interface NodeTypeDescription {
  id: string;
  displayName: string;
  description: string;
  inputs: string;
  output: string;
  acceptsInput: boolean;
  /** A router: its ports are named by its settings (edges' `fromPort`); every other kind leaves by `out`, end by none. */
  routes: boolean;
  /**
   * The output ports of a kind that does not route (`["out"]`, none for end); null for a router, whose ports are
   * its settings' route names.
   */
  ports: string[] | null;
  /** Its output may stream to the user as it is produced (an LLM answer; docs/pipelines.md, "Streaming"). */
  streams: boolean;
  settingsSchema: Record<string, unknown>;
  /** Settings that pass the kind's validation, for a node added in the editor (null: the kind declares none). */
  defaults: Record<string, unknown> | null;
}

export function describeNodeKind(kind: NodeKind): NodeTypeDescription {
  return {
    id: kind.id,
    displayName: kind.displayName,
    description: kind.description,
    inputs: kind.inputs,
    output: kind.output,
    acceptsInput: kind.acceptsInput,
    routes: kind.routes,
    ports: kind.routes ? null : fixedPorts(kind),
    streams: kind.streams ?? false,
    // `input`: what a client may send (optional fields stay optional); refinements such as "the regex compiles"
    // cannot be said in JSON Schema and are checked on save.
    settingsSchema: z.toJSONSchema(kind.settings, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: newNodeSettings(kind),
  };
}

/** The kind's declared defaults, or `{}` when that validates (start, end, reply); null when neither is usable. */
function newNodeSettings(kind: NodeKind): Record<string, unknown> | null {
  const candidate: unknown = kind.defaults ?? {};
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return null;
  return kind.settings.safeParse(candidate).success ? structuredClone(candidate as Record<string, unknown>) : null;
}

/** A non-router's ports do not depend on its settings; asked with empty ones (a kind that needs some gets `out`). */
function fixedPorts(kind: NodeKind): string[] {
  try {
    const parsed = kind.settings.safeParse({});
    return [...kind.ports(parsed.success ? parsed.data : {})];
  } catch {
    return [DEFAULT_PORT];
  }
}
