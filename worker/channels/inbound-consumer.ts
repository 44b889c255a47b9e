import type { Env } from '../env.ts';
import type { ChannelInboundMessage } from '../queue/messages.ts';

/** Placeholder until the inbound pipeline lands: retried, never dropped. */
export async function consumeChannelInbound(
  items: readonly Message<ChannelInboundMessage>[],
  _env: Env,
): Promise<void> {
  for (const item of items) item.retry();
}
