/**
 * A `multipart/form-data` body (RFC 7578) from a model's object of fields, built as text: the model can only send
 * JSON values, so every part is text — a string as it is, any other value as JSON with `Content-Type:
 * application/json`, which OAS 3.1 §4.8.14.4 names the default for object and array properties. An array of
 * primitives repeats the field, one part per item (RFC 7578 §4.3; OAS's default for arrays of strings too). Binary
 * fields are not offered to the model at all (operations.ts `multipartSchema`).
 */

/**
 * A boundary no JSON text from the model contains in practice; RFC 2046 §5.1.1 allows up to 70 characters. The
 * caller passes a fresh random one per request, so a value cannot be crafted to end its part early.
 */
export const newBoundary = () => `parley-${crypto.randomUUID().replaceAll('-', '')}`;

/** Field names in the part header, escaped as the WHATWG HTML form encoder does (`"` → %22, CR → %0D, LF → %0A). */
const escapeName = (name: string) => name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

export function multipartBody(fields: Record<string, unknown>, boundary: string): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    const isText = typeof value === 'string';
    const text = isText ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const type = typeof value === 'object' ? 'Content-Type: application/json\r\n' : '';
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n${type}\r\n${text}\r\n`);
  };
  for (const [name, value] of Object.entries(fields)) {
    const primitives = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
    if (primitives) for (const item of value) add(name, item);
    else add(name, value);
  }
  return `${parts.join('')}--${boundary}--\r\n`;
}
