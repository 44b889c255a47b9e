import type { OutboxBundle, QueueMessage } from './messages.ts';

/** A delivered bundle split into one message per part, and how to settle the bundle once the parts are handled. */
export interface Unbundled {
  parts: Message<QueueMessage>[];
  /** Acks the bundle, or retries it (with the longest delay a part asked for) when any part asked for a retry. */
  settle(): void;
}

/**
 * The parts of an `outbox.bundle` as messages of their own, so each consumer handles them as it handles unbundled
 * ones. Settling is all or nothing: Queues acks or retries the bundle, never a part, and every part's write is
 * idempotent (upsert or insert-or-ignore by id), so a retry for one part redoes the others without duplicating them.
 */
export function unbundle(bundle: Message<OutboxBundle>): Unbundled {
  let retry: { delaySeconds?: number } | null = null;
  const parts = bundle.body.items.map(
    (body, index): Message<QueueMessage> => ({
      id: `${bundle.id}:${index}`,
      timestamp: bundle.timestamp,
      attempts: bundle.attempts,
      body,
      ack() {},
      retry(options?: QueueRetryOptions) {
        const delaySeconds = Math.max(retry?.delaySeconds ?? 0, options?.delaySeconds ?? 0);
        retry = delaySeconds > 0 ? { delaySeconds } : {};
      },
    }),
  );
  return {
    parts,
    settle() {
      if (retry) bundle.retry(retry);
      else bundle.ack();
    },
  };
}
