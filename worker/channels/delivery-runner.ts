import type { ChannelAddress } from '../conversation/meta.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { answeredPlatformMessageId, ChannelTurn } from './channel-turn.ts';
import { deliverDue } from './delivery.ts';
import type { DeliveryKind, DeliveryStore } from './delivery-store.ts';

export interface ChannelDeliveriesDeps {
  env: Env;
  store: ConversationStore;
  deliveries: DeliveryStore;
  clock: Clock;
  updated(message: ConversationMessage): void;
  armAlarm(at: number): Promise<void>;
  /** Sets the object's one alarm for whatever is due first (deliveries or the analytics outbox). */
  rearm(): Promise<void>;
}

/**
 * A conversation object's side of a messaging channel: the live part of each turn (typing, streamed edits) and the
 * durable deliveries of finished replies. One per object; idle for conversations that are not on a channel.
 */
export class ChannelDeliveries {
  private readonly turns = new Map<string, ChannelTurn>();
  /** Stream editors stopping after their reply finished; a delivery waits for its editor before it sends. */
  private readonly settling = new Map<string, Promise<void>>();
  private running = false;
  private again = false;

  constructor(private readonly deps: ChannelDeliveriesDeps) {}

  /** A reply of a channel conversation starts: returns what each of its deltas must feed. */
  startTurn(address: ChannelAddress, replyId: string): (text: string) => void {
    const { env, store, deliveries, clock } = this.deps;
    const replyTo = answeredPlatformMessageId(store, replyId);
    const turn = new ChannelTurn(env, address, replyId, deliveries, clock, replyTo);
    this.turns.set(replyId, turn);
    return (text) => turn.onDelta(text);
  }

  /**
   * A message to deliver is finished. Called synchronously inside the block that stores it, so its delivery row
   * exists before anything can crash; the delivery itself runs in the background.
   */
  enqueue(address: ChannelAddress, message: ConversationMessage, now: number): void {
    const kind: DeliveryKind = message.metadata.canned ? 'canned' : message.metadata.triggered ? 'trigger' : 'reply';
    this.deps.deliveries.enqueue(message.id, kind, now);
    const turn = this.turns.get(message.id);
    if (turn) {
      this.turns.delete(message.id);
      this.settling.set(message.id, turn.end());
    }
    void this.run(address);
  }

  /** Delivers what is due; a call during a pass makes the pass look again instead of running a second one. */
  async run(address: ChannelAddress): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await deliverDue({ ...this.deps, address, settleStream: (id) => this.settle(id) });
      } while (this.again);
    } finally {
      this.running = false;
    }
    await this.deps.rearm();
  }

  private async settle(messageId: string): Promise<void> {
    await this.settling.get(messageId);
    this.settling.delete(messageId);
  }
}
