import type { Env } from '../../env.ts';
import { constantTimeEqual } from '../../security/constant-time.ts';
import { labelledHmac } from '../../security/labelled-hmac.ts';

/** The HKDF label of the channel file link key (worker/security/labelled-hmac.ts): no other HMAC can stand in. */
const LABEL = 'parley-channel-file';

export const CHANNEL_FILES_PATH = '/api/v1/channel-files/';

/**
 * How long a link works. Twilio fetches a message's MediaUrl when it sends the message, and retries a failed fetch
 * for minutes, not hours (https://www.twilio.com/docs/messaging/api/message-resource#media-url); an hour covers that
 * with room, and a link copied out of a platform's logs stops working soon after.
 */
export const CHANNEL_FILE_LINK_TTL_SECONDS = 3_600;

/** What a link names: one file of one conversation of one team, until `expiresAt` (Unix seconds). */
export interface ChannelFileRef {
  teamId: string;
  conversationId: string;
  fileId: string;
  expiresAt: number;
}

const payload = (ref: ChannelFileRef) => `${ref.teamId}:${ref.conversationId}:${ref.fileId}:${ref.expiresAt}`;

/**
 * The absolute link a platform that fetches files itself (capabilities.filesByUrl) downloads a reply file from, on
 * `PUBLIC_URL`: the platform must reach it, and a request's own origin is unknown where deliveries run (the
 * conversation object's alarm). Undefined without PUBLIC_URL; the core then names the file in the text instead.
 * The `t` capability is an HMAC of team, conversation, file and expiry, so the link needs no sign-in, names exactly
 * one file and cannot be extended.
 */
export async function channelFileUrl(
  env: Pick<Env, 'PUBLIC_URL' | 'ENCRYPTION_KEY'>,
  file: Omit<ChannelFileRef, 'expiresAt'>,
  nowMs: number,
): Promise<string | undefined> {
  if (!env.PUBLIC_URL) return undefined;
  const ref = { ...file, expiresAt: Math.floor(nowMs / 1000) + CHANNEL_FILE_LINK_TTL_SECONDS };
  const token = await labelledHmac(env.ENCRYPTION_KEY, LABEL, payload(ref));
  const path = [ref.teamId, ref.conversationId, ref.fileId].map(encodeURIComponent).join('/');
  // A trailing slash in PUBLIC_URL would give `//api`, which is a different path.
  return `${env.PUBLIC_URL.replace(/\/+$/, '')}${CHANNEL_FILES_PATH}${path}?e=${ref.expiresAt}&t=${token}`;
}

/** Whether `token` is the capability of `ref` (compared in constant time) and `ref` has not expired at `nowMs`. */
export async function isChannelFileToken(
  env: Pick<Env, 'ENCRYPTION_KEY'>,
  ref: ChannelFileRef,
  token: string,
  nowMs: number,
): Promise<boolean> {
  // The HMAC is computed whatever the expiry, so an expired link costs the same time as a forged one.
  const valid = constantTimeEqual(await labelledHmac(env.ENCRYPTION_KEY, LABEL, payload(ref)), token);
  return valid && ref.expiresAt * 1000 > nowMs;
}
