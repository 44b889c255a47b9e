import type { ChannelAddress } from '../conversation/meta.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryStore } from './delivery-store.ts';
import { loadChannel } from './runtime.ts';
import { StreamEditor } from './stream-edits.ts';
import { startTyping } from './typing.ts';

/**
 * What a turn of a channel conversation does on the platform while its reply is generated: "typing…" and, where
 * the channel streams by edits, the growing reply. Created only for channel conversations, so other conversations'
 * delta path is untouched. Nothing here is awaited by the turn.
 */
export class ChannelTurn {
  private readonly stopTyping: () => void;
  private readonly editor: StreamEditor;

  /** `replyTo`: the platform id of the inbound message this reply answers (see `answeredPlatformMessageId`). */
  constructor(
    env: Env,
    address: ChannelAddress,
    replyId: string,
    deliveries: DeliveryStore,
    clock: Clock,
    replyTo?: string,
  ) {
    const channel = loadChannel(env, address.channelId).catch(() => null);
    this.stopTyping = startTyping(channel, { conversationKey: address.conversationKey, replyTo }, clock);
    this.editor = new StreamEditor({
      channel,
      conversationKey: address.conversationKey,
      clock,
      onFirstSent: (platformMessageId) => deliveries.recordStreamed(replyId, platformMessageId, clock.now()),
    });
  }

  onDelta(text: string): void {
    this.editor.push(text);
  }

  /** The reply is finished: typing stops now; the returned promise settles once no stream call is in flight. */
  end(): Promise<void> {
    this.stopTyping();
    return this.editor.settle();
  }
}

/**
 * The platform message id of the newest user message of the reply's turn, read from the object's own SQLite (no D1
 * query): the inbound consumer stores it as `metadata.channelMessage.id` (inbound-content.ts). WhatsApp's typing
 * indicator hangs off it. Undefined for a message that did not come from the platform.
 */
export function answeredPlatformMessageId(store: ConversationStore, replyId: string): string | undefined {
  const turnId = store.message(replyId)?.turnId;
  if (!turnId) return undefined;
  const newest = store.turnUserMessages(turnId).at(-1);
  const channelMessage = newest?.metadata.channelMessage;
  if (typeof channelMessage !== 'object' || channelMessage === null || Array.isArray(channelMessage)) return undefined;
  const id = channelMessage.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
