import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { type Database, database } from '../db/client.ts';
import { conversations, conversationTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { EventLogEntry, EventRef, EventsMessage, WebhookCall } from '../queue/messages.ts';
import { runActionCall } from './action-calls.ts';
import { type EventConsumerDeps, eventConsumerDeps, WEBHOOK_ATTEMPTS, webhookBackoffSeconds } from './consumer-deps.ts';
import { logRow } from './log-row.ts';
import { signatureHeaders, signingSecret, WebhookConfigError } from './webhook-signing.ts';

export {
  type EventConsumerDeps,
  eventConsumerDeps,
  WEBHOOK_ATTEMPTS,
  webhookBackoffSeconds,
} from './consumer-deps.ts';

// A receiver answering within 10 s is healthy; a slower one is a failed attempt, retried later.
const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Writes what event firings left (worker/events/outbox.ts): log rows, tags, an ending's D1 status, then calls the
 * webhooks and carries out the actions that reach other objects (schedule_message, start_pipeline). Every write is
 * insert-or-ignore by id, so a redelivered message changes nothing; a redelivered webhook is called again with the same `X-Parley-Event-Id`, for the receiver to de-duplicate. A failing webhook is logged
 * and re-sent alone with a backoff: it never holds back the other actions, nor other conversations' messages.
 */
export async function consumeEventMessages(
  items: readonly Message<EventsMessage>[],
  env: Env,
  deps: EventConsumerDeps = eventConsumerDeps(env),
): Promise<void> {
  const db = database(env.DB);
  await Promise.all(
    items.map(async (item) => {
      try {
        await consumeOne(db, env, deps, item.body);
        item.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'event message failed', error: String(error) }));
        item.retry();
      }
    }),
  );
}

async function consumeOne(db: Database, env: Env, deps: EventConsumerDeps, body: EventsMessage): Promise<void> {
  // The log rows, tags and the conversation's status are data plane: the team's shard (worker/db/shards.ts).
  const shard = teamDatabase(env, body.ref.teamId);
  if (body.type === 'events.webhook') return callWebhook(db, shard, env, deps, body.ref, body.call);
  if (body.type === 'events.action') return runActionCall(shard, env, deps, body.ref, body.call);
  const { ref } = body;
  const now = deps.now();
  const statements: BatchItem<'sqlite'>[] = body.entries.map((entry) => logRow(shard, ref, entry));
  for (const tag of body.tags) {
    // Only on a conversation that has its row (a tag on a row-less widget conversation has nothing to hang on).
    statements.push(
      shard
        .insert(conversationTags)
        .select(
          sql`SELECT ${ref.teamId}, ${ref.conversationId}, ${tag}, ${now} WHERE EXISTS (SELECT 1 FROM ${conversations}
            WHERE ${conversations.id} = ${ref.conversationId} AND ${conversations.teamId} = ${ref.teamId})`,
        )
        .onConflictDoNothing(),
    );
  }
  if (body.ended)
    statements.push(
      shard
        .update(conversations)
        .set({ status: 'ended', updatedAt: now })
        .where(
          and(
            eq(conversations.id, ref.conversationId),
            eq(conversations.teamId, ref.teamId),
            eq(conversations.status, 'active'),
          ),
        ),
    );
  if (statements.length) await shard.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  await Promise.all([
    ...body.webhooks.map((call) => callWebhook(db, shard, env, deps, ref, call)),
    ...(body.actions ?? []).map((call) => runActionCall(shard, env, deps, ref, call)),
  ]);
}

/** One attempt: logged (ok or error with the status only: a response body may echo secrets); a retry if any left. */
async function callWebhook(
  db: Database,
  shard: Database,
  env: Env,
  deps: EventConsumerDeps,
  ref: EventRef,
  call: WebhookCall,
) {
  const now = deps.now();
  const text = JSON.stringify(call.payload);
  let error: string | null = null;
  let retryable = true;
  try {
    const secret = await signingSecret(env, db, ref.teamId, call.secretCredentialId);
    const response = await deps.fetch(call.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-parley-event-id': call.logId,
        ...(await signatureHeaders(secret, text, now)),
      },
      body: text,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) error = `the webhook answered HTTP ${response.status}`;
  } catch (caught) {
    retryable = !(caught instanceof WebhookConfigError);
    error =
      caught instanceof WebhookConfigError ? caught.message : `the webhook could not be reached (${errorName(caught)})`;
  }
  const entry: EventLogEntry = {
    id: call.attempt === 1 ? call.logId : `${call.logId}_${call.attempt}`,
    triggerId: call.triggerId,
    triggerType: call.triggerType,
    actionType: 'webhook',
    outcome: error ? 'error' : 'ok',
    error,
    detail: null,
    attempt: call.attempt,
    firedAt: now,
  };
  await logRow(shard, ref, entry);
  if (error && retryable && call.attempt < WEBHOOK_ATTEMPTS) {
    const next = call.attempt + 1;
    await deps.retry({ type: 'events.webhook', ref, call: { ...call, attempt: next } }, webhookBackoffSeconds(next));
  }
}

/** The kind of failure only: a message may quote the URL's query (tokens people put there). */
function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? 'network error' : error.name;
  return 'network error';
}
