import type { Env } from '../../env.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { isIngestMessage } from './messages.ts';
import { failTarget, type IngestDeps, RetryLater, runStep } from './steps.ts';

/** wrangler.toml's `max_retries` for parley-ingest: the attempt after which a failing step fails its document. */
export const MAX_ATTEMPTS = 10;

/** Backoff for retries without Retry-After: 10 s, 20 s, 40 s … capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The `parley-ingest` queue's consumer: one ingestion step per message (./steps.ts). A retryable embedder failure
 * (429, 5xx) retries the message later — slowing down, not failing; any other unexpected failure retries too, and
 * on the last attempt fails the document with the reason instead of leaving it in progress forever.
 */
export async function consumeIngest(batch: MessageBatch<unknown>, env: Env, deps?: Partial<IngestDeps>): Promise<void> {
  const steps: IngestDeps = { env, index: deps?.index ?? knowledgeIndex(env), embed: deps?.embed ?? embedTexts };
  for (const message of batch.messages) {
    const body = message.body;
    if (!isIngestMessage(body)) {
      console.error('parley-ingest: dropped a malformed message');
      message.ack();
      continue;
    }
    try {
      await runStep(steps, body);
      message.ack();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (message.attempts >= MAX_ATTEMPTS) {
        await failTarget(steps, body, `Gave up after ${message.attempts} attempts: ${reason}`).catch(() => undefined);
        message.ack();
        continue;
      }
      const delay = error instanceof RetryLater && error.delaySeconds !== undefined ? error.delaySeconds : 0;
      console.warn(`parley-ingest: ${body.kind} of ${body.documentId} retried (${reason})`);
      message.retry({ delaySeconds: Math.min(24 * 3600, Math.max(delay, backoffSeconds(message.attempts))) });
    }
  }
}
