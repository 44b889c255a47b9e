import type { Env } from '../env.ts';
import type { EventsMessage } from '../queue/messages.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';

/**
 * Attempts per webhook call or consumer-run action, the first included (OCS retries its actions 3 times), and the
 * wait before attempt `next` (2, 3, 4): 30 s, 2 min, 8 min, inside Queues' 24 h `delaySeconds` bound.
 */
export const WEBHOOK_ATTEMPTS = 4;

export function webhookBackoffSeconds(next: number): number {
  return 30 * 4 ** (next - 2);
}

/** What the events consumer reaches out with: a parameter, so tests watch the webhooks and retries it sends. */
export interface EventConsumerDeps {
  fetch: typeof fetch;
  /** Sends the next attempt of a failed webhook or action, delayed. */
  retry(body: EventsMessage, delaySeconds: number): Promise<void>;
  now(): number;
}

export function eventConsumerDeps(env: Env): EventConsumerDeps {
  return {
    fetch: outboundFetch(env),
    retry: async (body, delaySeconds) => {
      await env.EVENTS.send(body, { contentType: 'json', delaySeconds });
    },
    now: () => Date.now(),
  };
}
