import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { ChannelChat } from '../../test/channels/fixtures.ts';
import type { TimerRow } from './event-store.ts';

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
