import { env, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { conversations } from '../db/schema/index.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import { upsertParticipant } from '../participants/upsert.ts';
import type { NewSchedule } from './types.ts';

/** A fresh participant of a freshly seeded demo team (whose chatbot is published). */
export async function scheduleFixture(): Promise<ParticipantRef & { chatbotId: string; apiKey: string }> {
  const demo = await seedDemo();
  const { row } = await upsertParticipant(
    database(env.DB),
    { teamId: demo.teamId, platform: 'api', externalId: `p-${crypto.randomUUID()}` },
    {},
  );
  return { teamId: demo.teamId, participantId: row.id, chatbotId: demo.chatbotId, apiKey: demo.apiKey };
}

export const participantObject = (ref: ParticipantRef) =>
  env.PARTICIPANTS.get(env.PARTICIPANTS.idFromName(`${ref.teamId}:${ref.participantId}`));

export const oneOff = (chatbotId: string, startAt: number, prompt = 'Remind them to drink water'): NewSchedule => ({
  chatbotId,
  prompt,
  timeZone: 'UTC',
  startAt,
  recurrence: null,
  origin: 'api',
});

/** Makes every waiting row (due later, or retrying with backoff) due now: time travel without a fake clock. */
export const makeDueNow = (ref: ParticipantRef) =>
  runInDurableObject(participantObject(ref), (_instance, state) => {
    state.storage.sql.exec('UPDATE schedules SET wake_at = ? WHERE wake_at IS NOT NULL', Date.now() - 1);
  });

export const conversationsOf = (participantId: string) =>
  database(env.DB).query.conversations.findMany({ where: eq(conversations.participantId, participantId) });
