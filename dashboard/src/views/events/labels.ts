/** What the event views call triggers, actions, outcomes and who ended a conversation (docs/events.md). */

import type { ActionType } from '../../../../worker/events/action-schemas.ts';
import type { EventLogView } from '../../../../worker/events/log-routes.ts';
import type { EndedBy, TriggerType } from '../../../../worker/events/schemas.ts';

export const TRIGGER_TYPES: readonly (readonly [TriggerType, string])[] = [
  ['conversation_started', 'Conversation started'],
  ['participant_joined', 'Participant joined (first conversation)'],
  ['user_message', 'User message'],
  ['bot_message', 'Bot reply'],
  ['inactivity', 'Inactivity'],
  ['conversation_ended', 'Conversation ended'],
];

export const ACTION_TYPES: readonly (readonly [ActionType, string])[] = [
  ['bot_message', 'Ask the bot to say something'],
  ['send_message', 'Send a fixed message'],
  ['schedule_message', 'Schedule a message'],
  ['tag', 'Tag the conversation'],
  ['end_conversation', 'End the conversation'],
  ['log', 'Write to the event log'],
  ['webhook', 'Call a webhook'],
  ['start_pipeline', 'Start another chatbot'],
];

export const ENDED_BY: readonly (readonly [EndedBy, string])[] = [
  ['api', 'an API key'],
  ['admin', 'a person in the dashboard'],
  ['bot', 'the bot (an end node)'],
  ['event', 'an event action'],
  ['user', 'the participant'],
];

export const OUTCOME_LABELS: Record<EventLogView['outcome'], string> = {
  ok: 'OK',
  error: 'Error',
  skipped: 'Skipped',
};

const triggerNames = new Map<string, string>(TRIGGER_TYPES);
const actionNames = new Map<string, string>(ACTION_TYPES);

/** The label of a trigger type; an unknown type (a newer worker) shows as it is. */
export const triggerTypeLabel = (type: string) => triggerNames.get(type) ?? type;
export const actionTypeLabel = (type: string) => actionNames.get(type) ?? type;
