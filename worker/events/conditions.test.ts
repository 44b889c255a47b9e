import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { pipeline } from '../pipelines/testing.ts';
import type { EventsSection } from './schemas.ts';
import { logOf } from './testing.ts';

const log = (message: string) => [{ type: 'log' as const, message }];

/** Each condition once where it holds and once where it does not; participant_joined only for a first conversation. */
const events: EventsSection = {
  triggers: [
    { id: 'started', on: 'conversation_started', actions: log('started') },
    { id: 'joined', on: 'participant_joined', actions: log('joined') },
    { id: 'tagger', on: 'user_message', actions: [{ type: 'tag', name: 'seen' }] },
    // Set by the pipeline's set_state node, so true by the time its reply completes.
    { id: 'vip', on: 'bot_message', conditions: { sessionState: { key: 'vip', equals: true } }, actions: log('vip') },
    {
      id: 'not-vip',
      on: 'bot_message',
      conditions: { sessionState: { key: 'vip', equals: false } },
      actions: log('x'),
    },
    // Added by this conversation's own event a moment earlier, not yet in D1.
    { id: 'tagged', on: 'bot_message', conditions: { hasTag: 'seen' }, actions: log('tagged') },
    { id: 'untagged', on: 'bot_message', conditions: { hasTag: 'other' }, actions: log('x') },
    // A tag put on the conversation over the API: read from D1.
    { id: 'd1-tagged', on: 'user_message', conditions: { hasTag: 'escalated' }, actions: log('escalated') },
    {
      id: 'pro',
      on: 'user_message',
      conditions: { participantData: { key: 'plan', equals: 'pro' } },
      actions: log('pro'),
    },
    {
      id: 'free',
      on: 'user_message',
      conditions: { participantData: { key: 'plan', equals: 'free' } },
      actions: log('x'),
    },
    { id: 'api-only', on: 'user_message', conditions: { channels: ['api'] }, actions: log('api') },
    { id: 'widget-only', on: 'user_message', conditions: { channels: ['widget'] }, actions: log('x') },
    {
      id: 'all-of',
      on: 'user_message',
      conditions: { channels: ['api'], participantData: { key: 'plan', equals: 'free' } },
      actions: log('x'),
    },
  ],
};

const definition = pipeline(
  [
    ['start', 'start'],
    ['mark', 'set_state', { operations: [{ op: 'assign', scope: 'session', key: 'vip', value: true }] }],
    ['end', 'end'],
  ],
  ['start - mark', 'mark - end'],
  { events },
) as unknown as ChatbotDefinition;

describe('trigger conditions and participant_joined', { timeout: 40_000 }, () => {
  it('fires where channel, tag, session state and participant data hold, and joined only the first time', async () => {
    const demo = await seedDemo();
    const chatbotId = await addChatbot(demo.teamId, definition);
    const start = async () => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/conversations`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId, participant: { id: 'grace' } }) }),
      );
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; participantId: string };
    };
    const send = async (conversationId: string) => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'hello' }) }),
      );
      expect(res.status).toBe(201);
    };
    const fired = async (conversationId: string, count: number) =>
      (await logOf(demo.apiKey, conversationId, count)).map((entry) => entry.trigger.id).sort();

    const first = await start();
    const data = await SELF.fetch(
      `${BASE}/api/v1/participants/${first.participantId}/data/${chatbotId}`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ plan: 'pro' }) }),
    );
    expect(data.status).toBeLessThan(300);
    await send(first.id);
    expect(await fired(first.id, 7)).toEqual(['api-only', 'joined', 'pro', 'started', 'tagged', 'tagger', 'vip']);

    // The same participant's second conversation: not "joined" again; a tag from the API counts (read from D1).
    const second = await start();
    expect(second.participantId).toBe(first.participantId);
    const tagged = await SELF.fetch(
      `${BASE}/api/v1/conversations/${second.id}/tags`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ tags: ['escalated'] }) }),
    );
    expect(tagged.status).toBe(200);
    await send(second.id);
    expect(await fired(second.id, 7)).toEqual(['api-only', 'd1-tagged', 'pro', 'started', 'tagged', 'tagger', 'vip']);
  });
});
