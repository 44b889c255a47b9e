import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../plugins/sdk/index.ts';
import type { StateScope } from '../../../plugins/sdk/node/state.ts';
import { loadParticipantData } from '../../participant-data/client.ts';
import { systemClock } from '../../ports/clock.ts';
import { scheduleFixture } from '../../schedules/testing.ts';
import { toolboxFor } from '../toolbox.ts';
import { sessionHooks } from './session-state-tools.ts';

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };

async function turnFor(participant: boolean) {
  const fx = await scheduleFixture();
  return {
    fx,
    turn: {
      env,
      teamId: fx.teamId,
      chatbotId: fx.chatbotId,
      conversationId: 'conv_x',
      participantId: participant ? fx.participantId : null,
      clock: systemClock,
    },
  };
}

describe('builtin:participant_data', () => {
  it('reads, sets and appends the participant’s data with this chatbot in their ParticipantDO', async () => {
    const { fx, turn } = await turnFor(true);
    const toolbox = await toolboxFor(turn, ['builtin:participant_data']);
    const call = async (name: string, args: unknown) =>
      JSON.parse((await toolbox.run({ id: `c-${name}`, name, arguments: JSON.stringify(args) }, ports)).output);

    expect(await call('get_participant_data', {})).toEqual({ data: {} });
    expect(await call('update_participant_data', { values: { plan: 'pro', visits: 2 } })).toEqual({
      data: { plan: 'pro', visits: 2 },
    });
    await call('append_participant_data', { key: 'topics', value: 'billing' });
    await call('append_participant_data', { key: 'topics', value: 'refunds' });
    const stored = { plan: 'pro', visits: 2, topics: ['billing', 'refunds'] };
    expect(await call('get_participant_data', {})).toEqual({ data: stored });
    // Persisted in the object: read back through the client, as a later turn would.
    const key = { teamId: fx.teamId, participantId: fx.participantId, chatbotId: fx.chatbotId };
    expect(await loadParticipantData(env, key)).toEqual(stored);
    // Another chatbot of the same participant sees none of it.
    expect(await loadParticipantData(env, { ...key, chatbotId: 'bot_other' })).toEqual({});

    // Bounded: past 256 KB the object refuses and nothing changes; bad arguments never reach it.
    const big = await call('update_participant_data', { values: { blob: 'x'.repeat(300_000) } });
    expect(big.error).toContain('at most');
    expect(await loadParticipantData(env, key)).toEqual(stored);
    const refused = await toolbox.run(
      { id: 'c', name: 'update_participant_data', arguments: JSON.stringify({ values: { ['k'.repeat(201)]: 1 } }) },
      ports,
    );
    expect(refused.ok).toBe(false);
  });

  it('answers an error result when the conversation has no participant', async () => {
    const { turn } = await turnFor(false);
    const toolbox = await toolboxFor(turn, ['builtin:participant_data']);
    const result = await toolbox.run({ id: 'c', name: 'get_participant_data', arguments: '{}' }, ports);
    expect(JSON.parse(result.output)).toEqual({ error: 'this conversation has no participant to store data for' });
  });
});

describe('builtin:calculator', () => {
  it('evaluates through the toolbox and reports errors as results', async () => {
    const { turn } = await turnFor(false);
    const toolbox = await toolboxFor(turn, ['builtin:calculator']);
    const calc = async (expression: string) =>
      JSON.parse(
        (await toolbox.run({ id: 'c', name: 'calculate', arguments: JSON.stringify({ expression }) }, ports)).output,
      );
    expect(await calc('(2 + 3) * 4 ^ 2')).toEqual({ result: 80 });
    expect(await calc('1 / 0')).toEqual({ error: 'division by zero' });
  });
});

describe('builtin:session_state and builtin:end_conversation', () => {
  it('write through the calling node’s state and end hook; refuse outside a pipeline run', async () => {
    const { turn } = await turnFor(false);
    // The node's state API as the engine hands it (read-your-writes); the engine applies these at the barrier.
    const session: Record<string, JsonValue> = { visits: 1 };
    const ended: (string | undefined)[] = [];
    const state = {
      get: (_s: StateScope, k: string) => session[k],
      all: () => session,
      set: (_s: StateScope, k: string, v: JsonValue) => {
        session[k] = v;
      },
      append: (_s: StateScope, k: string, v: JsonValue) => {
        const cur = session[k];
        session[k] = cur === undefined ? [v] : Array.isArray(cur) ? [...cur, v] : [cur, v];
      },
      increment: (_s: StateScope, k: string, by: number) => {
        session[k] = ((session[k] as number | undefined) ?? 0) + by;
      },
      delete: (_s: StateScope, k: string) => {
        delete session[k];
      },
    };
    const hooks = sessionHooks({ state, endConversation: (reason) => ended.push(reason) });
    const ids = ['builtin:session_state', 'builtin:end_conversation'];
    const toolbox = await toolboxFor({ ...turn, ...hooks }, ids);
    const call = async (name: string, args: unknown) =>
      JSON.parse((await toolbox.run({ id: `c-${name}`, name, arguments: JSON.stringify(args) }, ports)).output);
    await call('set_session_state', { key: 'color', value: 'blue' });
    await call('append_session_state', { key: 'log', value: 'a' });
    await call('increment_session_state', { key: 'visits', by: 2 });
    expect(await call('get_session_state', {})).toEqual({ state: { visits: 3, color: 'blue', log: ['a'] } });
    expect(await call('increment_session_state', { key: 'color' })).toEqual({ error: 'color is not a number' });
    expect(await call('end_conversation', { reason: 'done' })).toMatchObject({ ended: true });
    expect(ended).toEqual(['done']);

    const bare = await toolboxFor(turn, ids);
    const out = await bare.run({ id: 'c', name: 'get_session_state', arguments: '{}' }, ports);
    expect(JSON.parse(out.output)).toEqual({ error: 'session state is available only in a pipeline run' });
  });
});
