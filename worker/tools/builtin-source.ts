import type { HostTool } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { reminderTools } from '../schedules/reminder-tools.ts';
import { calculatorTools } from './builtin/calculator-tools.ts';
import { participantDataTools } from './builtin/participant-data-tools.ts';
import { endConversationTools, sessionStateTools } from './builtin/session-state-tools.ts';
import type { HostTurnContext, ToolCatalogEntry, ToolSource } from './tool-source.ts';

/** A built-in tool set: what it is for and what it may touch (issue 18 §3: "each documents what it can touch"). */
export interface HostToolSet {
  title: string;
  description: string;
  build(turn: HostTurnContext): HostTool[];
}

/** Built-in tool sets by id. Each closes over the turn, so it can touch only that conversation's participant. */
export const HOST_TOOL_SETS: ReadonlyMap<string, HostToolSet> = new Map([
  [
    'builtin:reminders',
    {
      title: 'Reminders',
      description:
        "Create, list, move and cancel the participant's reminders with this chatbot (their scheduled messages).",
      build: (turn: HostTurnContext) => reminderTools(turn),
    },
  ],
  [
    'builtin:participant_data',
    {
      title: 'Participant data',
      description:
        "Read, set keys of and append to lists in what this chatbot stores about the conversation's participant " +
        "(their participant data with this chatbot, at most 256 KB); no other chatbot's or participant's data.",
      build: (turn: HostTurnContext) => participantDataTools(turn),
    },
  ],
  [
    'builtin:session_state',
    {
      title: 'Session state',
      description:
        "Read, set, append to and increment keys of this conversation's session state (shared by the pipeline's " +
        'nodes across turns); nothing outside this conversation.',
      build: (turn: HostTurnContext) => sessionStateTools(turn),
    },
  ],
  [
    'builtin:end_conversation',
    {
      title: 'End conversation',
      description:
        'Ends this conversation after the current reply (fires conversation_ended, by the bot); touches nothing else.',
      build: (turn: HostTurnContext) => endConversationTools(turn),
    },
  ],
  [
    'builtin:calculator',
    {
      title: 'Calculator',
      description: 'Evaluates arithmetic expressions exactly (no code runs); touches no data.',
      build: () => calculatorTools(),
    },
  ],
]);

/**
 * A context that builds a set's functions for their names and schemas only: listing never runs a tool, so it
 * needs no bindings (an `env` that is touched throws).
 */
const DESCRIBE_ONLY: HostTurnContext = {
  env: new Proxy({} as Env, {
    get() {
      throw new Error('a described tool set must not touch bindings');
    },
  }),
  teamId: '',
  chatbotId: '',
  conversationId: '',
  participantId: null,
  clock: systemClock,
};

export const builtinToolSource: ToolSource = {
  prefix: 'builtin:',
  kind: 'builtin',
  async unknownIds(_db, _teamId, ids) {
    return new Map(
      ids.filter((id) => !HOST_TOOL_SETS.has(id)).map((id) => [id, `built-in tool set "${id}" does not exist`]),
    );
  },
  async list(): Promise<ToolCatalogEntry[]> {
    return [...HOST_TOOL_SETS].map(([id, set]) => ({
      id,
      kind: 'builtin',
      title: set.title,
      description: set.description,
      functions: set
        .build(DESCRIBE_ONLY)
        .map(({ name, description, parameters }) => ({ name, description, parameters })),
    }));
  },
  async tools(turn, ids) {
    return ids.flatMap((id) => {
      const set = HOST_TOOL_SETS.get(id);
      if (!set) throw new Error(`Built-in tool set "${id}" does not exist`);
      return set.build(turn);
    });
  },
};
