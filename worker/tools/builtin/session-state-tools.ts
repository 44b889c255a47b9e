import type { HostTool, JsonValue } from '../../../plugins/sdk/index.ts';
import type { NodeChatRequest } from '../../../plugins/sdk/node/services.ts';
import type { HostTurnContext, SessionStateAccess } from '../tool-source.ts';

/** Key length, as participant data keys (worker/participant-data/schemas.ts): the whole state stays ≤ 256 KB. */
const MAX_KEY_CHARS = 200;
const key = { type: 'string', minLength: 1, maxLength: MAX_KEY_CHARS };

/** The turn's session state and end hook from the calling node's hooks (worker/conversation/pipeline-llm.ts). */
export function sessionHooks(
  hooks: NonNullable<NodeChatRequest['turnHooks']>,
): Pick<HostTurnContext, 'session' | 'endConversation'> {
  const { state } = hooks;
  const session: SessionStateAccess = {
    all: () => state.all('session'),
    set: (k, value) => state.set('session', k, value),
    append: (k, value) => state.append('session', k, value),
    increment: (k, by) => state.increment('session', k, by),
  };
  return { session, endConversation: (reason) => hooks.endConversation(reason) };
}

const noSession = { error: 'session state is available only in a pipeline run' };

/**
 * The built-in `session_state` set: reads and writes keys of this conversation's session state (the JSON object
 * pipeline nodes share across turns, worker/conversation/session-state.ts), nothing else.
 */
export function sessionStateTools(turn: HostTurnContext): HostTool[] {
  const write = (change: (s: SessionStateAccess) => void): JsonValue => {
    if (!turn.session) return noSession;
    try {
      change(turn.session);
    } catch (error) {
      return { error: error instanceof Error ? error.message : 'the write was refused' };
    }
    return { state: { ...turn.session.all() } };
  };
  return [
    {
      name: 'get_session_state',
      description: "Read this conversation's session state (one JSON object).",
      parameters: { type: 'object', properties: {}, additionalProperties: false },
      run: async () => (turn.session ? { state: { ...turn.session.all() } } : noSession),
    },
    {
      name: 'set_session_state',
      description: "Set one key of this conversation's session state.",
      parameters: {
        type: 'object',
        properties: { key, value: { description: 'The new value' } },
        required: ['key', 'value'],
        additionalProperties: false,
      },
      run: async (args) => write((s) => s.set(String(args.key), args.value ?? null)),
    },
    {
      name: 'append_session_state',
      description: 'Append a value to a list in the session state (created when missing).',
      parameters: {
        type: 'object',
        properties: { key, value: { description: 'The value to append' } },
        required: ['key', 'value'],
        additionalProperties: false,
      },
      run: async (args) => write((s) => s.append(String(args.key), args.value ?? null)),
    },
    {
      name: 'increment_session_state',
      description: 'Add a number to a numeric key of the session state (missing counts as 0).',
      parameters: {
        type: 'object',
        properties: { key, by: { type: 'number', description: 'How much to add (default 1)' } },
        required: ['key'],
        additionalProperties: false,
      },
      run: async (args) =>
        write((s) => {
          const current = s.all()[String(args.key)];
          if (current !== undefined && typeof current !== 'number') throw new Error(`${args.key} is not a number`);
          s.increment(String(args.key), typeof args.by === 'number' ? args.by : 1);
        }),
    },
  ];
}

/** The built-in `end_conversation` set: ends this conversation after the current reply; touches nothing else. */
export function endConversationTools(turn: HostTurnContext): HostTool[] {
  return [
    {
      name: 'end_conversation',
      description: 'End this conversation after your current reply (say goodbye in that reply).',
      parameters: {
        type: 'object',
        properties: { reason: { type: 'string', maxLength: 200 } },
        additionalProperties: false,
      },
      run: async (args): Promise<JsonValue> => {
        if (!turn.endConversation) return { error: 'ending the conversation is available only in a pipeline run' };
        turn.endConversation(typeof args.reason === 'string' ? args.reason : undefined);
        return { ended: true, note: 'The conversation ends after this reply.' };
      },
    },
  ];
}
