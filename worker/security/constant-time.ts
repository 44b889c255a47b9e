/**
 * Compares two strings in time that depends only on their lengths, so a signature or token cannot be guessed
 * byte by byte from response times. Workers' `crypto.subtle.timingSafeEqual` needs equal lengths, hence the guard.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.byteLength !== right.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: BufferSource, y: BufferSource) => boolean };
  if (subtle.timingSafeEqual) return subtle.timingSafeEqual(left, right);
  let difference = 0;
  for (let i = 0; i < left.byteLength; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}
