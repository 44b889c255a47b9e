/**
 * The seam between events/schedules and the conversation: "send a message to the bot". The conversation's Durable
 * Object runs a turn whose input is `prompt` given to the bot as an instruction (the user does not see it as their
 * own message); the bot's reply is stored, streamed and delivered on the conversation's channel like any reply.
 * It never runs inside another turn: a running turn finishes first. Idempotent by `idempotencyKey` (a redelivered
 * firing returns the first result and runs nothing).
 */
export interface BotMessageRequest {
  prompt: string;
  /** e.g. `timer:<timerId>:<dueAt>` or `schedule:<scheduleId>:<attempt due time>`. */
  idempotencyKey: string;
  /** What asked for it, recorded on the turn's messages' metadata (`metadata.event`). */
  source: { type: 'trigger' | 'schedule' | 'api'; id: string };
}

export interface BotMessageResult {
  /** `ran`: the turn ran now; `duplicate`: the key was seen before; `ended`: the conversation is closed. */
  status: 'ran' | 'duplicate' | 'ended';
  /** The reply message ids of the turn (of the first run, for a duplicate). */
  messageIds: string[];
}
