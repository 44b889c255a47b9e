/**
 * Pure transforms between a chatbot definition's `events` section (worker/events/schemas.ts) and what the Events
 * tab edits: defaults for a new trigger or action, switching a trigger's type, conditions as text fields, delays in
 * a unit, and the API's field errors keyed by their place in the section. Both definition formats carry the same
 * optional `events`, so nothing here depends on the format.
 */
import type { ActionType, EventAction } from '../../../../worker/events/action-schemas.ts';
import type { EventsSection, EventTrigger, TriggerConditions, TriggerType } from '../../../../worker/events/schemas.ts';

export type { EventAction, EventTrigger, TriggerConditions };

/** docs/events.md: at most 20 triggers per chatbot and 1–5 actions per trigger. */
export const MAX_TRIGGERS = 20;
export const MAX_ACTIONS = 5;

/** The id a new trigger of type `on` gets: the type in the id alphabet, numbered when taken. */
export function uniqueTriggerId(on: TriggerType, taken: readonly string[]): string {
  const base = on.replace(/_/g, '-');
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export function newAction(type: ActionType): EventAction {
  switch (type) {
    case 'bot_message':
      return { type, prompt: '' };
    case 'send_message':
      return { type, text: '' };
    case 'end_conversation':
      return { type };
    case 'tag':
      return { type, name: '' };
    case 'log':
      return { type };
    case 'webhook':
      return { type, url: '' };
    case 'start_pipeline':
      return { type, chatbotId: '', history: 'none' };
    case 'schedule_message':
      return { type, prompt: '', delay: { amount: 1, unit: 'days' } };
  }
}

/** `trigger` as type `on`: id, conditions and actions kept; the fields of its old type dropped, the new one's added. */
export function withTriggerType(trigger: EventTrigger, on: TriggerType): EventTrigger {
  const common = {
    id: trigger.id,
    actions: trigger.actions,
    ...(trigger.conditions && { conditions: trigger.conditions }),
  };
  if (on === 'inactivity')
    return trigger.on === 'inactivity' ? trigger : { ...common, on, delaySeconds: 600, times: 1, from: 'last_message' };
  if (on === 'conversation_ended') return trigger.on === on ? trigger : { ...common, on };
  return { ...common, on };
}

export function newTrigger(on: TriggerType, taken: readonly string[]): EventTrigger {
  return withTriggerType({ id: uniqueTriggerId(on, taken), on: 'user_message', actions: [newAction('log')] }, on);
}

/** `list` with the item at `index` moved by `delta` places (clamped), as a new array. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = Math.min(list.length - 1, Math.max(0, index + delta));
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

export const replaceItem = <T>(list: readonly T[], index: number, item: T): T[] =>
  list.map((current, i) => (i === index ? item : current));

export const removeItem = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

// ── conditions ────────────────────────────────────────────────────────────────────────────────────────────────

/** The conditions as the form's text fields; an empty field is a condition not set. */
export interface ConditionFields {
  channels: string;
  hasTag: string;
  sessionKey: string;
  sessionEquals: string;
  dataKey: string;
  dataEquals: string;
}

type Scalar = string | number | boolean | null;

/**
 * A condition's value from its text: `true`, `false`, `null`, a number or a quoted string are read as JSON, anything
 * else is the text itself (so `pro` means the string "pro", and `"42"` the string 42 rather than the number).
 */
export function parseScalar(text: string): Scalar {
  const trimmed = text.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Scalar;
  } catch {
    // Not JSON: the text itself.
  }
  return trimmed;
}

