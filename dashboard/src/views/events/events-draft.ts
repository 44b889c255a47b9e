/**
 * Reading and writing the triggers of a chatbot's draft, for either definition format: the draft is read fresh
 * before each save (another tab — Pipeline, Settings — may have saved since) and sent back whole, with only its
 * `events` replaced, under its revision (If-Match), so nothing else of the draft is ever lost or overwritten.
 */
import { get, patch } from '../../lib/http';
import type { Chatbot, Definition } from '../../lib/types';
import type { DefinitionIssue, PipelineDefinition } from '../pipeline/api-types';
import { type EventTrigger, withTriggers } from './trigger-form';

interface DraftAnswer {
  definition: Definition | PipelineDefinition;
  revision?: string;
  issues?: DefinitionIssue[];
}

const draftPath = (chatbotId: string) => `/api/v1/chatbots/${encodeURIComponent(chatbotId)}/versions/0`;

export interface EventsDraft {
  triggers: EventTrigger[];
  schemaVersion: number;
  /** The draft's problems (a pipeline draft is saved with them): shown against the trigger fields they name. */
  issues: DefinitionIssue[];
}

export async function loadEvents(chatbotId: string, signal?: AbortSignal): Promise<EventsDraft> {
  const draft = await get<DraftAnswer>(draftPath(chatbotId), { signal });
  return {
    triggers: draft.definition.events?.triggers ?? [],
    schemaVersion: draft.definition.schemaVersion,
    issues: draft.issues ?? [],
  };
}

/** Saves `triggers` as the draft's events; throws the API's error (a v1 draft's 400 names the field). */
export async function saveEvents(chatbotId: string, triggers: readonly EventTrigger[]): Promise<EventsDraft> {
  const current = await get<DraftAnswer>(draftPath(chatbotId));
  const saved = await patch<Chatbot>(
    `/api/v1/chatbots/${encodeURIComponent(chatbotId)}`,
    { definition: withTriggers(current.definition, triggers) },
    current.revision ? { headers: { 'if-match': current.revision } } : undefined,
  );
  const definition = (saved.draft?.definition ?? current.definition) as Definition | PipelineDefinition;
  return {
    triggers: definition.events?.triggers ?? [],
    schemaVersion: definition.schemaVersion,
    issues: saved.draft?.issues ?? [],
  };
}
