/**
 * sendFile(): Slack's external upload in three steps (https://docs.slack.dev/reference/methods/files.getUploadURLExternal):
 * `files.getUploadURLExternal` (form: filename, length) answers an `upload_url` and a `file_id`; the bytes are POSTed
 * to that URL (raw bytes are accepted; it is pre-signed, so the bot token is not sent there); then
 * `files.completeUploadExternal` (JSON: files [{id, title}], channel_id, thread_ts, initial_comment) shares it into the
 * conversation's channel and thread (https://docs.slack.dev/reference/methods/files.completeUploadExternal).
 */
import { z } from 'zod';
import type { OutboundFile, PluginContext, SendResult } from '../../sdk/index.ts';
import { mapSlackError, slackTarget } from './outbound.ts';
import type { SlackSettings } from './settings.ts';

type Ctx = PluginContext<SlackSettings>;
type Failure = Extract<SendResult, { ok: false }>;

/** Slack takes files up to 1 GB (https://slack.com/help/articles/201330736-Add-files-to-Slack). */
export const SLACK_MAX_FILE_BYTES = 1024 * 1024 * 1024;

const uploadTicket = z.object({ ok: z.literal(true), upload_url: z.url(), file_id: z.string().min(1) });
const methodAnswer = z.object({ ok: z.boolean(), error: z.string().optional() });

async function method(ctx: Ctx, name: string, init: { body: string; contentType: string }): Promise<unknown | Failure> {
  const response = await ctx.fetch(`${ctx.settings.apiBaseUrl.replace(/\/$/, '')}/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.settings.botToken}`, 'content-type': init.contentType },
    body: init.body,
    signal: ctx.signal,
  });
  const json: unknown = await response.json().catch(() => null);
  const answer = methodAnswer.safeParse(json);
  if (!response.ok || !answer.success || !answer.data.ok) {
    return mapSlackError(response.status, answer.data?.error, response.headers.get('retry-after'));
  }
  return json;
}

const isFailure = (value: unknown): value is Failure =>
  typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false && 'retryable' in value;

export async function sendSlackFile(ctx: Ctx, file: OutboundFile): Promise<SendResult> {
  const form = new URLSearchParams({ filename: file.name, length: String(file.bytes.byteLength) });
  const ticketAnswer = await method(ctx, 'files.getUploadURLExternal', {
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  if (isFailure(ticketAnswer)) return ticketAnswer;
  const ticket = uploadTicket.safeParse(ticketAnswer);
  if (!ticket.success)
    return { ok: false, retryable: false, code: 'bad_response', message: 'No upload URL in the answer' };

  const uploaded = await ctx.fetch(ticket.data.upload_url, {
    method: 'POST',
    headers: { 'content-type': file.mimeType },
    body: file.bytes,
    signal: ctx.signal,
  });
  await uploaded.body?.cancel();
  if (!uploaded.ok) return mapSlackError(uploaded.status, undefined, uploaded.headers.get('retry-after'));

  const { channel, thread_ts } = slackTarget(file.conversationKey);
  const complete = await method(ctx, 'files.completeUploadExternal', {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({
      files: [{ id: ticket.data.file_id, title: file.name }],
      channel_id: channel,
      ...(thread_ts ? { thread_ts } : {}),
      ...(file.caption ? { initial_comment: file.caption } : {}),
    }),
  });
  if (isFailure(complete)) return complete;
  return { ok: true, platformMessageIds: [ticket.data.file_id] };
}
