/**
 * The typing refresher: it hands the plugin the inbound message the reply answers and renews at the channel's own
 * interval. The channel here is a fixture plugin that records its typing calls (platform calls are covered by the
 * plugins' tests and test/channels/whatsapp-typing.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { ChannelCapabilities, ChannelPlugin, TypingContext } from '../../plugins/sdk/index.ts';
import { systemClock } from '../ports/clock.ts';
import { channelOptions } from './options.ts';
import type { ChannelRuntime } from './runtime.ts';
import { startTyping, TYPING_REFRESH_MS } from './typing.ts';

type TypingCall = { conversationKey: string; context: TypingContext | undefined };

function recordingChannel(capabilities: Partial<ChannelCapabilities>, enabled = true) {
  const calls: TypingCall[] = [];
  const declared: ChannelCapabilities = {
    inbound: ['text'],
    typingIndicator: true,
    editMessages: false,
    maxMessageLength: 100,
    ...capabilities,
  };
  const plugin: ChannelPlugin = {
    id: 'fixture-typing',
    kind: 'channel',
    displayName: 'Fixture: typing',
    description: 'Test fixture recording typing calls; never registered.',
    version: '0.0.1',
    settings: z.object({}),
    secrets: [],
    capabilities: declared,
    verify: async () => ({ ok: true }),
    parse: () => ({ messages: [] }),
    send: async () => ({ ok: true, platformMessageIds: [] }),
    typing: async (_ctx, conversationKey, context) => {
      calls.push({ conversationKey, context });
      return { ok: true, platformMessageIds: [] };
    },
  };
  const runtime: ChannelRuntime = {
    id: 'chn_typing',
    teamId: 'team_typing',
    chatbotId: 'bot_typing',
    pluginId: plugin.id,
    enabled,
    options: channelOptions.parse({}),
    plugin,
    settings: {},
  };
  return { runtime, calls };
}

describe('startTyping', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes the answered message id and renews at the channel’s declared interval', async () => {
    const { runtime, calls } = recordingChannel({ typingRefreshMs: 20_000 });
    const stop = startTyping(
      Promise.resolve(runtime),
      { conversationKey: '16505551234', replyTo: 'wamid.A' },
      systemClock,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([{ conversationKey: '16505551234', context: { replyTo: 'wamid.A' } }]);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('renews every 4 s when the channel declares no interval, without a reply-to when none is known', async () => {
    const { runtime, calls } = recordingChannel({});
    const stop = startTyping(Promise.resolve(runtime), { conversationKey: '42' }, systemClock);
    await vi.advanceTimersByTimeAsync(TYPING_REFRESH_MS * 2);
    stop();
    expect(calls).toHaveLength(3);
    expect(calls[0]?.context?.replyTo).toBeUndefined();
  });

  it('falls back to the default for a nonsensical interval', async () => {
    const { runtime, calls } = recordingChannel({ typingRefreshMs: 0 });
    const stop = startTyping(Promise.resolve(runtime), { conversationKey: '42' }, systemClock);
    await vi.advanceTimersByTimeAsync(TYPING_REFRESH_MS);
    stop();
    expect(calls).toHaveLength(2);
  });

  it('does nothing for a disabled channel, one without the capability, or once stopped before it loaded', async () => {
    const disabled = recordingChannel({}, false);
    const noCapability = recordingChannel({ typingIndicator: false });
    const late = recordingChannel({});
    startTyping(Promise.resolve(disabled.runtime), { conversationKey: '1' }, systemClock);
    startTyping(Promise.resolve(noCapability.runtime), { conversationKey: '1' }, systemClock);
    startTyping(Promise.resolve(late.runtime), { conversationKey: '1' }, systemClock)();
    await vi.advanceTimersByTimeAsync(TYPING_REFRESH_MS * 3);
    expect([disabled.calls, noCapability.calls, late.calls]).toEqual([[], [], []]);
  });
});
