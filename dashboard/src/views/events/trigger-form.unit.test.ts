import { describe, expect, it } from 'vitest';
import type { EventsSection } from '../../../../worker/events/schemas.ts';
import {
  conditionFields,
  conditionsOf,
  errorsUnder,
  eventFieldErrors,
  joinSeconds,
  moveItem,
  newTrigger,
  parseScalar,
  scalarText,
  splitSeconds,
  uniqueTriggerId,
  withTriggers,
  withTriggerType,
} from './trigger-form';

describe('triggers in the form', () => {
  it('gives a new trigger a free id and the fields of its type', () => {
    expect(uniqueTriggerId('inactivity', [])).toBe('inactivity');
    expect(uniqueTriggerId('user_message', ['user-message', 'user-message-2'])).toBe('user-message-3');
    expect(newTrigger('inactivity', ['inactivity'])).toEqual({
      id: 'inactivity-2',
      on: 'inactivity',
      delaySeconds: 600,
      times: 1,
      from: 'last_message',
      actions: [{ type: 'log' }],
    });
  });

  it('keeps id, conditions and actions when the type changes, dropping the old type’s fields', () => {
    const timer = newTrigger('inactivity', []);
    const withConditions = { ...timer, conditions: { hasTag: 'vip' } };
    expect(withTriggerType(withConditions, 'conversation_ended')).toEqual({
      id: 'inactivity',
      on: 'conversation_ended',
      conditions: { hasTag: 'vip' },
      actions: [{ type: 'log' }],
    });
    expect(withTriggerType(withConditions, 'inactivity')).toBe(withConditions);
  });

  it('moves an item within bounds', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 5)).toEqual(['b', 'c', 'a']);
  });
});

describe('conditions as text', () => {
  it('reads scalars as JSON and anything else as text, and writes them back the same', () => {
    expect(parseScalar('pro')).toBe('pro');
    expect(parseScalar('42')).toBe(42);
    expect(parseScalar('"42"')).toBe('42');
    expect(parseScalar('true')).toBe(true);
    expect(parseScalar('null')).toBe(null);
    expect(parseScalar('{"a":1}')).toBe('{"a":1}');
    for (const value of ['pro', '42', 42, true, null, 'true'] as const)
      expect(parseScalar(scalarText(value))).toBe(value);
  });

  it('round-trips conditions and leaves out the empty ones', () => {
    const conditions = {
      channels: ['telegram', 'widget'],
      hasTag: 'vip',
      sessionState: { key: 'step', equals: 3 },
      participantData: { key: 'plan', equals: 'pro' },
    };
    expect(conditionsOf(conditionFields(conditions))).toEqual(conditions);
    expect(conditionsOf(conditionFields(undefined))).toBeUndefined();
    expect(conditionsOf({ ...conditionFields(undefined), channels: ' api,, widget ' })).toEqual({
      channels: ['api', 'widget'],
    });
  });
});

describe('delays', () => {
  it('shows seconds in the largest unit that divides them', () => {
    expect(splitSeconds(600)).toEqual({ amount: 10, unit: 'minutes' });
    expect(splitSeconds(172_800)).toEqual({ amount: 2, unit: 'days' });
    expect(splitSeconds(90)).toEqual({ amount: 90, unit: 'seconds' });
    expect(joinSeconds(3, 'hours')).toBe(10_800);
  });
});

describe('saving the section', () => {
  const v1: { schemaVersion: 1; nodes: string[]; events?: EventsSection } = { schemaVersion: 1, nodes: [] };

  it('sets the triggers, removes an empty section, and leaves out empty optional action fields', () => {
    const trigger = {
      ...newTrigger('conversation_started', []),
      actions: [
        { type: 'log' as const, message: '' },
        { type: 'webhook' as const, url: 'https://example.com', secretCredentialId: '' },
        {
          type: 'schedule_message' as const,
          prompt: 'Check in',
          delay: { amount: 2, unit: 'days' as const },
          repeat: { every: 1, unit: 'weeks' as const, times: Number.NaN, until: '' },
        },
      ],
    };
    expect(withTriggers(v1, [trigger]).events?.triggers[0]?.actions).toEqual([
      { type: 'log' },
      { type: 'webhook', url: 'https://example.com' },
      {
        type: 'schedule_message',
        prompt: 'Check in',
        delay: { amount: 2, unit: 'days' },
        repeat: { every: 1, unit: 'weeks' },
      },
    ]);
    expect('events' in withTriggers({ ...v1, events: { triggers: [trigger] } }, [])).toBe(false);
  });

  it('keys the API’s field errors by their place in the section, whichever format named them', () => {
    const errors = eventFieldErrors([
      { field: 'body.definition.events.triggers.0.actions.1.chatbotId', message: 'no chatbot of this team' },
      {
        field: 'definition.events.triggers[2].delaySeconds',
        path: 'definition.events.triggers[2].delaySeconds',
        message: 'too small',
      },
      { path: 'definition.events.triggers[1]', message: 'bad trigger' },
      { field: 'body.definition.nodes.1.model', message: 'not ours' },
      'junk',
    ]);
    expect([...errors]).toEqual([
      ['triggers.0.actions.1.chatbotId', 'no chatbot of this team'],
      ['triggers.2.delaySeconds', 'too small'],
      ['triggers.1', 'bad trigger'],
    ]);
    expect([...errorsUnder(errors, 'triggers.1')]).toEqual([['', 'bad trigger']]);
    expect([...errorsUnder(errors, 'triggers.0')]).toEqual([['actions.1.chatbotId', 'no chatbot of this team']]);
    expect(eventFieldErrors(null).size).toBe(0);
  });
});
