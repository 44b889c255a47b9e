/**
 * Shared by the fake LLM APIs: checks an inline image as the real APIs do (valid base64, bytes that really are the
 * declared type) and says what the fake "model" saw, so a test can read from the reply which images arrived.
 */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The type the bytes' magic number says, or undefined for anything that is not PNG, JPEG, GIF or WebP. */
export function sniffImageType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  return undefined;
}

/** Why an inline image would be refused, or undefined when it is a well-formed image of its declared type. */
export function imageProblem(mimeType: string, data: string): string | undefined {
  if (data === '' || data.length % 4 !== 0 || !BASE64.test(data)) return 'the image data is not valid base64';
  const actual = sniffImageType(Buffer.from(data, 'base64'));
  if (actual === undefined) return 'the image data is not a PNG, JPEG, GIF or WebP image';
  if (actual !== mimeType) return `the image data is ${actual}, not the declared ${mimeType}`;
  return undefined;
}

/** "I see 2 images (image/png, image/jpeg)." — what the fakes prepend to a reply when the request held images. */
export function describeImages(mimeTypes: readonly string[]): string {
  const count = mimeTypes.length;
  return `I see ${count} image${count === 1 ? '' : 's'} (${mimeTypes.join(', ')}).`;
}
