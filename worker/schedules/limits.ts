/**
 * 100 live (active or paused) schedules per participant: far above what a person follows (Open Chat Studio's
 * reminder flows use a handful), low enough that an LLM looping on create_reminder is stopped early and an alarm's
 * scan stays a small index read.
 */
export const MAX_LIVE_SCHEDULES = 100;
/**
 * A prompt is an instruction to the bot, not a document: 4,000 characters is a long system-style instruction, and
 * keeps a mirror row well inside a queue message's 128 KB with 25 rows per message.
 */
export const MAX_PROMPT_CHARS = 4000;
/** Attempts per occurrence, as Open Chat Studio retries a scheduled message (then it is logged failed, and moves on). */
export const MAX_ATTEMPTS = 3;
/** Backoff before attempt n+1: 30 s, then 2 min (×4): a brief outage passes, a longer one does not stall the series. */
export const retryDelayMs = (attemptsMade: number) => 30_000 * 4 ** (attemptsMade - 1);
/** Attempts kept per participant object for the log; older ones are pruned. */
export const ATTEMPTS_KEPT = 2000;
/** The shortest step of a recurrence: one minute, the precision users are offered (and the cron's granularity). */
export const MIN_STEP_MINUTES = 1;
