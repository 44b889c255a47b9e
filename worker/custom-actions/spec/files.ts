import { type ActionOperation, isRecord, type JsonSchema } from './types.ts';

/**
 * File uploads through an operation (issue 18 §1). A model writes JSON, not bytes, so a file field of a multipart
 * form, or a body that is one file, is offered as a reference to a file of the conversation, `{"fileId": "file_…"}`;
 * the caller reads that file from the conversation's own R2 prefix and sends its bytes (worker/custom-actions/
 * upload-files.ts). Pure: no bindings, no I/O.
 */

/** A conversation file's id (worker/conversation/message-extras.ts FILE_ID_PATTERN, as `newId('file')` makes it). */
export const FILE_ID_SOURCE = '^file_[a-z0-9]{26}$';
const FILE_ID = new RegExp(FILE_ID_SOURCE);

export const FILE_REF_DESCRIPTION =
  'A file of this conversation, by id: {"fileId": "file_…"}: a file the user attached or a file an earlier reply ' +
  'carried (the history shows each as "[attachment: name (file_…, type, size)]"). Its bytes are sent, not the id.';

/** The schema of one file reference, with the spec's own description of the field after ours. */
export function fileRefSchema(description?: unknown): JsonSchema {
  const own = typeof description === 'string' && description.trim() !== '' ? ` ${description.trim()}` : '';
  return {
    type: 'object',
    description: `${FILE_REF_DESCRIPTION}${own}`,
    properties: { fileId: { type: 'string', pattern: FILE_ID_SOURCE } },
    required: ['fileId'],
    additionalProperties: false,
  };
}

/**
 * A field whose value is a file's raw bytes: OAS 3.0 `format: binary`, OAS 3.1 `contentMediaType` without a
 * `contentEncoding` (§4.8.14.3: with one, the value is encoded text such as base64, which a model cannot make from a
 * file either, so such fields stay unoffered, as 3.0's `format: byte`).
 */
export const isFileField = (schema: unknown): boolean =>
  isRecord(schema) &&
  schema.type !== 'array' &&
  schema.contentEncoding === undefined &&
  (schema.format === 'binary' || schema.contentMediaType !== undefined);

/** A field of encoded file content (3.0 `format: byte`, 3.1 `contentEncoding`): not offered to the model. */
export const isEncodedFileField = (schema: unknown): boolean =>
  isRecord(schema) &&
  (schema.format === 'byte' ||
    schema.contentEncoding !== undefined ||
    (schema.type === 'array' && isEncodedFileField(schema.items)));

/**
 * The file ids a call's arguments name, in order, once each: `body.<field>` (or its array items) for each multipart
 * file field, `body` itself for a binary body. Only well-formed ids; anything else fails the schema check later.
 */
export function fileIdsIn(op: Pick<ActionOperation, 'bodyMediaType' | 'fileFields'>, args: unknown): string[] {
  if (!isRecord(args)) return [];
  const refs: unknown[] = [];
  if (op.bodyMediaType === 'binary') refs.push(args.body);
  else if (op.bodyMediaType === 'multipart/form-data' && isRecord(args.body)) {
    const body = args.body;
    for (const field of op.fileFields ?? []) {
      const value = body[field];
      if (Array.isArray(value)) refs.push(...value);
      else refs.push(value);
    }
  }
  const ids = refs.flatMap((ref) =>
    isRecord(ref) && typeof ref.fileId === 'string' && FILE_ID.test(ref.fileId) ? [ref.fileId] : [],
  );
  return [...new Set(ids)];
}
