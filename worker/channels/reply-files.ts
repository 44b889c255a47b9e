import type { JsonObject, SendResult } from '../../plugins/sdk/index.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { channelFileUrl } from './file-links/link.ts';
import { channelContext } from './plugin-context.ts';
import type { ChannelRuntime } from './runtime.ts';

/** One upload of at most 10 MB (worker/custom-actions/files.ts) on a slow platform: more than a text send. */
const FILE_TIMEOUT_MS = 60_000;

/** A reply's file, as worker/conversation/turn-steps.ts stores it in `metadata.attachments`. */
export interface ReplyFile {
  fileId: string;
  name: string;
  mimeType: string;
  size: number;
}

type Failure = Extract<SendResult, { ok: false }>;

const isReplyFile = (value: unknown): value is ReplyFile => {
  const file = value as Partial<ReplyFile> | null;
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.fileId === 'string' &&
    typeof file.name === 'string' &&
    typeof file.mimeType === 'string' &&
    typeof file.size === 'number'
  );
};

/** The files an assistant reply carries (a custom action's binary response); none for other messages. */
export function replyFiles(message: ConversationMessage): ReplyFile[] {
  const attachments = message.metadata.attachments;
  if (message.role !== 'assistant' || !Array.isArray(attachments)) return [];
  return (attachments as unknown[]).filter(isReplyFile);
}

/**
 * Whether the channel can send this reply's files: it has sendFile, and a platform that fetches files from a link
 * (capabilities.filesByUrl) needs a public origin to sign one on (PUBLIC_URL). Otherwise the text names the files.
 */
export function canSendFiles(channel: ChannelRuntime, env: Pick<Env, 'PUBLIC_URL'>, files: readonly ReplyFile[]) {
  if (!channel.plugin.sendFile || files.length === 0) return false;
  return !channel.plugin.capabilities.filesByUrl || Boolean(env.PUBLIC_URL);
}

/**
 * For a channel that cannot send files (no sendFile): one "[file: name]" line per file under the text, so the user
 * knows something was attached (the dashboard and the message API still have it).
 */
export function withFileNames(text: string, files: readonly ReplyFile[]): string {
  if (files.length === 0) return text;
  const lines = files.map((file) => `[file: ${file.name}]`).join('\n');
  return text.trim() === '' ? lines : `${text}\n\n${lines}`;
}

export interface FilesOutcome {
  /** Per file, in order: `sent` (with its platform ids), `skipped` (with a reason), `failed`, or `retrying`. */
  files: JsonObject[];
  /** A retryable failure: the delivery is tried again later for the files not sent yet. */
  retry?: Failure;
}

/** Settled by an earlier attempt: never sent again (a permanent failure would fail the same way). */
const isDone = (entry: JsonObject | undefined) => ['sent', 'skipped', 'failed'].includes(String(entry?.status));

/**
 * Sends the reply's files after its text, in order, each at most once: files an earlier attempt of this delivery
 * settled (`previous`: sent, skipped or failed) are not sent again. Stops at the first retryable failure
 * when `mayRetry`, so files keep their order; otherwise records it as failed and goes on.
 */
export async function sendReplyFiles(
  host: { env: Env; store: ConversationStore; clock: Clock; address: { conversationKey: string } },
  channel: ChannelRuntime,
  files: readonly ReplyFile[],
  previous: readonly JsonObject[],
  mayRetry: boolean,
): Promise<FilesOutcome> {
  const outcomes: JsonObject[] = [];
  const maxBytes = channel.plugin.capabilities.maxFileBytes ?? 0;
  for (const [index, file] of files.entries()) {
    const before = previous[index];
    if (before && before.fileId === file.fileId && isDone(before)) {
      outcomes.push(before);
      continue;
    }
    const entry = { fileId: file.fileId, name: file.name };
    if (file.size > maxBytes) {
      outcomes.push({ ...entry, status: 'skipped', reason: `larger than the platform's ${maxBytes} bytes` });
      continue;
    }
    const result = await sendOne(host, channel, file);
    if (result.ok) {
      outcomes.push({ ...entry, status: 'sent', platformMessageIds: result.platformMessageIds });
      continue;
    }
    if ('skipped' in result) {
      outcomes.push({ ...entry, status: 'skipped', reason: result.skipped });
      continue;
    }
    const error = { code: result.code, message: result.message.slice(0, 500) };
    if (result.retryable && mayRetry) {
      outcomes.push({ ...entry, status: 'retrying', error });
      outcomes.push(...files.slice(index + 1).map((rest, i) => previous[index + 1 + i] ?? pendingEntry(rest)));
      return { files: outcomes, retry: result };
    }
    outcomes.push({ ...entry, status: 'failed', error });
  }
  return { files: outcomes };
}

const pendingEntry = (file: ReplyFile): JsonObject => ({ fileId: file.fileId, name: file.name, status: 'pending' });

/** Reads the file from this conversation's R2 prefix (the team and conversation are in the key) and sends it. */
async function sendOne(
  host: { env: Env; store: ConversationStore; clock: Clock; address: { conversationKey: string } },
  channel: ChannelRuntime,
  file: ReplyFile,
): Promise<SendResult | { ok: false; skipped: string }> {
  const meta = host.store.getMeta<ConversationMeta>('conversation');
  if (!meta || meta.teamId !== channel.teamId || !channel.plugin.sendFile)
    return { ok: false, skipped: 'not_sendable' };
  const object = await host.env.FILES.get(conversationFileKey(meta.teamId, meta.conversationId, file.fileId));
  if (!object) return { ok: false, skipped: 'file_missing' };
  const bytes = await object.arrayBuffer();
  // A platform that fetches the file itself gets a signed link to it (none without PUBLIC_URL: see canSendFiles).
  const ref = { teamId: meta.teamId, conversationId: meta.conversationId, fileId: file.fileId };
  const url = channel.plugin.capabilities.filesByUrl
    ? await channelFileUrl(host.env, ref, host.clock.now())
    : undefined;
  if (channel.plugin.capabilities.filesByUrl && !url) return { ok: false, skipped: 'no_public_url' };
  try {
    const ctx = channelContext(channel, host.clock, FILE_TIMEOUT_MS);
    const { conversationKey } = host.address;
    const outbound = { conversationKey, bytes, name: file.name, mimeType: file.mimeType, ...(url && { url }) };
    return await channel.plugin.sendFile(ctx, outbound);
  } catch (error) {
    // Never the error's message: a Bot API URL carries the token.
    const name = error instanceof Error ? error.name : 'Error';
    return { ok: false, retryable: true, code: 'file_threw', message: `Sending the file failed (${name})` };
  }
}
