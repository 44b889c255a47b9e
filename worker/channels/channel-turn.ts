import type { DeliveryStore } from '../conversation/delivery-store.ts';
import type { ChannelAddress } from '../conversation/meta.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
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

  constructor(env: Env, address: ChannelAddress, replyId: string, deliveries: DeliveryStore, clock: Clock) {
    const channel = loadChannel(env, address.channelId).catch(() => null);
    this.stopTyping = startTyping(channel, address.conversationKey, clock);
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
