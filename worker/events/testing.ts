import { runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { expect, vi } from 'vitest';
import type { ChannelChat } from '../../test/channels/fixtures.ts';
import { addChatbot, authed, BASE } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { EventsMessage } from '../queue/messages.ts';
import type { TimerRow } from './event-store.ts';
import type { EventLogView } from './log-routes.ts';
import type { EventsSection } from './schemas.ts';

/** Test helpers for timers: read a timer row, and make it due now without waiting (alarms fire on the real clock). */
export function timerRow(chat: ChannelChat, triggerId: string): Promise<TimerRow | undefined> {
  return runInDurableObject(
    chat.stub(),
    (_instance, state) =>
      state.storage.sql.exec<TimerRow>('SELECT * FROM timers WHERE trigger_id = ?', triggerId).toArray()[0],
  );
}

/**
 * Moves a timer's schedule back in time so its next firing is due 1 ms ago, keeping anchor + n × delay (the
 * object computes later due times from the anchor), then runs the object's alarm the way the runtime would.
 */
export async function fireTimerNow(chat: ChannelChat, triggerId: string): Promise<boolean> {
  await runInDurableObject(chat.stub(), (_instance, state) => {
    const shift = state.storage.sql
      .exec<{ shift: number }>('SELECT due_at - ? AS shift FROM timers WHERE trigger_id = ?', Date.now() - 1, triggerId)
      .one().shift;
    state.storage.sql.exec(
      'UPDATE timers SET due_at = due_at - ?, anchor_at = anchor_at - ? WHERE trigger_id = ?',
      shift,
      shift,
      triggerId,
    );
  });
  return runDurableObjectAlarm(chat.stub());
}

/** A spurious alarm, as at-least-once delivery may run one: set for now and run at once. */
export async function duplicateAlarm(chat: ChannelChat): Promise<void> {
  await runInDurableObject(chat.stub(), (_instance, state) => state.storage.setAlarm(Date.now()));
  await runDurableObjectAlarm(chat.stub());
}

/** A queue message as the runtime hands it to the consumer (ack and retry do nothing: tests read the effects). */
export const queued = (body: EventsMessage) =>
  ({
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts: 2,
    body,
    ack: () => {},
    retry: () => {},
  }) as unknown as Message<EventsMessage>;

/** A published chatbot of the team on the offline provider (echoes), with these triggers. */
export const offlineBot = async (teamId: string, events?: EventsSection) => {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'offline',
    credentialId,
    model: 'offline-echo',
    systemPrompt: 'Be brief.',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
  });
  return addChatbot(teamId, events ? { ...definition, events } : definition, {
    id: credentialId,
    providerId: 'offline',
    settings: {},
    secrets: {},
  });
};

/** The event log of one conversation, newest first, once it holds `count` entries. */
export const logOf = (apiKey: string, conversationId: string, count: number) =>
  vi.waitFor(
    async () => {
      const res = await SELF.fetch(`${BASE}/api/v1/events/log?conversationId=${conversationId}`, authed(apiKey));
      const { data } = (await res.json()) as { data: EventLogView[] };
      expect(data).toHaveLength(count);
      return data;
    },
    { timeout: 20_000, interval: 200 },
  );
