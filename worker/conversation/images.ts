import type { ChatMessage, ImagePart, JsonValue } from '../../plugins/sdk/index.ts';
import { conversationFileKey } from './message-extras.ts';
import type { ConversationMessage } from './protocol.ts';

/**
 * Images attached to user messages, inline (base64) for providers with `capabilities.vision`. Each limit is the
 * floor of what OpenAI, Anthropic and Gemini document, so one policy fits every provider:
 *
 * - types: PNG, JPEG, WebP and GIF. OpenAI (platform.openai.com/docs/guides/images-vision) and Anthropic
 *   (docs.claude.com/en/docs/build-with-claude/vision) take all four; Gemini lists PNG, JPEG, WebP, HEIC and HEIF
 *   (ai.google.dev/gemini-api/docs/image-understanding), so the Gemini plugin turns a GIF into a note itself.
 * - 5 MB per image: Anthropic's per-image maximum on the API (OpenAI allows 50 MB per request, Gemini 20 MB inline).
 * - 10 MB of images per request: base64 adds a third, and 13.3 MB of base64 plus the text stays under Gemini's 20 MB
 *   inline request limit and Anthropic's 32 MB, and well inside the 128 MB a Durable Object may use.
 * - 8 images from the 4 newest user messages that carry any: far below Anthropic's 100 per request (and the 20 above
 *   which it shrinks images to 2000 px), and enough for "compare these" while keeping token costs bounded.
 *
 * Every attachment, of a user message or a reply (a custom action's file), becomes the note
 * "[attachment: name (file_…, type, N bytes)]" in its message's text in the provider history only (the stored
 * message is unchanged): an image that is not sent (older, over a limit, an unsupported type, a provider without
 * vision, a file that is gone) is still known to the model, and every file's id is there for a tool that takes a
 * file of the conversation (a custom action's upload: worker/custom-actions/spec/files.ts).
 */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_INLINE_IMAGE_BYTES_PER_REQUEST = 10 * 1024 * 1024;
export const MAX_INLINE_IMAGES = 8;
export const MAX_IMAGE_MESSAGES = 4;

/** An attachment as userMessageMetadata stores it in a user message's metadata. */
export interface StoredAttachment {
  fileId: string;
  name: string;
  mimeType: string;
  size: number;
}

/** Where a conversation's files are: the R2 bucket and the conversation whose key prefix they live under. */
export interface ConversationFiles {
  bucket: R2Bucket;
  teamId: string;
  conversationId: string;
}

export const attachmentNote = (file: StoredAttachment): string =>
  `[attachment: ${file.name} (${file.fileId}, ${file.mimeType}, ${file.size} bytes)]`;

const isAttachment = (value: JsonValue): value is JsonValue & StoredAttachment =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof value.fileId === 'string' &&
  typeof value.name === 'string' &&
  typeof value.mimeType === 'string' &&
  typeof value.size === 'number';

/** The files a message carries (a user's uploads, a reply's tool files), as its metadata stores them. */
export function attachedFiles(message: ConversationMessage): StoredAttachment[] {
  const attachments = message.metadata.attachments;
  return Array.isArray(attachments) ? attachments.filter(isAttachment) : [];
}

/** The image attachments of a user message (any image/* type; whether it can be sent is decided later). */
export function attachedImages(message: ConversationMessage): StoredAttachment[] {
  if (message.role !== 'user') return [];
  return attachedFiles(message).filter((attachment) => attachment.mimeType.startsWith('image/'));
}

const slot = (message: ConversationMessage, fileId: string) => `${message.id}/${fileId}`;

/**
 * Which images go inline, as `messageId/fileId` slots: newest message first, within every limit above. Pure, and
 * decided from the stored metadata (type and size), so no R2 read is spent on an image that would not be sent.
 */
export function chooseInlineImages(window: readonly ConversationMessage[]): Set<string> {
  const chosen = new Set<string>();
  let messages = 0;
  let bytes = 0;
  for (let i = window.length - 1; i >= 0 && messages < MAX_IMAGE_MESSAGES; i--) {
    const message = window[i] as ConversationMessage;
    const images = attachedImages(message);
    if (images.length === 0) continue;
    messages++;
    for (const image of images) {
      const fits =
        INLINE_IMAGE_TYPES.has(image.mimeType) &&
        image.size <= MAX_INLINE_IMAGE_BYTES &&
        bytes + image.size <= MAX_INLINE_IMAGE_BYTES_PER_REQUEST &&
        chosen.size < MAX_INLINE_IMAGES;
      if (!fits) continue;
      chosen.add(slot(message, image.fileId));
      bytes += image.size;
    }
  }
  return chosen;
}

/**
 * The window as the model sees it: text with a note per attachment, plus the chosen images inline when the provider
 * has vision. R2 is read once per chosen file for the whole turn: the tool-calling loop reuses the result.
 */
export async function withImages(
  window: readonly ConversationMessage[],
  options: { vision: boolean; files: ConversationFiles },
): Promise<ChatMessage[]> {
  const chosen = options.vision ? chooseInlineImages(window) : new Set<string>();
  const fileIds = new Set([...chosen].map((key) => key.slice(key.indexOf('/') + 1)));
  const loaded = new Map<string, ImagePart | undefined>(
    await Promise.all([...fileIds].map(async (fileId) => [fileId, await loadImage(options.files, fileId)] as const)),
  );
  return window.map((message) => {
    const images: ImagePart[] = [];
    for (const attachment of attachedImages(message)) {
      const image = chosen.has(slot(message, attachment.fileId)) ? loaded.get(attachment.fileId) : undefined;
      if (image) images.push(image);
    }
    const notes = attachedFiles(message).map(attachmentNote);
    const content = [message.content, ...notes].filter((part) => part !== '').join('\n');
    return images.length > 0 ? { role: message.role, content, images } : { role: message.role, content };
  });
}

/** One image as base64, or undefined when it is gone, changed type or grew past the limit since it was attached. */
async function loadImage(files: ConversationFiles, fileId: string): Promise<ImagePart | undefined> {
  try {
    const object = await files.bucket.get(conversationFileKey(files.teamId, files.conversationId, fileId));
    if (!object) return undefined;
    const mimeType = object.httpMetadata?.contentType ?? '';
    if (!INLINE_IMAGE_TYPES.has(mimeType) || object.size > MAX_INLINE_IMAGE_BYTES) {
      await object.body.cancel();
      return undefined;
    }
    return { mimeType, data: toBase64(new Uint8Array(await object.arrayBuffer())) };
  } catch (error) {
    // A failed read costs the model one image, not the user their reply.
    console.warn(JSON.stringify({ level: 'warn', message: 'image not loaded', fileId, error: String(error) }));
    return undefined;
  }
}

// A multiple of 3, so every chunk encodes to whole base64 quanta and the chunks concatenate without padding.
const BASE64_CHUNK_BYTES = 3 * 8192;

/** Standard base64 with padding (RFC 4648 §4), chunked so no intermediate string is as large as the image. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += BASE64_CHUNK_BYTES) {
    const chunk = bytes.subarray(at, at + BASE64_CHUNK_BYTES);
    parts.push(btoa(String.fromCharCode(...chunk)));
  }
  return parts.join('');
}