/** The text parseScalar reads back as `value`. */
export function scalarText(value: Scalar): string {
  if (typeof value === 'string') return parseScalar(value) === value ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

export function conditionFields(conditions: TriggerConditions | undefined): ConditionFields {
  return {
    channels: conditions?.channels?.join(', ') ?? '',
    hasTag: conditions?.hasTag ?? '',
    sessionKey: conditions?.sessionState?.key ?? '',
    sessionEquals: conditions?.sessionState ? scalarText(conditions.sessionState.equals) : '',
    dataKey: conditions?.participantData?.key ?? '',
    dataEquals: conditions?.participantData ? scalarText(conditions.participantData.equals) : '',
  };
}

/** The conditions the fields set, or undefined when none is (the trigger then always fires). */
export function conditionsOf(fields: ConditionFields): TriggerConditions | undefined {
  const channels = fields.channels
    .split(/[\s,]+/)
    .map((channel) => channel.trim())
    .filter(Boolean);
  const conditions: TriggerConditions = {
    ...(channels.length > 0 && { channels }),
    ...(fields.hasTag.trim() && { hasTag: fields.hasTag.trim() }),
    ...(fields.sessionKey.trim() && {
      sessionState: { key: fields.sessionKey.trim(), equals: parseScalar(fields.sessionEquals) },
    }),
    ...(fields.dataKey.trim() && {
      participantData: { key: fields.dataKey.trim(), equals: parseScalar(fields.dataEquals) },
    }),
  };
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

// ── delays ───────────────────────────────────────────────────────────────────────────────────────────────────

export const DELAY_UNITS = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
  ['days', 86_400],
] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number][0];

/** `seconds` in the largest unit that divides it (600 → 10 minutes), for the inactivity delay's two fields. */
export function splitSeconds(seconds: number): { amount: number; unit: DelayUnit } {
  for (const [unit, size] of [...DELAY_UNITS].reverse())
    if (Number.isInteger(seconds) && seconds > 0 && seconds % size === 0) return { amount: seconds / size, unit };
  return { amount: seconds, unit: 'seconds' };
}

export const joinSeconds = (amount: number, unit: DelayUnit): number =>
  amount * (DELAY_UNITS.find(([name]) => name === unit)?.[1] ?? 1);

// ── saving ───────────────────────────────────────────────────────────────────────────────────────────────────

/** An action as it is saved: optional fields left empty are left out, so the schema never sees an empty string. */
export function cleanAction(action: EventAction): EventAction {
  if (action.type === 'log') return action.message?.trim() ? action : { type: 'log' };
  if (action.type === 'webhook') {
    const { secretCredentialId, ...rest } = action;
    return secretCredentialId ? action : rest;
  }
  if (action.type === 'schedule_message' && action.repeat) {
    const { times, until, ...repeat } = action.repeat;
    return {
      ...action,
      repeat: {
        ...repeat,
        ...(times !== null && times !== undefined && !Number.isNaN(times) && { times }),
        ...(until && { until }),
      },
    };
  }
  return action;
}

export const cleanTrigger = (trigger: EventTrigger): EventTrigger => ({
  ...trigger,
  actions: trigger.actions.map(cleanAction),
});

/** `definition` with these triggers as its events section (none: the section removed); the rest kept as it is. */
export function withTriggers<D extends { events?: EventsSection }>(
  definition: D,
  triggers: readonly EventTrigger[],
): D {
  const { events: _events, ...rest } = definition;
  return (triggers.length > 0 ? { ...rest, events: { triggers: triggers.map(cleanTrigger) } } : rest) as D;
}

// ── field errors ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The API's problems with the events section, keyed by their place in it (`triggers.0.actions.1.chatbotId`). A v1
 * definition's 400 names fields `body.definition.events.triggers.0.…`; a pipeline's `definition.events.triggers[0]…`
 * (in a 400 or in the saved draft's `issues`): both read the same here. Problems elsewhere are left out.
 */
export function eventFieldErrors(details: unknown): Map<string, string> {
  const errors = new Map<string, string>();
  if (!Array.isArray(details)) return errors;
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { field, path, message } = detail as { field?: unknown; path?: unknown; message?: unknown };
    const where = String(field ?? path ?? '').replace(/\[(\d+)\]/g, '.$1');
    const at = where.search(/(^|\.)events\.triggers(\.|$)/);
    if (at < 0) continue;
    const key = where.slice(where.indexOf('events.triggers', at) + 'events.'.length);
    if (!errors.has(key)) errors.set(key, String(message ?? 'invalid'));
  }
  return errors;
}

/** The errors under `prefix` (`triggers.2`), keyed relative to it (`actions.0.prompt`; '' for the prefix itself). */
export function errorsUnder(errors: ReadonlyMap<string, string>, prefix: string): Map<string, string> {
  const under = new Map<string, string>();
  for (const [key, message] of errors) {
    if (key === prefix) under.set('', message);
    else if (key.startsWith(`${prefix}.`)) under.set(key.slice(prefix.length + 1), message);
  }
  return under;
}
