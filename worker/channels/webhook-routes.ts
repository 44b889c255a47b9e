import type { Context } from 'hono';
import type { InboundRequest } from '../../plugins/sdk/index.ts';
import type { Env } from '../env.ts';
import { type AppEnv, createRouter } from '../http/app.ts';
import { ApiError, errorBody, notFound } from '../http/errors.ts';
import { handOff, inboundQueueMessage } from './inbound-handoff.ts';
import { loadChannel } from './runtime.ts';

/**
 * Largest webhook body read. The app-wide body limit (worker/http/app.ts) applies the same 1 MiB to /webhooks first;
 * this check keeps the route safe if that ever changes. Real webhook bodies are a few KB (one Telegram update, a Meta
 * or Slack event batch) and what is kept of them must fit a 128 KB queue message; a larger body is not a platform's.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * The URL the platform called, which some sign (Twilio): the public origin when PUBLIC_URL is set (behind a tunnel
 * or proxy the Worker sees another host), with the request's path and query.
 */
export function publicRequestUrl(env: Pick<Env, 'PUBLIC_URL'>, requestUrl: string): string {
  if (!env.PUBLIC_URL) return requestUrl;
  const url = new URL(requestUrl);
  return `${new URL(env.PUBLIC_URL).origin}${url.pathname}${url.search}`;
}

const jsonError = (
  c: Context<AppEnv>,
  status: 405 | 503,
  code: string,
  message: string,
  headers: Record<string, string>,
) => c.json(errorBody(code, message), status, headers);

/**
 * `/webhooks/{pluginId}/{channelId}`: where platforms deliver. It verifies, hands the parsed messages to the queue
 * (the durable hand-off: once sent they are processed even if this isolate dies, duplicates dropped downstream) and
 * answers at once; the conversation and the model run later in the consumer (worker/channels/inbound-consumer.ts).
 * Platforms retry slow or failed webhooks, and some disable ones that keep failing, so nothing here waits on the
 * model. Not behind the API-key rate limiter: platforms cannot authenticate that way; the signature check keeps
 * others out.
 */
export const webhookRoutes = createRouter().all('/webhooks/:pluginId/:channelId', async (c) => {
  const { pluginId, channelId } = c.req.param();
  const channel = await loadChannel(c.env, channelId);
  if (!channel || channel.pluginId !== pluginId) throw notFound('Channel');
  const method = c.req.method;
  const url = publicRequestUrl(c.env, c.req.url);
  const headers = c.req.raw.headers;
  if (method === 'GET') {
    const handshake = channel.plugin.handshake?.(channel.settings, { method, url, headers, rawBody: '' });
    if (handshake) return handshake;
  }
  if (method !== 'POST') {
    return jsonError(c, 405, 'method_not_allowed', `Webhooks are POST requests, not ${method}`, { allow: 'POST' });
  }
  // Read as bytes: form-encoded bodies (Twilio) are text too, and signatures cover exactly these bytes as UTF-8.
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_WEBHOOK_BODY_BYTES) {
    throw new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  }
  const rawBody = new TextDecoder().decode(bytes);
  const request: InboundRequest = { method, url, headers, rawBody };
  const verdict = await channel.plugin.verify(channel.settings, request, Date.now());
  if (!verdict.ok) {
    throw new ApiError(verdict.status, verdict.status === 401 ? 'unauthorized' : 'forbidden', verdict.reason);
  }
  // Verified but switched off: acknowledge, so the platform does not retry or disable the webhook, and drop it.
  if (!channel.enabled) return c.body(null, 200);
  const parsed = channel.plugin.parse(request, channel.settings);
  const acceptedAt = Date.now();
  const messages = parsed.messages
    // `raw.addressed` is how some plugins said it before the SDK had the field.
    .filter((message) => (message.addressed ?? message.raw?.addressed) !== false)
    .map((message) => inboundQueueMessage(channel, message, acceptedAt));
  try {
    await handOff(c.env.EVENTS, messages);
  } catch (error) {
    // Not accepted: a 5xx makes the platform deliver again later, and duplicates are harmless downstream.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ level: 'error', event: 'webhook.handoff_failed', channelId, pluginId, reason }));
    return jsonError(c, 503, 'unavailable', 'Could not accept the webhook; retry later', { 'retry-after': '5' });
  }
  if (parsed.reply) {
    return new Response(parsed.reply.body, {
      status: parsed.reply.status,
      headers: { 'content-type': parsed.reply.contentType },
    });
  }
  return c.body(null, 200);
});
