import type { BurstPolicy } from '../chatbots/definition.ts';
import { newId } from '../ids.ts';
import type { ConversationStore } from './store.ts';

/**
 * Which turn answers a new user message. `queue`: a turn of its own, answered in order. `merge`: the turn already
 * waiting to run, if any, so a burst of messages gets one reply — except a turn the bot started itself (trigger),
 * which answers its instruction, not the user, and a turn waiting to resume its run.
 */
export function assignTurn(store: ConversationStore, policy: BurstPolicy, now: number): string {
  const waiting = policy === 'merge' ? store.pendingTurn() : undefined;
  // A turn queued to resume after an eviction (it kept its reply id) continues a run whose input is fixed.
  if (waiting && waiting.reply_message_id === null && store.turnInstruction(waiting.id) === null) return waiting.id;
  const turnId = newId('turn', now);
  store.createTurn(turnId, now);
  return turnId;
}
