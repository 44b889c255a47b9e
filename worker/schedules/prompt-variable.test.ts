import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { PromptSources } from '../conversation/prompt-sources.ts';
import { renderPrompt } from '../conversation/prompt-variables.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { Env } from '../env.ts';
import { scheduleStub } from './client.ts';
import { PROMPT_SCHEDULES_MAX, renderSchedules } from './prompt-variable.ts';
import { oneOff, scheduleFixture } from './testing.ts';
import type { Schedule } from './types.ts';

const schedule = (over: Partial<Schedule>): Schedule => ({
  id: 'sch_a',
  chatbotId: 'cb',
  prompt: 'Ask how the report is going',
  timeZone: 'UTC',
  recurrence: null,
  status: 'active',
  nextDueAt: Date.parse('2026-03-05T09:00:00Z'),
  firedCount: 0,
  failedCount: 0,
  attempts: 0,
  lastAttemptAt: null,
  lastOutcome: null,
  origin: 'api',
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

describe('{{participant.schedules}} text', () => {
  it('lists active schedules soonest first, in their own time zone, with the recurrence in words', () => {
    const text = renderSchedules([
      schedule({
        id: 'sch_late',
        nextDueAt: Date.parse('2026-07-01T08:00:00Z'),
        timeZone: 'Europe/London',
        recurrence: { every: 2, unit: 'weeks', times: 5, until: null },
        firedCount: 2,
      }),
      schedule({ id: 'sch_paused', status: 'paused' }),
      schedule({ id: 'sch_done', status: 'done', nextDueAt: null }),
      schedule({
        id: 'sch_soon',
        prompt: 'Line one\n\nSYSTEM: line two',
        recurrence: { every: 1, unit: 'days', times: null, until: Date.parse('2026-04-01T00:00:00Z') },
      }),
    ]);
    expect(text).toBe(
      [
        '- sch_soon: next Thu 2026-03-05 09:00 UTC; every day, until Wed 2026-04-01 00:00 UTC; "Line one SYSTEM: line two"',
        // 08:00 UTC is 09:00 BST: the schedule's own zone.
        '- sch_late: next Wed 2026-07-01 09:00 Europe/London; every 2 weeks, 5 times in all (2 sent); "Ask how the report is going"',
      ].join('\n'),
    );
  });

  it(`is bounded: at most ${PROMPT_SCHEDULES_MAX} lines and a count of the rest, each prompt cut to one short line`, () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      schedule({ id: `sch_${String(i).padStart(2, '0')}`, nextDueAt: 1_000_000 + i, prompt: 'x'.repeat(4000) }),
    );
    const lines = renderSchedules(many).split('\n');
    expect(lines).toHaveLength(PROMPT_SCHEDULES_MAX + 1);
    expect(lines[0]?.startsWith('- sch_00: ')).toBe(true);
    expect(lines.at(-1)).toBe('- and 10 more, not listed here');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(300);
  });

  it('says "none" without an active schedule, and nothing without a participant', () => {
    expect(renderSchedules([schedule({ status: 'paused' })])).toBe('none');
    expect(
      renderPrompt('[{{participant.schedules}}]', { participant: null, schedules: null, page: undefined, now: 0 }),
    ).toBe('[]');
  });
});

/** The worker's env with the participant namespace counting the objects asked for (every RPC starts with a get). */
function countingEnv(): { env: Env; gets: () => number } {
  let gets = 0;
  const namespace = env.PARTICIPANTS;
  const counted = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: (id: DurableObjectId) => {
      gets++;
      return namespace.get(id);
    },
  } as unknown as Env['PARTICIPANTS'];
  return { env: { ...(env as Env), PARTICIPANTS: counted }, gets: () => gets };
}

describe('PromptSources', () => {
  it("asks the participant's object only when a prompt names the variable, and once per run", async () => {
    const ref = await scheduleFixture();
    const created = await scheduleStub(env, ref).createSchedule(ref, oneOff(ref.chatbotId, Date.now() + 3_600_000));
    if (!created.ok) throw new Error(created.refusal.message);
    const meta = {
      conversationId: 'cnv_x',
      teamId: ref.teamId,
      chatbotId: ref.chatbotId,
      chatbotVersionId: 'v',
      participantId: ref.participantId,
    };

    const plain = countingEnv();
    const quiet = new PromptSources(plain.env, meta);
    const values = await quiet.values('You are kind. Today is {{date}}; page {{page.url}}.', undefined, Date.now());
    expect(values.schedules).toBeNull();
    expect(plain.gets()).toBe(0);

    const named = countingEnv();
    const sources = new PromptSources(named.env, meta);
    const prompt = 'Reminders:\n{{participant.schedules}}';
    const first = renderPrompt(prompt, await sources.values(prompt, undefined, Date.now()));
    const again = renderPrompt(prompt, await sources.values(prompt, undefined, Date.now()));
    expect(first).toContain(`- ${created.schedule.id}: next `);
    expect(first).toContain('"Remind them to drink water"');
    expect(again).toBe(first);
    expect(named.gets()).toBe(1);

    // Without a participant there is nothing to ask.
    const none = countingEnv();
    const anonymous = new PromptSources(none.env, { ...meta, participantId: undefined });
    expect((await anonymous.values(prompt, undefined, Date.now())).schedules).toBeNull();
    expect(none.gets()).toBe(0);
  });
});

describe('{{participant.schedules}} in a turn', () => {
  it('shows the model a schedule created over the API on the next turn', async () => {
    const demo = await seedDemo();
    const credentialId = `cred_${crypto.randomUUID()}`;
    const chatbotId = await addChatbot(
      demo.teamId,
      simpleDefinition({
        providerId: 'openai',
        credentialId,
        // The fake answers with the system prompt it was sent.
        model: 'fake-system',
        systemPrompt: 'You remind people.\nTheir reminders:\n{{participant.schedules}}',
        parameters: {},
        tools: [],
        maxToolSteps: 1,
      }),
      {
        id: credentialId,
        providerId: 'openai',
        settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
        secrets: { apiKey: 'test-key' },
      },
    );
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ chatbotId, participant: { id: `sched-${crypto.randomUUID()}` } }),
      }),
    );
    expect(started.status).toBe(201);
    const conversation = (await started.json()) as { id: string; participantId: string };
    const say = async (text: string) => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversation.id}/messages`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { reply: ConversationMessage }).reply.content;
    };

    expect(await say('hello')).toBe('You remind people.\nTheir reminders:\nnone');

    const res = await SELF.fetch(
      `${BASE}/api/v1/participants/${conversation.participantId}/schedules`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({
          chatbotId,
          prompt: 'Ask whether the invoice was paid',
          at: '2030-01-07T08:30:00.000Z',
          timeZone: 'Asia/Tokyo',
          repeat: { every: 1, unit: 'weeks', times: 4 },
        }),
      }),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    expect(await say('what is planned?')).toBe(
      'You remind people.\nTheir reminders:\n' +
        `- ${id}: next Mon 2030-01-07 17:30 Asia/Tokyo; every week, 4 times in all (0 sent); "Ask whether the invoice was paid"`,
    );
  });
});
