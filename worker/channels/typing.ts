import type { TypingContext } from '../../plugins/sdk/index.ts';
import type { Clock } from '../ports/clock.ts';
import { channelContext } from './plugin-context.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * Telegram's chat action shows for 5 s or until the bot's next message (core.telegram.org/bots/api#sendchataction):
 * renewing it every 4 s keeps "typing…" on without a gap for as long as the reply is being generated. The default for
 * channels that do not set `capabilities.typingRefreshMs`.
 */
export const TYPING_REFRESH_MS = 4_000;
/** A typing call is cosmetic: give up quickly rather than pile requests up behind a slow platform. */
const TYPING_TIMEOUT_MS = 5_000;

/** Where "typing…" shows: the chat, and the inbound message the reply answers when the core knows it. */
export interface TypingTarget extends TypingContext {
  conversationKey: string;
}

/** The channel's refresh interval, or the default when it declares none (or a nonsensical one). */
export const typingRefreshMs = (runtime: ChannelRuntime): number => {
  const declared = runtime.plugin.capabilities.typingRefreshMs;
  return declared !== undefined && Number.isFinite(declared) && declared > 0 ? declared : TYPING_REFRESH_MS;
};

/**
 * Shows "typing…" in the chat until the returned function is called, renewed every `typingRefreshMs`. Best effort: a
 * failing or missing typing hook never affects the turn. `channel` is still loading when a turn starts; nothing
 * waits for it.
 */
export function startTyping(channel: Promise<ChannelRuntime | null>, target: TypingTarget, clock: Clock): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const { conversationKey, ...context } = target;
  const show = async (runtime: ChannelRuntime) => {
    try {
      await runtime.plugin.typing?.(channelContext(runtime, clock, TYPING_TIMEOUT_MS), conversationKey, context);
    } catch {
      // Cosmetic only.
    }
  };
  channel.then(
    (runtime) => {
      if (stopped || !runtime?.enabled || !runtime.plugin.typing || !runtime.plugin.capabilities.typingIndicator) {
        return;
      }
      void show(runtime);
      timer = setInterval(() => void show(runtime), typingRefreshMs(runtime));
    },
    () => {},
  );
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
