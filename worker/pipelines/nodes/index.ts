import type { NodeKind } from '../node-kind.ts';
import type { KindRegistry } from '../validate.ts';
import { endKind } from './end.ts';
import { endConversationKind } from './end-conversation.ts';
import { replyKind } from './reply.ts';
import { setStateKind } from './set-state.ts';
import { startKind } from './start.ts';
import { staticRouterKind } from './static-router.ts';
import { templateKind } from './template.ts';

/** The pure kinds built into the engine; LLM, LLM router, extract, code, HTTP and email kinds come as plugins. */
export const builtinKinds: readonly NodeKind[] = [
  startKind,
  endKind,
  staticRouterKind,
  setStateKind,
  replyKind,
  endConversationKind,
  templateKind,
];

/** A registry of the built-in kinds plus `extra` (an extra kind with a built-in's id replaces it). */
export function kindRegistry(...extra: readonly NodeKind[]): KindRegistry {
  return new Map([...builtinKinds, ...extra].map((kind) => [kind.id, kind]));
}
