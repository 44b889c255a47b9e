import { z } from 'zod';
import type { OutboundMessage, PluginContext, SendResult } from '../../sdk/index.ts';
import type { SlackSettings } from './settings.ts';
import { splitSlack } from './split.ts';

type Failure = Extract<SendResult, { ok: false }>;

const slackReply = z.object({ ok: z.boolean(), error: z.string().optional(), ts: z.string().optional() });

/**
 * HTTP 429 with `Retry-After` seconds (https://docs.slack.dev/apis/web-api/rate-limits) and 5xx are retryable, as
 * are `ratelimited`, `internal_error`, `fatal_error`, `service_unavailable` and `request_timeout` answers.
 */
export function mapSlackError(status: number, error: string | undefined, retryAfter: string | null): Failure {
  const code = error ?? `http_${status}`;
  const message = `Slack answered ${code}`;
  if (status === 429 || code === 'ratelimited') {
    const seconds = Number(retryAfter);
    const retryAfterMs = retryAfter !== null && Number.isFinite(seconds) ? seconds * 1000 : 30_000;
    return { ok: false, retryable: true, code: 'rate_limited', message, retryAfterMs };
  }
  if (status >= 500 || ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(code)) {
    return { ok: false, retryable: true, code, message };
  }
  // channel_not_found, not_in_channel, is_archived, account_inactive, invalid_auth, token_revoked, msg_too_long …
  // (https://docs.slack.dev/reference/methods/chat.postMessage#errors) will never succeed on retry.
  return { ok: false, retryable: false, code, message };
}

/** `channel` or `channel:thread_ts`, as parse builds it. */
export function slackTarget(conversationKey: string): { channel: string; thread_ts?: string } {
  const [channel = conversationKey, threadTs] = conversationKey.split(':');
  return threadTs ? { channel, thread_ts: threadTs } : { channel };
}

/** A Web API method call with a JSON body: the posted message's ts, or the failure. */
export async function call(ctx: PluginContext<SlackSettings>, method: string, body: object): Promise<Failure | string> {
  const response = await ctx.fetch(`${ctx.settings.apiBaseUrl.replace(/\/$/, '')}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.settings.botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  const text = await response.text();
  let reply: z.infer<typeof slackReply> | null = null;
  try {
    const parsed = slackReply.safeParse(JSON.parse(text));
    if (parsed.success) reply = parsed.data;
  } catch {
    // an HTML error page from a proxy: judged by status
  }
  if (!response.ok || !reply?.ok || !reply.ts) {
    return mapSlackError(response.status, reply?.error, response.headers.get('retry-after'));
  }
  return reply.ts;
}

/** chat.postMessage per chunk, in the conversation's thread, with a bot token. */
export async function sendSlack(ctx: PluginContext<SlackSettings>, message: OutboundMessage): Promise<SendResult> {
  const platformMessageIds: string[] = [];
  for (const text of splitSlack(message.text)) {
    const result = await call(ctx, 'chat.postMessage', { ...slackTarget(message.conversationKey), text, mrkdwn: true });
    if (typeof result !== 'string') return result;
    platformMessageIds.push(result);
  }
  return { ok: true, platformMessageIds };
}
