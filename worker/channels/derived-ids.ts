/**
 * Ids derived from what a platform sent rather than drawn at random, so every redelivery of a webhook (platforms
 * retry, Queues redeliver) computes the same ids and the writes that use them are no-ops the second time.
 */

const encoder = new TextEncoder();
// Crockford base32, as worker/ids.ts uses, so derived ids look like every other id.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

async function sha256(parts: readonly string[]): Promise<Uint8Array> {
  // A separator that cannot occur in ids or keys keeps ("a", "bc") and ("ab", "c") apart.
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(parts.join('\u0000'))));
}

async function base32(parts: readonly string[], length: number): Promise<string> {
  let out = '';
  for (const byte of (await sha256(parts)).subarray(0, length)) out += ALPHABET[byte % 32];
  return out;
}

/**
 * The conversation a chat moves to after `previousConversationId` (null for its first one). Concurrent first
 * messages of one chat all compute the same id, so at most one conversation row is ever created for them.
 * Same length as `newId` ids (26 characters after the prefix).
 */
export const threadConversationId = (
  channelId: string,
  conversationKey: string,
  previousConversationId: string | null,
) => base32(['thread', channelId, conversationKey, previousConversationId ?? ''], 26).then((id) => `conv_${id}`);

/** The R2 file an inbound media item is stored as: matches FILE_ID_PATTERN (message-extras.ts). */
export const inboundFileId = (channelId: string, platformMessageId: string) =>
  base32(['file', channelId, platformMessageId], 26).then((id) => `file_${id}`);

/**
 * The clientMessageId the conversation object dedupes by. Platform ids may contain characters outside the
 * clientMessageId pattern or exceed its 100 characters, so it is `ch:` + 40 hex digits (160 bits) of a SHA-256.
 */
export async function inboundClientMessageId(channelId: string, platformMessageId: string): Promise<string> {
  const digest = await sha256(['message', channelId, platformMessageId]);
  return `ch:${[...digest.subarray(0, 20)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
