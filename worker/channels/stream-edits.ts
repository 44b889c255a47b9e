import type { Clock } from '../ports/clock.ts';
import { channelContext } from './plugin-context.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * At most one edit per 1.5 s per reply: Telegram allows about one message per second in a chat
 * (core.telegram.org/bots/faq#my-bot-is-hitting-limits) and Slack's chat.update is Tier 3, about 50 per minute
 * (api.slack.com/methods/chat.update). Edits count against those limits, and the final delivery needs room too.
 */
export const EDIT_INTERVAL_MS = 1_500;
/** One platform call while streaming; a slow one is abandoned and the final delivery (with retries) takes over. */
const STREAM_CALL_TIMEOUT_MS = 10_000;

/** Streaming by edits is on when the channel asks for it and its plugin can edit messages. */
export function streamsEdits(channel: ChannelRuntime | null): channel is ChannelRuntime {
  return Boolean(
    channel?.enabled && channel.options.streamEdits && channel.plugin.capabilities.editMessages && channel.plugin.edit,
  );
}

export interface StreamEditorInput {
  channel: Promise<ChannelRuntime | null>;
  conversationKey: string;
  clock: Clock;
  /** The first part went out as this platform message: store it, so the final delivery edits it. */
  onFirstSent(platformMessageId: string): void;
}

/**
 * Streams one reply to a chat: the first text is sent as a message, then that message is edited with the text so far,
 * throttled, one call in flight at a time. `push` only appends and maybe starts a call; it never waits, so the
 * token stream is never slowed. Streaming stops for good at the platform's length limit (the final delivery splits
 * the rest) or on the first failure; the final delivery always brings the message to the full text.
 */
export class StreamEditor {
  private text = '';
  private shown = '';
  private platformMessageId: string | undefined;
  private runtime: ChannelRuntime | undefined;
  private state: 'loading' | 'on' | 'off' = 'loading';
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCallAt = 0;

  constructor(private readonly input: StreamEditorInput) {
    input.channel.then(
      (channel) => {
        if (this.state !== 'loading') return;
        if (!streamsEdits(channel)) {
          this.state = 'off';
          return;
        }
        this.runtime = channel;
        this.state = 'on';
        this.next();
      },
      () => {
        this.state = 'off';
      },
    );
  }

  push(delta: string): void {
    this.text += delta;
    if (this.state === 'on') this.next();
  }

  /** Stops streaming and waits for the call in flight: afterwards the final delivery alone owns the message. */
  async settle(): Promise<void> {
    this.state = 'off';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private next(): void {
    const runtime = this.runtime;
    if (this.state !== 'on' || !runtime || this.inFlight || this.timer) return;
    if (this.text.length > runtime.plugin.capabilities.maxMessageLength) {
      this.state = 'off'; // never edit beyond the limit; the final delivery sends the rest as new messages
      return;
    }
    const text = this.text;
    if (text.trim() === '' || text === this.shown) return;
    const wait = this.lastCallAt + EDIT_INTERVAL_MS - this.input.clock.now();
    if (this.platformMessageId && wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.next();
      }, wait);
      return;
    }
    this.lastCallAt = this.input.clock.now();
    this.inFlight = this.call(runtime, text).finally(() => {
      this.inFlight = undefined;
      this.next();
    });
  }

  private async call(runtime: ChannelRuntime, text: string): Promise<void> {
    const ctx = channelContext(runtime, this.input.clock, STREAM_CALL_TIMEOUT_MS);
    const { conversationKey } = this.input;
    try {
      if (this.platformMessageId === undefined) {
        const sent = await runtime.plugin.send(ctx, { conversationKey, text });
        const first = sent.ok ? sent.platformMessageIds[0] : undefined;
        if (first === undefined) {
          this.state = 'off';
          return;
        }
        this.platformMessageId = first;
        this.shown = text;
        this.input.onFirstSent(first);
        return;
      }
      const edited = await runtime.plugin.edit?.(ctx, {
        conversationKey,
        platformMessageId: this.platformMessageId,
        text,
      });
      if (edited?.ok) this.shown = text;
      else if (edited?.retryable && edited.retryAfterMs) this.lastCallAt = this.input.clock.now() + edited.retryAfterMs;
      else this.state = 'off';
    } catch {
      this.state = 'off';
    }
  }
}
