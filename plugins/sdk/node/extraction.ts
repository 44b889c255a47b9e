/**
 * Structured extraction shared by extract_structured and update_participant_data: the text to read (the node input
 * or the conversation), bounded and cut into chunks, each read by one model call that gets the data found so far
 * and answers the complete, updated data (OCS's extraction chunks the same way and carries the result forward).
 */
import { z } from 'zod';
import type { JsonObject, JsonValue } from '../json.ts';
import { outputSchemaProblems, validateJson } from '../json-schema.ts';
import type { NodeContext } from './kind.ts';
import { NodeError } from './kind.ts';
import { conversationWindow, type LlmCallSettings, structuredChat } from './structured-llm.ts';
import { asText } from './values.ts';

/** One model call reads at most this much text: well inside every model's context with the schema and data. */
export const CHUNK_CHARS = 8_000;
export const DEFAULT_MAX_INPUT_CHARS = 20_000;
export const MAX_INPUT_CHARS = 100_000;
const DEFAULT_HISTORY_MESSAGES = 20;

/** A JSON Schema object acceptable for structured output (outputSchemaProblems), as a settings field. */
export const outputSchemaField = z
  .record(z.string(), z.json())
  .superRefine((schema, ctx) => {
    for (const problem of outputSchemaProblems(schema)) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('JSON Schema (2020-12) of the data: an object with properties; descriptions guide the model.');

export const extractionFields = {
  schema: outputSchemaField,
  instructions: z.string().max(8_000).optional().describe('What to extract and how, added before the schema.'),
  source: z
    .enum(['input', 'conversation'])
    .optional()
    .describe('What the model reads: the node input (default), or the latest messages of the conversation.'),
  historyMessages: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('With source conversation: how many of the latest messages are read (default 20).'),
  maxInputChars: z
    .number()
    .int()
    .min(1_000)
    .max(MAX_INPUT_CHARS)
    .optional()
    .describe(
      `At most this much text is read (default ${DEFAULT_MAX_INPUT_CHARS}), in chunks of ${CHUNK_CHARS} characters, one model call each.`,
    ),
};

export const extractionTitles = {
  schema: 'Schema',
  instructions: 'Instructions',
  source: 'Source',
  historyMessages: 'History messages',
  maxInputChars: 'Most characters read',
} as const;

export interface ExtractionSettings extends LlmCallSettings {
  schema: Record<string, JsonValue>;
  instructions?: string;
  source?: 'input' | 'conversation';
  historyMessages?: number;
  maxInputChars?: number;
}

/** The text the model reads, bounded: the input's start, or the conversation's latest part. */
export async function extractionText(ctx: NodeContext<ExtractionSettings>): Promise<string> {
  const limit = ctx.settings.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  if (ctx.settings.source !== 'conversation') return asText(ctx.input).slice(0, limit);
  const window = await conversationWindow(ctx, ctx.settings.historyMessages ?? DEFAULT_HISTORY_MESSAGES);
  const transcript = window.map((message) => `${message.role}: ${message.content}`).join('\n');
  return transcript.length > limit ? transcript.slice(transcript.length - limit) : transcript;
}

/** Cuts `text` into chunks of at most `size`, at the last line break (else space) in each window when there is one. */
export function chunkText(text: string, size = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const window = rest.slice(0, size);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const end = cut > size / 2 ? cut + 1 : size;
    chunks.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest.trim() !== '') chunks.push(rest);
  return chunks;
}

export function extractionPrompt(settings: ExtractionSettings, known: JsonObject | null, part?: string): string {
  return [
    ...(settings.instructions?.trim() ? [settings.instructions.trim()] : []),
    `Extract the data the response schema describes from the text the user sends${part ? ` (${part})` : ''}. ` +
      'Use only what the text says; leave out what it does not say.',
    ...(known && Object.keys(known).length > 0
      ? [
          'The data known so far is below. Answer with the complete, updated data: keep every known value the text ' +
            `does not change.\n${JSON.stringify(known)}`,
        ]
      : []),
  ].join('\n\n');
}

/**
 * Runs the extraction over every chunk in order and returns the merged answers (an object, as the schema is).
 * `known` (data from before, e.g. participant data) is shown to the model, not merged in: the result is what the
 * model answered. Each answer must be valid against the schema, else the node fails with the pointer errors
 * (retryable: another sample may be valid). Merge rule between chunks: a later answer's value replaces an earlier
 * one unless it is null or absent; a key every chunk answered null stays null.
 */
export async function extract(ctx: NodeContext<ExtractionSettings>, known: JsonObject | null): Promise<JsonObject> {
  const text = await extractionText(ctx);
  const chunks = chunkText(text);
  if (chunks.length === 0) throw new NodeError('there is no text to extract from (the input or conversation is empty)');
  let data: JsonObject = {};
  for (const [index, chunk] of chunks.entries()) {
    const part = chunks.length > 1 ? `part ${index + 1} of ${chunks.length}` : undefined;
    const answer = await structuredChat(ctx, {
      settings: ctx.settings,
      name: 'extracted_data',
      schema: ctx.settings.schema,
      system: extractionPrompt(ctx.settings, { ...known, ...withoutNulls(data) }, part),
      messages: [{ role: 'user', content: chunk }],
    });
    if (!answer.ok) throw new NodeError(`the model's answer does not match the schema: ${answer.problem}`, true);
    if (typeof answer.value !== 'object' || answer.value === null || Array.isArray(answer.value)) {
      throw new NodeError('the model answered a value that is not an object', true);
    }
    data = mergeExtracted(data, answer.value);
  }
  const check = validateJson(ctx.settings.schema, data);
  if (!check.valid) throw new NodeError(`the merged data does not match the schema: ${check.errors.join('; ')}`, true);
  return data;
}

/** Top-level merge: `next`'s values win, except null or absent ones, which keep `previous`'s. */
export function mergeExtracted(previous: JsonObject, next: JsonObject): JsonObject {
  const merged: JsonObject = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (value !== null || !(key in merged)) merged[key] = value;
  }
  return merged;
}

function withoutNulls(data: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
}
