import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../ports/clock.ts';
import { scheduleFixture } from '../schedules/testing.ts';
import { toolboxFor } from './toolbox.ts';

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };

describe('built-in tool sets', () => {
  it('expands builtin:reminders into reminder tools for the turn’s participant and chatbot', async () => {
    const fx = await scheduleFixture();
    const turn = { env, teamId: fx.teamId, chatbotId: fx.chatbotId, conversationId: 'conv_x', clock: systemClock };
    const toolbox = await toolboxFor({ ...turn, participantId: fx.participantId }, ['builtin:reminders', 'clock']);
    const names = toolbox.specs().map((spec) => spec.name);
    expect(names).toEqual(
      expect.arrayContaining(['create_reminder', 'list_reminders', 'move_reminder', 'cancel_reminder']),
    );

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const call = (name: string, args: unknown) =>
      toolbox.run({ id: `c-${name}`, name, arguments: JSON.stringify(args) }, ports);
    const created = await call('create_reminder', {
      prompt: 'Stretch',
      at,
      timeZone: 'Europe/London',
      every: 1,
      unit: 'days',
    });
    expect(created.ok).toBe(true);
    const reminder = JSON.parse(created.output) as { id: string; status: string };
    expect(reminder.status).toBe('active');
    const listed = JSON.parse((await call('list_reminders', {})).output) as { reminders: { id: string }[] };
    expect(listed.reminders.map((r) => r.id)).toEqual([reminder.id]);
    const later = new Date(Date.now() + 7_200_000).toISOString();
    expect(JSON.parse((await call('move_reminder', { id: reminder.id, at: later })).output).nextDueAt).toBe(later);
    expect(JSON.parse((await call('cancel_reminder', { id: reminder.id })).output).status).toBe('cancelled');
    // Bad arguments are refused by the JSON Schema before the tool runs.
    expect((await call('create_reminder', { prompt: 'x' })).ok).toBe(false);

    // Another chatbot's turn sees none of this chatbot's reminders and cannot cancel them.
    const other = await toolboxFor({ ...turn, chatbotId: 'bot_other', participantId: fx.participantId }, [
      'builtin:reminders',
    ]);
    const foreign = await other.run(
      { id: 'c', name: 'cancel_reminder', arguments: JSON.stringify({ id: reminder.id }) },
      ports,
    );
    expect(JSON.parse(foreign.output)).toEqual({ error: 'no such reminder' });
  });

  it('refuses an unknown built-in set', async () => {
    const fx = await scheduleFixture();
    const turn = {
      env,
      teamId: fx.teamId,
      chatbotId: fx.chatbotId,
      conversationId: 'c',
      participantId: null,
      clock: systemClock,
    };
    await expect(toolboxFor(turn, ['builtin:nope'])).rejects.toThrow('builtin:nope');
  });
});
