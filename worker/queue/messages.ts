import type { InboundMessage } from '../../plugins/sdk/index.ts';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ScheduleQueueMessage } from '../schedules/queue-messages.ts';
import type { Recurrence } from '../schedules/recurrence.ts';

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

/** Which conversation an event firing belongs to, with its participant for the event log. */
export type EventRef = ConversationRef & { participantId: string | null };

/** One action of one firing, as the event log stores it (worker/db/schema/events.ts). */
export interface EventLogEntry {
  id: string;
  triggerId: string;
  triggerType: string;
  actionType: string;
  outcome: 'ok' | 'error' | 'skipped';
  error: string | null;
  detail: string | null;
  attempt: number;
  firedAt: number;
}

/** A webhook action to call from the consumer (worker/events/webhook.ts); `logId` is its first attempt's log row. */
export interface WebhookCall {
  logId: string;
  triggerId: string;
  triggerType: string;
  url: string;
  secretCredentialId?: string;
  /** The JSON body sent, signed as `<timestamp>.<body>`. */
  payload: JsonObject;
  attempt: number;
  firedAt: number;
}

/**
 * An action that reaches another object (the participant's, another conversation's), carried out by the consumer
 * (worker/events/action-calls.ts) so a firing never calls across objects; `logId` is its log row, written once.
 * `idempotencyKey` is `<conversation>:<firing key>:<action index>`: a redelivery or a repeated firing does nothing twice.
 */
interface ActionCallBase {
  logId: string;
  triggerId: string;
  triggerType: string;
  participantId: string;
  idempotencyKey: string;
  attempt: number;
  firedAt: number;
}

/** schedule_message: a schedule for the participant with the firing's chatbot, first due at `startAt`. */
export interface ScheduleMessageCall extends ActionCallBase {
  action: 'schedule_message';
  prompt: string;
  startAt: number;
  recurrence: Recurrence | null;
}

/**
 * start_pipeline: a turn of `chatbotId` for the participant; `history` bounds the source transcript it is given by
 * the firing's last message position (null: none). The consumer reads the messages, so the queue message stays small.
 */
export interface StartPipelineCall extends ActionCallBase {
  action: 'start_pipeline';
  chatbotId: string;
  history: { throughPosition: number } | null;
}

export type ActionCall = ScheduleMessageCall | StartPipelineCall;

/**
 * What event firings of a conversation left behind since its last outbox flush, in one queue message sent in the
 * same `sendBatch` as the flush's message copies (worker/conversation/analytics-outbox.ts): log entries, tags to
 * add, whether an action ended the conversation, webhooks to call and actions to carry out. A failed webhook comes back
 * alone as `events.webhook`, a failed action as `events.action`, delayed by its backoff.
 */
export type EventsMessage =
  | {
      type: 'events.fired';
      ref: EventRef;
      entries: EventLogEntry[];
      tags: string[];
      ended: boolean;
      webhooks: WebhookCall[];
      /** Absent in messages sent before actions travelled (and when there are none). */
      actions?: ActionCall[];
    }
  | { type: 'events.webhook'; ref: EventRef; call: WebhookCall }
  | { type: 'events.action'; ref: EventRef; call: ActionCall };

/**
 * Everything one outbox flush of a conversation object sends, as one queue message: the message copies, a run's
 * tags and the `events.fired` rows. Queues bill and limit per message (5,000 messages/s per queue), so a turn's two
 * copies and its events cost one message, not three (issue 19 §2). The consumer unpacks it and settles it as one:
 * every part is idempotent, so a part's retry redelivers the others harmlessly.
 */
export interface OutboxBundle {
  type: 'outbox.bundle';
  items: (AnalyticsMessage | EventsMessage)[];
}

export type QueueMessage =
  | AnalyticsMessage
  | ChannelInboundMessage
  | EventsMessage
  | ScheduleQueueMessage
  | OutboxBundle;
