import { z } from 'zod';
import type { NodeKind } from './node-kind.ts';

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
  settingsSchema: Record<string, unknown>;
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
    // `input`: what a client may send (optional fields stay optional); refinements such as "the regex compiles"
    // cannot be said in JSON Schema and are checked on save.
    settingsSchema: z.toJSONSchema(kind.settings, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  };
}
