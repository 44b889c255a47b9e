/**
 * Checks the content parts of a Chat Completions message as the real API does: `text` parts need their text, and
 * `image_url` parts (user messages only) need an http(s) URL or a base64 data URL of a PNG, JPEG, GIF or WebP
 * image (platform.openai.com/docs/guides/images-vision). A data URL must hold what it claims to hold.
 */
import { imageProblem } from '../../../sdk/fake/images.ts';
import type { ApiError } from './wire.ts';
import { apiError, errors } from './wire.ts';

const PART_TYPES = ['text', 'image_url', 'input_audio', 'refusal', 'audio', 'file'];
const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.*)$/s;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkContentParts(role: string, parts: unknown[], at: string): ApiError | undefined {
  for (const [index, part] of parts.entries()) {
    const where = `${at}.content[${index}]`;
    if (!isRecord(part) || typeof part.type !== 'string') return errors.missing(`${where}.type`);
    if (!PART_TYPES.includes(part.type)) {
      const supported = "'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'";
      return errors.invalid(`${where}.type`, `Invalid value: '${part.type}'. Supported values are: ${supported}.`);
    }
    if (part.type === 'text' && typeof part.text !== 'string') return errors.missing(`${where}.text`);
    if (part.type !== 'image_url') continue;
    if (role !== 'user') {
      return errors.invalid(
        at,
        `Image URLs are only allowed for messages with role 'user', but this message with role '${role}' contains ` +
          'an image URL.',
      );
    }
    const url = isRecord(part.image_url) ? part.image_url.url : undefined;
    if (typeof url !== 'string') return errors.missing(`${where}.image_url.url`);
    if (/^https?:\/\//.test(url)) continue;
    const data = DATA_URL.exec(url);
    const problem = data ? imageProblem(data[1] ?? '', data[2] ?? '') : 'not a base64 data URL of a supported type';
    if (problem) {
      return apiError(
        400,
        "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', " +
          `'jpeg', 'gif', 'webp']. (fake: ${problem})`,
        { param: `${where}.image_url.url`, code: 'invalid_image_format' },
      );
    }
  }
  return undefined;
}

/** The declared types of every inline image in the request, in order (what the fake model "sees"). */
export function inlineImageTypes(messages: readonly { content: unknown }[]): string[] {
  return messages.flatMap((message) =>
    Array.isArray(message.content)
      ? message.content.flatMap((part: unknown) => {
          const url = isRecord(part) && isRecord(part.image_url) ? part.image_url.url : undefined;
          const type = typeof url === 'string' ? DATA_URL.exec(url)?.[1] : undefined;
          return type ? [type] : [];
        })
      : [],
  );
}
