/** A chunk's key: the first 32 hex digits (128 bits) of the SHA-256 of its text, so equal text has one key. */
export async function chunkKey(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
