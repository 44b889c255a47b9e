import { fileRefSchema, isEncodedFileField, isFileField } from './files.ts';
import { toJsonSchema } from './schema.ts';
import { type ActionOperation, isRecord, type JsonSchema } from './types.ts';

export interface RequestBody {
  schema: JsonSchema;
  required: boolean;
  mediaType: NonNullable<ActionOperation['bodyMediaType']>;
  fileFields?: string[];
  rawMediaTypes?: string[];
}

/**
 * The body the model fills, by preference: JSON, else a URL-encoded form, else a multipart form (its file fields
 * as file references), else one file sent as it is (application/octet-stream, image/*, …). A multipart form that
 * needs an encoded-file field (base64 text, which a model cannot make from a file) is not offered, nor is any other
 * media type (XML, plain text): the model would have to write it by hand.
 */
export function requestBody(body: unknown, openapi30: boolean): RequestBody | null {
  if (!isRecord(body) || !isRecord(body.content)) return null;
  const entries = Object.entries(body.content);
  const find = (pattern: RegExp) => entries.find(([type]) => pattern.test(type));
  const json = find(/^application\/json\s*(;|$)/i);
  const form = find(/^application\/x-www-form-urlencoded\s*(;|$)/i);
  const multipart = find(/^multipart\/form-data\s*(;|$)/i);
  const describe = (schema: JsonSchema) => {
    if (typeof body.description === 'string' && schema.description === undefined) schema.description = body.description;
    return schema;
  };
  const chosen = json ?? form ?? multipart;
  if (!chosen) {
    const raw = rawFileTypes(entries);
    if (raw.length === 0) return null;
    return {
      schema: fileRefSchema(body.description),
      required: body.required === true,
      mediaType: 'binary',
      rawMediaTypes: raw,
    };
  }
  const media = chosen[1];
  const schema = toJsonSchema(isRecord(media) ? media.schema : undefined, openapi30);
  if (json || form) {
    return {
      schema: describe(schema),
      required: body.required === true,
      mediaType: json ? 'application/json' : 'application/x-www-form-urlencoded',
    };
  }
  const withFiles = withFileFields(schema);
  if (!withFiles) return null;
  return {
    schema: describe(withFiles.schema),
    required: body.required === true,
    mediaType: 'multipart/form-data',
    fileFields: withFiles.fileFields,
  };
}

/**
 * The media types under which the body is one file: a binary schema (`format: binary`, `contentMediaType`), or none
 * at all for a type that is not text (OAS 3.1 §4.8.14.3 writes a raw upload as `application/octet-stream: {}`).
 */
function rawFileTypes(entries: Array<[string, unknown]>): string[] {
  const textual = /^(text\/|application\/([\w.+-]*\+)?(json|xml|yaml|x-yaml)\s*(;|$))/i;
  return entries
    .filter(([type, media]) => {
      const schema = isRecord(media) ? media.schema : undefined;
      return schema === undefined ? !textual.test(type) : isFileField(schema);
    })
    .map(([type]) => type.split(';')[0]?.trim().toLowerCase() ?? type);
}

/**
 * The multipart schema with each file field (or array of them) as a file reference, and encoded-file fields left
 * out; null when one of those is required (the call cannot be made).
 */
function withFileFields(schema: JsonSchema): { schema: JsonSchema; fileFields: string[] } | null {
  if (!isRecord(schema.properties)) return { schema, fileFields: [] };
  const required = Array.isArray(schema.required) ? schema.required : [];
  const properties: Record<string, unknown> = {};
  const fileFields: string[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (isFileField(property)) {
      properties[name] = fileRefSchema(isRecord(property) ? property.description : undefined);
      fileFields.push(name);
    } else if (isRecord(property) && property.type === 'array' && isFileField(property.items)) {
      properties[name] = {
        type: 'array',
        items: fileRefSchema(isRecord(property.items) ? property.items.description : undefined),
        ...(typeof property.description === 'string' && { description: property.description }),
        ...(typeof property.maxItems === 'number' && { maxItems: property.maxItems }),
        ...(typeof property.minItems === 'number' && { minItems: property.minItems }),
      };
      fileFields.push(name);
    } else if (!isEncodedFileField(property)) properties[name] = property;
    else if (required.includes(name)) return null;
  }
  return { schema: { ...schema, properties }, fileFields };
}
