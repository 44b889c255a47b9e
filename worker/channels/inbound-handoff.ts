import type { InboundContent, InboundMessage } from '../../plugins/sdk/index.ts';
import { MAX_USER_MESSAGE_CHARS } from '../conversation/inputs.ts';
import type { ChannelInboundMessage, QueueMessage } from '../queue/messages.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * Queues limits (developers.cloudflare.com/queues/platform/limits): a message ≤ 128 KB, a sendBatch ≤ 100 messages
 * and ≤ 256 KB in total. Text is cut to what a conversation stores anyway (MAX_USER_MESSAGE_CHARS, ≤ 4 bytes each
 * in UTF-8, so ≤ 128,000 bytes), and then further if the message is still over MAX_MESSAGE_BYTES.
 */
const MAX_MESSAGE_BYTES = 100 * 1024;
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 250 * 1024;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

function truncated(content: InboundContent, chars: number): InboundContent {
  if ('text' in content) return { ...content, text: content.text.slice(0, chars) };
  if ('caption' in content && content.caption !== undefined)
    return { ...content, caption: content.caption.slice(0, chars) };
  return content;
}

/**
 * The queue message for one parsed webhook message. `raw` is dropped (it may hold a whole platform payload) except
 * `chatType`, which tells the consumer a group chat from a person's own chat.
 */
export function inboundQueueMessage(
  channel: ChannelRuntime,
  message: InboundMessage,
  acceptedAt: number,
): ChannelInboundMessage {
  const { raw, ...rest } = message;
  const chatType = raw?.chatType;
  let slim: InboundMessage = {
    ...rest,
    content: truncated(rest.content, MAX_USER_MESSAGE_CHARS),
    ...(typeof chatType === 'string' && { raw: { chatType } }),
  };
  for (let chars = MAX_USER_MESSAGE_CHARS / 2; byteLength(slim) > MAX_MESSAGE_BYTES && chars >= 1; chars /= 2) {
    slim = { ...slim, content: truncated(slim.content, Math.floor(chars)) };
  }
  return {
    type: 'channel.inbound',
    teamId: channel.teamId,
    channelId: channel.id,
    pluginId: channel.pluginId,
    message: slim,
    acceptedAt,
  };
}

/** Sends every message, in order, in as few sendBatch calls as the limits allow. Throws when the queue refuses. */
export async function handOff(queue: Queue<QueueMessage>, messages: readonly ChannelInboundMessage[]): Promise<void> {
  let batch: { body: QueueMessage }[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = byteLength(message);
    if (batch.length === MAX_BATCH_MESSAGES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      await queue.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ body: message });
    bytes += size;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}
