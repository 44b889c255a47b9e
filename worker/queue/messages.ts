import type { InboundMessage } from '../../plugins/sdk/index.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';

/** Which conversation a message belongs to, repeated on each queue message so the consumer needs no lookup. */
export interface ConversationRef {
  conversationId: string;
  teamId: string;
  chatbotId: string;
}

/**
 * Messages on the `parley-events` queue. A queue message holds at most 128 KB (Queues limits), so a chat message
 * too large to travel inline is sent as a reference and the consumer reads it from the conversation's object.
 */
export type AnalyticsMessage =
  | ({ type: 'message.upsert'; message: ConversationMessage } & ConversationRef)
  | ({ type: 'message.ref'; messageId: string } & ConversationRef);

/** A verified webhook message, handed off before the webhook answers 200 (worker/channels/inbound-consumer.ts). */
export interface ChannelInboundMessage {
  type: 'channel.inbound';
  teamId: string;
  channelId: string;
  pluginId: string;
  message: InboundMessage;
  /** When the webhook accepted it, for the ack-to-reply latency figures. */
  acceptedAt: number;
}

export type QueueMessage = AnalyticsMessage | ChannelInboundMessage;
