import type { PluginContext } from '../../plugins/sdk/index.ts';
import type { Clock } from '../ports/clock.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * What a channel plugin's outbound hooks (send, edit, typing, sendAudio, sendFile) receive. Every call gets its own
 * deadline: a platform that hangs must not hold a delivery (or a turn's typing loop) forever.
 */
export function channelContext(
  channel: ChannelRuntime,
  clock: Clock,
  timeoutMs: number,
): PluginContext<Record<string, unknown>> {
  return {
    settings: channel.settings,
    fetch: (request, init) => fetch(request, init),
    clock,
    signal: AbortSignal.timeout(timeoutMs),
  };
}
