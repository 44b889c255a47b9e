import type { InboundMessage } from '../../plugins/sdk/index.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ScheduleQueueMessage } from '../schedules/queue-messages.ts';

/** Which conversation a message belongs to, repeated on each queue message so the consumer needs no lookup. */
export interface ConversationRef {
  conversationId: string;
  teamId: string;
  chatbotId: string;
}

/**
 * What the consumer needs to create a conversation's D1 row. A widget conversation has no row until its first
 * message (sessions write none, so unused ones cost nothing): the row is created by the consumer, insert-or-ignore,
 * from the copy of that message; every copy carries this, so a lost or reordered first copy changes nothing.
 */
export interface ConversationStart {
  chatbotVersionId: string;
  participantId: string | null;
  channelId: string | null;
  /** When the object stored its first message. */
  createdAt: number;
}

/** A conversation reference on analytics copies: the conversation, and how to create its row if it has none. */
export type AnalyticsRef = ConversationRef & { start?: ConversationStart };

/**
 * Messages on the `parley-events` queue. A queue message holds at most 128 KB (Queues limits), so a chat message
 * too large to travel inline is sent as a reference and the consumer reads it from the conversation's object.
 */
export type AnalyticsMessage =
  | ({ type: 'message.upsert'; message: ConversationMessage } & AnalyticsRef)
  | ({ type: 'message.ref'; messageId: string } & AnalyticsRef)
  | ({ type: 'tags.add' } & RunTags & AnalyticsRef);

/**
 * The tags a successful pipeline run added (docs/pipelines.md "State and merge rules"): `messageTags` on each of its
 * replies, `conversationTags` on the conversation. Sent once per run, added to what is there (never removing a tag,
 * so a tag an operator removed later stays removed when a message is copied again).
 */
export interface RunTags {
  runId: string;
  messageIds: string[];
  messageTags: string[];
  conversationTags: string[];
}

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

export type QueueMessage = AnalyticsMessage | ChannelInboundMessage | ScheduleQueueMessage;
