import type { ConversationDO } from '../conversation-do/conversation-do.ts';
import type { Env } from '../env.ts';

/** What callers may ask of a conversation object. */
export type ConversationRpc = Pick<
  ConversationDO,
  'listMessages' | 'getMessage' | 'cancel' | 'trigger' | 'end' | 'history' | 'feedback'
> & {
  fetch(url: string, init?: RequestInit): Promise<Response>;
};

/**
 * The stub of a conversation's Durable Object, addressed by the conversation id. The cast names the RPC surface:
 * the inferred stub type recurses through JsonObject beyond TypeScript's instantiation depth limit.
 */
export function conversationStub(env: Env, conversationId: string): ConversationRpc {
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId)) as unknown as ConversationRpc;
}
