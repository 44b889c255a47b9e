import type { DownloadedMedia } from '../../plugins/sdk/index.ts';
import { conversationFileKey } from '../conversation/message-extras.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { inboundFileId } from './derived-ids.ts';
import { TransientInboundError } from './inbound-errors.ts';
import { channelContext } from './plugin-context.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * Largest inbound file kept: the Bot API's getFile limit (20 MB, core.telegram.org/bots/api#getfile), the lowest of
 * the platforms; the whole file is held in memory on its way to R2 and an isolate has 128 MB.
 */
export const MAX_INBOUND_MEDIA_BYTES = 20 * 1024 * 1024;

/** A platform download that hangs must not hold the queue batch (its wall time is bounded, see Queues limits). */
const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * Types served as they are. Anything else is stored as application/octet-stream: files are served from the API's
 * origin (worker/widget/uploads.ts), and a platform-declared text/html or SVG must never render there.
 */
const SAFE_TYPE = /^(image\/(png|jpeg|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain)$/;

export interface StoredMedia {
  fileId: string;
  mimeType: string;
  size: number;
  body: ArrayBuffer;
}

export type MediaOutcome =
  | { ok: true; media: StoredMedia }
  | { ok: false; reason: 'unsupported' | 'too_large' | 'failed' };

// A download that keeps failing is given up after this many deliveries, and the message kept as a description.
const DOWNLOAD_ATTEMPTS = 3;

/**
 * Downloads an inbound media item through the channel plugin and stores it in R2 where the widget's uploads live
 * (conversationFileKey), so it is an ordinary attachment of the user message: shown in the transcript and passed to
 * vision-capable providers. The file id is derived from the platform message id, so a retry overwrites the same object.
 */
export async function storeInboundMedia(
  env: Env,
  channel: ChannelRuntime,
  target: { teamId: string; conversationId: string; platformMessageId: string },
  item: { kind: string; mediaId: string; mimeType?: string },
  attempts: number,
): Promise<MediaOutcome> {
  const download = channel.plugin.downloadMedia;
  if (!download) return { ok: false, reason: 'unsupported' };
  let downloaded: DownloadedMedia;
  try {
    downloaded = await download(channelContext(channel, systemClock, DOWNLOAD_TIMEOUT_MS), item.mediaId);
  } catch {
    if (attempts < DOWNLOAD_ATTEMPTS)
      throw new TransientInboundError('media_download', `Downloading the ${item.kind} failed`);
    return { ok: false, reason: 'failed' };
  }
  const size = downloaded.body.byteLength;
  if (size === 0) return { ok: false, reason: 'failed' };
  if (size > MAX_INBOUND_MEDIA_BYTES) return { ok: false, reason: 'too_large' };
  const declared = (downloaded.mimeType || item.mimeType || '').split(';')[0]?.trim().toLowerCase() ?? '';
  const mimeType = SAFE_TYPE.test(declared) ? declared : 'application/octet-stream';
  const fileId = await inboundFileId(channel.id, target.platformMessageId);
  await env.FILES.put(conversationFileKey(target.teamId, target.conversationId, fileId), downloaded.body, {
    httpMetadata: { contentType: mimeType },
    customMetadata: { name: `${item.kind}${extensionOf(mimeType)}`, source: channel.pluginId },
  });
  return { ok: true, media: { fileId, mimeType, size, body: downloaded.body } };
}

function extensionOf(mimeType: string): string {
  const subtype = mimeType.split('/')[1] ?? '';
  if (mimeType === 'application/octet-stream' || !/^[a-z0-9]{1,8}$/.test(subtype)) return '';
  return `.${subtype === 'jpeg' ? 'jpg' : subtype}`;
}
