import { and, eq } from 'drizzle-orm';
import type { JsonObject } from '../../plugins/sdk/index.ts';
import { database } from '../db/client.ts';
import { conversations, participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { renderSchedules } from '../schedules/prompt-variable.ts';
import type { Schedule } from '../schedules/types.ts';
import type { MessageContext } from './message-extras.ts';
import type { ConversationMeta } from './meta.ts';

/**
 * `{{…}}` variables in a system prompt, filled in on every turn:
 *   {{participant.name}}  {{participant.id}}  {{participant.data.<key>}}
 *   {{participant.schedules}}  (their active scheduled messages with this chatbot, one line each, at most 20:
 *     worker/schedules/prompt-variable.ts)
 *   {{page.url}}  {{page.title}}  {{page.<custom field>}}  (the widget's page context)
 *   {{date}} (UTC, YYYY-MM-DD)  {{datetime}} (UTC, ISO 8601)
 * An unknown or empty variable becomes an empty string, so a prompt never shows raw braces to the model.
 */
const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

// Participant data and page fields come from integrations and visitors: one line each, bounded, so a value cannot
// restructure the prompt around it.
const MAX_VALUE_CHARS = 500;

export interface PromptParticipant {
  externalId: string;
  name: string | null;
  data: JsonObject;
}

export interface PromptValues {
  participant: PromptParticipant | null;
  /** The participant's schedules, when the prompt names `{{participant.schedules}}`; null without a participant. */
  schedules?: readonly Schedule[] | null;
  page: MessageContext | undefined;
  now: number;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_VALUE_CHARS);
}

function lookup(path: string, values: PromptValues): unknown {
  const [root, ...rest] = path.split('.');
  if (root === 'date') return new Date(values.now).toISOString().slice(0, 10);
  if (root === 'datetime') return new Date(values.now).toISOString();
  if (root === 'participant') {
    const participant = values.participant;
    if (!participant) return '';
    if (rest[0] === 'name') return participant.name;
    if (rest[0] === 'id') return participant.externalId;
    if (rest[0] === 'data' && rest.length > 1) return rest.slice(1).reduce<unknown>(child, participant.data);
    return '';
  }
  if (root === 'page') {
    const page = values.page;
    if (!page || rest.length !== 1) return '';
    const key = rest[0] as string;
    if (key === 'url') return page.url;
    if (key === 'title') return page.title;
    return page.fields?.[key];
  }
  return '';
}

const child = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;

export const usesVariables = (template: string) => template.includes('{{');
/** Whether a prompt names a participant variable read from D1 (`{{participant.schedules}}` is read elsewhere). */
export const usesParticipant = (template: string) => /\{\{\s*participant\.(?!schedules\s*\}\})/.test(template);

export function renderPrompt(template: string, values: PromptValues): string {
  return template.replace(VARIABLE, (_match, path: string) =>
    // Several lines, each bounded by the renderer (a line per schedule), rather than one line of 500 characters.
    path === 'participant.schedules' ? renderSchedules(values.schedules ?? null) : text(lookup(path, values)),
  );
}

/**
 * The conversation's participant, for `{{participant.…}}`; null for conversations without one. Two reads, since the
 * conversation's row is in its team's shard and participants are control plane (`DB`): the participant's id (from
 * the object's meta, else the row), then the participant.
 */
export async function loadPromptParticipant(env: Env, meta: ConversationMeta): Promise<PromptParticipant | null> {
  const participantId =
    meta.participantId ??
    (
      await teamDatabase(env, meta.teamId).query.conversations.findFirst({
        where: and(eq(conversations.id, meta.conversationId), eq(conversations.teamId, meta.teamId)),
        columns: { participantId: true },
      })
    )?.participantId;
  if (!participantId) return null;
  const [row] = await database(env.DB)
    .select({ externalId: participants.externalId, name: participants.name, data: participants.data })
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.teamId, meta.teamId)))
    .limit(1);
  return row ?? null;
}
