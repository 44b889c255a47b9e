import type { JsonObject, SendResult } from '../../plugins/sdk/index.ts';
import type { ChannelAddress } from '../conversation/meta.ts';
import type { ConversationMessage, MessageError } from '../conversation/protocol.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryRow, DeliveryStore } from './delivery-store.ts';
import { channelContext } from './plugin-context.ts';
import { canSendFiles, type ReplyFile, replyFiles, sendReplyFiles, withFileNames } from './reply-files.ts';
import { replyText, splitForEdit } from './reply-parts.ts';
import { type ChannelRuntime, loadChannel } from './runtime.ts';
import { withSourceList } from './source-list.ts';
import { sendVoiceReply } from './voice-reply.ts';

/**
 * Six attempts with a 2^n s backoff (2, 4, 8, 16, 32 s between them) ride out about a minute of platform trouble,
 * longer when the platform asks for it with retry-after; a chat reply that arrives later than that has lost its
 * moment. Six is also what Cloudflare gives a failing alarm (developers.cloudflare.com/durable-objects/api/alarms).
 */
export const MAX_DELIVERY_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** Deadline of one send (a long reply is several platform calls). */
const SEND_TIMEOUT_MS = 30_000;
/**
 * A claimed row stays hidden this long. Longer than a send may take, so a row is never picked up twice while its send
 * runs; after a crash the alarm retries it once the lease ends.
 */
const LEASE_MS = 60_000;

export interface DeliveryHost {
  env: Env;
  store: ConversationStore;
  deliveries: DeliveryStore;
  clock: Clock;
  address: ChannelAddress;
  /** Resolves once the reply's stream editor (if any) has stopped and has no call in flight. */
  settleStream(messageId: string): Promise<void>;
  /** Announces a message whose metadata changed (`message.updated`) and queues its copy to D1. */
  updated(message: ConversationMessage): void;
  /** Makes sure the alarm fires by `at`. */
  armAlarm(at: number): Promise<void>;
}

export function backoffMs(attempts: number, retryAfterMs = 0): number {
  return Math.max(retryAfterMs, Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempts));
}

/**
 * Delivers every due reply, oldest first, one at a time (a chat gets replies in order). Never throws: the alarm that
 * calls it would otherwise retry the whole batch.
 *
 * Exactly once in normal operation: a row is claimed (attempt counted, hidden for LEASE_MS) before the platform is
 * called and marked sent in the same synchronous step that reads the platform's answer, so neither a concurrent pass
 * nor the alarm can send it again. At least once across crashes: if the object dies after the platform accepted the
 * message but before the mark was stored, the alarm sends it again when the lease ends (docs/protocol.md).
 */
export async function deliverDue(host: DeliveryHost): Promise<void> {
  for (let row = host.deliveries.head(); row && row.next_attempt_at <= host.clock.now(); row = host.deliveries.head()) {
    try {
      await deliverOne(host, row);
    } catch (error) {
      // A bug, not a platform answer: leave the row to its lease and retry from the alarm.
      console.error(
        JSON.stringify({ level: 'error', msg: 'delivery failed', messageId: row.message_id, error: String(error) }),
      );
      return;
    }
  }
}

