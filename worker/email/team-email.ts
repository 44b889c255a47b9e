import { registry } from '../../plugins/registry.ts';
import { EmailError } from '../../plugins/sdk/email.ts';
import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { EmailMessage, NodeEmail } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import { systemClock } from '../ports/clock.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { keyHash, sinkEmail } from './local-sink.ts';

/** Sent-mail receipts by idempotency key, so a retried node (same `runId:nodeId`) sends once. */
const SENT_PREFIX = 'email-sent/';

/**
 * Email sent on a team's behalf through its configured email-sender plugin (the first `email` configuration the team
 * made). The core hands the sender the `send_email` binding when the deployment has one (plugins never reach
 * bindings themselves). A team with no sender gets the local sink when `EMAIL_SINK=local`, else a NodeError.
 */
export function teamEmail(env: Env, teamId: string): NodeEmail {
  return {
    async send(message) {
      const senders = registry.of('email');
      const configs = await openConfigsOf(env, teamId, 'email', [...senders.keys()]);
      const [pluginId, settings] = [...configs.entries()][0] ?? [];
      const sender = pluginId === undefined ? undefined : senders.get(pluginId);
      if (!sender || !settings) {
        if (env.EMAIL_SINK === 'local') return sinkEmail(env, teamId, message);
        throw new NodeError('email is not configured for this team (configure an email sender plugin)');
      }
      return sendOnce(env, teamId, message, async () => {
        const from = typeof settings.from === 'string' ? settings.from : '';
        if (from === '') throw new NodeError(`the ${sender.id} email sender has no from address`);
        try {
          return await sender.send(
            {
              settings,
              fetch: outboundFetch(env),
              clock: systemClock,
              signal: AbortSignal.timeout(15_000),
              ...(env.SEND_EMAIL && { binding: env.SEND_EMAIL }),
            },
            { ...message, from },
          );
        } catch (error) {
          if (error instanceof EmailError) throw new NodeError(`email: ${error.message}`, error.retryable);
          throw error;
        }
      });
    },
  };
}

async function sendOnce(
  env: Env,
  teamId: string,
  message: EmailMessage,
  send: () => Promise<{ id: string }>,
): Promise<{ id: string }> {
  const key = `${SENT_PREFIX}${teamId}/${await keyHash(message.idempotencyKey)}`;
  const receipt = await env.FILES.get(key);
  if (receipt) return (await receipt.json()) as { id: string };
  const sent = await send();
  await env.FILES.put(key, JSON.stringify({ id: sent.id }));
  return sent;
}
