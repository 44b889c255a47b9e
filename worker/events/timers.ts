import type { EventStore, TimerRow } from './event-store.ts';
import type { EventTrigger, InactivityTrigger } from './schemas.ts';

/**
 * Inactivity timers (issue 17 §1, research m2-architecture §4): one row per inactivity trigger, firing n = 1 … times
 * at `anchor + n × delay`. The anchor is the participant's last message (`last_message`: every user message moves it
 * and starts the count again) or their first (`first_message`: set once). Only participant messages count, as in
 * OCS's timeout triggers: the bot's replies, and what the timer itself makes the bot say, never reset it.
 * Returns whether a timer was armed (the alarm must then be re-armed).
 */
export function rearmTimers(
  events: EventStore,
  triggers: readonly EventTrigger[],
  messageAt: number,
  now: number,
): boolean {
  let armed = false;
  for (const trigger of triggers) {
    if (trigger.on !== 'inactivity') continue;
    if (trigger.from === 'first_message' && events.timer(trigger.id)) continue;
    events.armTimer(trigger.id, messageAt, messageAt + trigger.delaySeconds * 1000, now);
    armed = true;
  }
  return armed;
}

/** The next due time after firing `timer` once more, or null when that was its last time. */
export function nextDueAfterFiring(trigger: InactivityTrigger, timer: TimerRow): number | null {
  const fired = timer.fired_count + 1;
  return fired >= trigger.times ? null : timer.anchor_at + (fired + 1) * trigger.delaySeconds * 1000;
}