async function deliverOne(host: DeliveryHost, claimed: DeliveryRow): Promise<void> {
  const id = claimed.message_id;
  const leaseUntil = host.clock.now() + LEASE_MS;
  const attempts = host.deliveries.claim(id, leaseUntil);
  await host.armAlarm(leaseUntil);
  await host.settleStream(id);
  const row = host.deliveries.row(id) ?? claimed;
  const message = host.store.message(id);
  if (!message) return host.deliveries.finish(id, 'skipped');

  let channel: ChannelRuntime | null;
  try {
    channel = await loadChannel(host.env, host.address.channelId, host.clock.now());
  } catch {
    return retryOrFail(host, message, attempts, {
      ok: false,
      retryable: true,
      code: 'channel_unavailable',
      message: 'The channel could not be loaded',
    });
  }
  if (!channel?.enabled) {
    const error = channel
      ? { code: 'channel_disabled', message: 'The channel is disabled' }
      : { code: 'channel_missing', message: 'The channel no longer exists' };
    fail(host, message, attempts, error);
    return;
  }
  const files = replyFiles(message);
  // A delivery postponed for its files already sent the text (and any voice reply): only the files are left.
  const earlier = message.metadata.delivery as JsonObject | undefined;
  if (earlier?.status === 'sent') return deliverFiles(host, channel, message, files, attempts, earlier);

  const text = replyText(message, channel.options);
  const filesAsFiles = canSendFiles(channel, host.env, files);
  if (text === null && files.length === 0) {
    host.deliveries.finish(id, 'skipped');
    return record(host, id, { status: 'skipped', reason: 'empty', attempts });
  }

  let result: SendResult;
  if (text === null && filesAsFiles) {
    result = { ok: true, platformMessageIds: [] }; // files only: nothing to say first
  } else {
    try {
      // The source list goes to the chat only: a voice reply reads the answer, not its links.
      const shown = withSourceList(text ?? '', message.metadata, channel.plugin.capabilities.maxMessageLength);
      // A channel that cannot send the files names them in the text instead.
      result = await sendReply(
        channel,
        host,
        filesAsFiles ? shown : withFileNames(shown, files),
        row.streamed_message_id,
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      // Never the error's message: a Bot API URL carries the token.
      result = { ok: false, retryable: true, code: 'send_threw', message: `The platform call failed (${name})` };
    }
  }
  if (!result.ok) return retryOrFail(host, message, attempts, result);

  let sent: JsonObject = {
    status: 'sent',
    platformMessageIds: result.platformMessageIds,
    sentAt: host.clock.now(),
    attempts,
  };
  if (!filesAsFiles) host.deliveries.finish(id, 'sent');
  // Recorded in the same synchronous step as the platform's answer: a retry for the files never resends the text.
  record(host, id, sent);
  const audio = text === null ? null : await sendVoiceReply(host, channel, message, text);
  if (audio) {
    sent = { ...sent, audio };
    record(host, id, sent);
  }
  if (filesAsFiles) await deliverFiles(host, channel, message, files, attempts, sent);
}

/**
 * Sends the reply's files after its text (metadata.delivery.files, one outcome per file). A retryable failure keeps
 * the delivery pending with the usual backoff, so later replies still wait behind it and its files keep their order;
 * files already sent are never sent again. After MAX_DELIVERY_ATTEMPTS the file is recorded as failed.
 */
async function deliverFiles(
  host: DeliveryHost,
  channel: ChannelRuntime,
  message: ConversationMessage,
  files: readonly ReplyFile[],
  attempts: number,
  sent: JsonObject,
): Promise<void> {
  const previous = Array.isArray(sent.files) ? (sent.files as JsonObject[]) : [];
  const outcome = await sendReplyFiles(host, channel, files, previous, attempts < MAX_DELIVERY_ATTEMPTS);
  const delivered = { ...sent };
  delete delivered.nextAttemptAt; // from an earlier postponement
  if (outcome.retry) {
    const error = { code: outcome.retry.code, message: outcome.retry.message.slice(0, 500) };
    const nextAttemptAt = host.clock.now() + backoffMs(attempts, outcome.retry.retryAfterMs);
    host.deliveries.postpone(message.id, nextAttemptAt, error);
    record(host, message.id, { ...delivered, files: outcome.files, nextAttemptAt });
    return;
  }
  host.deliveries.finish(message.id, 'sent');
  record(host, message.id, { ...delivered, files: outcome.files });
}

/** Sends the reply; a streamed reply's message is edited to its first part and only the rest is sent anew. */
async function sendReply(
  channel: ChannelRuntime,
  host: DeliveryHost,
  text: string,
  streamedMessageId: string | null,
): Promise<SendResult> {
  const { plugin } = channel;
  const ctx = channelContext(channel, host.clock, SEND_TIMEOUT_MS);
  const { conversationKey } = host.address;
  if (streamedMessageId && plugin.edit) {
    const { first, rest } = splitForEdit(text, plugin.capabilities.maxMessageLength);
    const edited = await plugin.edit(ctx, { conversationKey, platformMessageId: streamedMessageId, text: first });
    if (edited.ok) {
      if (!rest) return { ok: true, platformMessageIds: [streamedMessageId] };
      const sent = await plugin.send(ctx, { conversationKey, text: rest });
      return sent.ok ? { ok: true, platformMessageIds: [streamedMessageId, ...sent.platformMessageIds] } : sent;
    }
    if (edited.retryable) return edited;
    // The streamed message is gone (deleted in the chat): the whole reply goes out as new messages.
  }
  return plugin.send(ctx, { conversationKey, text });
}

function retryOrFail(
  host: DeliveryHost,
  message: ConversationMessage,
  attempts: number,
  failure: Extract<SendResult, { ok: false }>,
): void {
  const error = { code: failure.code, message: failure.message.slice(0, 500) };
  if (!failure.retryable || attempts >= MAX_DELIVERY_ATTEMPTS) {
    fail(host, message, attempts, error);
    return;
  }
  const nextAttemptAt = host.clock.now() + backoffMs(attempts, failure.retryAfterMs);
  host.deliveries.postpone(message.id, nextAttemptAt, error);
  record(host, message.id, { status: 'retrying', error, attempts, nextAttemptAt });
}

function fail(host: DeliveryHost, message: ConversationMessage, attempts: number, error: MessageError): void {
  host.deliveries.finish(message.id, 'failed', error);
  record(host, message.id, { status: 'failed', error: { code: error.code, message: error.message }, attempts });
}

/** `metadata.delivery` on the message, where admins see it (message API, D1 copy, dashboard). */
function record(host: DeliveryHost, messageId: string, delivery: JsonObject): void {
  const current = host.store.message(messageId);
  if (!current) return;
  host.store.setMetadata(messageId, { ...current.metadata, delivery });
  host.updated(host.store.message(messageId) as ConversationMessage);
}
