/**
 * A `multipart/form-data` body (RFC 7578) from a model's object of fields, built as text: the model can only send
 * JSON values, so every part is text — a string as it is, any other value as JSON with `Content-Type:
 * application/json`, which OAS 3.1 §4.8.14.4 names the default for object and array properties. An array of
 * primitives repeats the field, one part per item (RFC 7578 §4.3; OAS's default for arrays of strings too). A file
 * field holds a reference `{fileId}` (or an array of them, one part each): its part carries the file's bytes, its
 * stored name as `filename` and its stored type as `Content-Type` (RFC 7578 §4.2, §4.4); the body is then bytes.
 */
import type { UploadFile } from './types.ts';

/**
 * A boundary no JSON text from the model contains in practice; RFC 2046 §5.1.1 allows up to 70 characters. The
 * caller passes a fresh random one per request, so a value cannot be crafted to end its part early.
 */
export const newBoundary = () => `parley-${crypto.randomUUID().replaceAll('-', '')}`;

/** Field names in the part header, escaped as the WHATWG HTML form encoder does (`"` → %22, CR → %0D, LF → %0A). */
const escapeName = (name: string) => name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

export function multipartBody(
  fields: Record<string, unknown>,
  boundary: string,
  fileFields: readonly string[] = [],
  files: ReadonlyMap<string, UploadFile> = new Map(),
): string | Uint8Array<ArrayBuffer> {
  const parts: Array<string | Uint8Array<ArrayBuffer>> = [];
  let binary = false;
  const addFile = (name: string, ref: unknown) => {
    const fileId = typeof ref === 'object' && ref !== null ? (ref as { fileId?: unknown }).fileId : undefined;
    const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
    if (!file) return;
    binary = true;
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; filename="${escapeName(file.name)}"\r\n` +
        `Content-Type: ${file.mimeType.replace(/[\r\n]/g, '') || 'application/octet-stream'}\r\n\r\n`,
      file.bytes,
      '\r\n',
    );
  };
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (fileFields.includes(name)) return addFile(name, value);
    const isText = typeof value === 'string';
    const text = isText ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const type = typeof value === 'object' ? 'Content-Type: application/json\r\n' : '';
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n${type}\r\n${text}\r\n`);
  };
  for (const [name, value] of Object.entries(fields)) {
    if (fileFields.includes(name) && Array.isArray(value)) {
      for (const item of value) addFile(name, item);
      continue;
    }
    const primitives = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
    if (primitives) for (const item of value) add(name, item);
    else add(name, value);
  }
  parts.push(`--${boundary}--\r\n`);
  if (!binary) return parts.join('');
  const encoder = new TextEncoder();
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
