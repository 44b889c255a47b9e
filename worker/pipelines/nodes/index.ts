import type { NodeKind } from '../node-kind.ts';
import { endKind } from './end.ts';
import { startKind } from './start.ts';

/**
 * The structural kinds built into the engine: every pipeline has them, so they are not plugins. Every other kind
 * (static router, set state, reply, template, LLM, code, …) is a node plugin in plugins/nodes/ (../kinds.ts).
 */
export const builtinKinds: readonly NodeKind[] = [startKind, endKind];
