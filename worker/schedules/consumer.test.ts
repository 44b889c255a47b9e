import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { database } from '../db/client.ts';
import { scheduledMessages } from '../db/schema/index.ts';
import worker from '../index.ts';
import type { QueueMessage } from '../queue/messages.ts';
import type { ScheduleMirrorRow } from './queue-messages.ts';
import { scheduleFixture } from './testing.ts';

const row = (id: string, version: number, status: string): ScheduleMirrorRow => ({
  id,
  chatbotId: 'bot_x',
  prompt: 'p',
  timeZone: 'UTC',
  recurrence: null,
  status,
  nextDueAt: null,
  firedCount: 0,
  failedCount: 0,
  attempts: 0,
  lastAttemptAt: null,
  lastOutcome: null,
  origin: 'api',
  createdAt: 1,
  updatedAt: version,
  version,
});

async function deliver(bodies: QueueMessage[], attempt: number) {
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `m${attempt}-${i}`, timestamp: new Date(), attempts: attempt, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe('the schedule mirror consumer', () => {
  it('keeps the newest version however copies are redelivered or reordered', async () => {
    const fx = await scheduleFixture();
    const ref = { teamId: fx.teamId, participantId: fx.participantId };
    const id = `sch_${crypto.randomUUID().slice(0, 8)}`;
    const newer: QueueMessage = { type: 'schedule.mirror', ...ref, rows: [row(id, 3, 'paused')] };
    const older: QueueMessage = { type: 'schedule.mirror', ...ref, rows: [row(id, 2, 'active')] };
    expect((await deliver([newer], 1)).explicitAcks).toEqual(['m1-0']);
    await deliver([older, newer], 2);
    await deliver([older], 3);
    const stored = await database(env.DB).query.scheduledMessages.findFirst({ where: eq(scheduledMessages.id, id) });
    expect(stored).toMatchObject({ status: 'paused', version: 3, teamId: fx.teamId });
  });

  it('drops copies for a participant that is not in that team', async () => {
    const fx = await scheduleFixture();
    const id = `sch_${crypto.randomUUID().slice(0, 8)}`;
    const foreign: QueueMessage = {
      type: 'schedule.mirror',
      teamId: fx.teamId,
      participantId: 'ptc_missing',
      rows: [row(id, 1, 'active')],
    };
    expect((await deliver([foreign], 1)).explicitAcks).toEqual(['m1-0']);
    expect(
      await database(env.DB).query.scheduledMessages.findFirst({ where: eq(scheduledMessages.id, id) }),
    ).toBeUndefined();
  });
});
