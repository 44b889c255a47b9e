import { describe, expect, it } from 'vitest';
import { chatbotDefinition, simpleDefinition } from '../chatbots/definition.ts';
import { fromV1, toV1 } from '../pipelines/definition.ts';
import { eventsSection } from './schemas.ts';

const inactivity = (extra: Record<string, unknown>) => ({
  triggers: [
    {
      id: 'nudge',
      on: 'inactivity',
      delaySeconds: 60,
      times: 1,
      from: 'last_message',
      actions: [{ type: 'log' }],
      ...extra,
    },
  ],
});

const issuePaths = (value: unknown) =>
  (eventsSection.safeParse(value).error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('events section', () => {
  it('bounds inactivity delays, repeats and actions, naming the field', () => {
    expect(eventsSection.safeParse(inactivity({})).success).toBe(true);
    expect(issuePaths(inactivity({ delaySeconds: 9 }))).toEqual(['triggers.0.delaySeconds']);
    expect(issuePaths(inactivity({ times: 11 }))).toEqual(['triggers.0.times']);
    expect(issuePaths(inactivity({ actions: [] }))).toEqual(['triggers.0.actions']);
    expect(issuePaths(inactivity({ actions: Array.from({ length: 6 }, () => ({ type: 'log' })) }))).toEqual([
      'triggers.0.actions',
    ]);
    expect(issuePaths(inactivity({ actions: [{ type: 'webhook', url: 'ftp://example.com' }] }))).toEqual([
      'triggers.0.actions.0.url',
    ]);
    expect(issuePaths(inactivity({ on: 'sometimes' }))).toEqual(['triggers.0.on']);
  });

  it('is part of both definition formats and survives their conversion', () => {
    const events = eventsSection.parse(inactivity({}));
    const v1 = chatbotDefinition.parse({
      ...simpleDefinition({
        providerId: 'offline',
        credentialId: null,
        model: 'offline-echo',
        systemPrompt: '',
        parameters: {},
        tools: [],
        maxToolSteps: 1,
      }),
      events,
    });
    expect(v1.events).toEqual(events);
    expect(fromV1(v1).events).toEqual(events);
    expect(toV1(fromV1(v1))).toEqual(v1);
  });
});
