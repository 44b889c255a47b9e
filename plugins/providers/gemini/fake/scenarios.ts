/**
 * What the fake Gemini API answers, chosen by the requested model name. Listed chat models (`gemini-2.5-flash`, …)
 * and `fake-echo` echo the last user message word by word (after "I see 1 image (image/png)." when the request holds
 * inline images); the other `fake-*` names each act out one behaviour of the
 * real API (errors, tool calls, truncation, safety blocks, slow or stalled streams).
 *
 * With `responseMimeType: 'application/json'` and `responseJsonSchema` (or `responseSchema`), a chat model streams a
 * JSON value satisfying the schema instead, an enum taking the value the last user message names.
 *
 * State (how often a conversation was seen) is keyed by model and a hash of the conversation, so tests that put a
 * unique word in their message never see each other's state, even when test files run in parallel.
 */
import { createHash } from 'node:crypto';
import { describeImages } from '../../../sdk/fake/images.ts';
import { sampleJson } from '../../../sdk/json-sample.ts';
import { isChatModel } from './catalog.ts';
import { type FakeError, internal, invalidArgument, notFound, resourceExhausted, unauthenticated } from './errors.ts';
import type { Content, FunctionDeclaration, GenerateContentRequest, Part } from './validate.ts';

export type Frame = Record<string, unknown>;

export type Plan =
  | { kind: 'error'; error: FakeError }
  | { kind: 'stream'; frames: Frame[]; delayBeforeFirstMs: number; stallAfterFirstMs: number };

const seen = new Map<string, number>();

/** How many times this model has been asked this conversation before, counting this request. */
function visit(model: string, request: GenerateContentRequest): number {
  const key = `${model}:${hash(JSON.stringify(request.contents))}`;
  const count = (seen.get(key) ?? 0) + 1;
  seen.set(key, count);
  return count;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('base64url');

const words = (text: string): string[] => text.match(/\S+\s*/g) ?? [];

const texts = (content: Content | undefined): string =>
  (content?.parts ?? []).flatMap((part) => (part.text === undefined ? [] : [part.text])).join('');

/** A rough token count (words), like the offline provider's: enough for usage figures that add up. */
function promptTokens(request: GenerateContentRequest): number {
  const all = [request.systemInstruction, ...(request.contents ?? [])].flatMap((content) => content?.parts ?? []);
  return all.reduce((sum, part) => sum + words(part.text ?? JSON.stringify(part.functionResponse ?? '')).length, 0);
}

interface Reply {
  model: string;
  responseId: string;
  prompt: number;
}

/** One `GenerateContentResponse`, with the running usage every streamed chunk carries. */
function frame(reply: Reply, parts: Part[], output: number, finishReason?: string, extra: Frame = {}): Frame {
  const candidate = { content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 };
  const usageMetadata = {
    promptTokenCount: reply.prompt,
    candidatesTokenCount: output,
    totalTokenCount: reply.prompt + output,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: reply.prompt }],
    ...extra,
  };
  return { candidates: [candidate], usageMetadata, modelVersion: reply.model, responseId: reply.responseId };
}

/** Streams `text` a word per frame; stops early with MAX_TOKENS once `limit` words are out, as the API does. */
function textFrames(reply: Reply, text: string, limit: number, finishReason = 'STOP', usage: Frame = {}): Frame[] {
  const all = words(text);
  const sent = all.slice(0, limit);
  const reason = sent.length < all.length ? 'MAX_TOKENS' : finishReason;
  return sent.map((word, index) =>
    frame(reply, [{ text: word }], index + 1, index === sent.length - 1 ? reason : undefined, usage),
  );
}

function declarations(request: GenerateContentRequest): FunctionDeclaration[] {
  return (request.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []);
}

/** Arguments for a declared function, filled from its JSON Schema so they always validate. */
function argumentsFor(declaration: FunctionDeclaration, userText: string): Record<string, unknown> {
  const schema = (declaration.parametersJsonSchema ?? declaration.parameters ?? {}) as {
    properties?: Record<string, { type?: string; enum?: unknown[] }>;
  };
  const args: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property.enum?.length) args[key] = property.enum[0];
    else if (property.type === 'string') args[key] = userText.trim();
    else if (property.type === 'number' || property.type === 'integer') args[key] = 42;
    else if (property.type === 'boolean') args[key] = true;
  }
  return args;
}

/** `fake-tool`: calls the declared functions (at most two, in parallel), then answers from their results. */
function toolFrames(reply: Reply, request: GenerateContentRequest, userText: string): Frame[] {
  const contents = request.contents ?? [];
  const results = (contents.at(-1)?.parts ?? []).flatMap((part) =>
    part.functionResponse ? [part.functionResponse] : [],
  );
  if (results.length > 0) {
    const summary = results.map((result) => `${result.name} returned ${JSON.stringify(result.response)}.`).join(' ');
    return textFrames(reply, summary, Number.POSITIVE_INFINITY);
  }
  const called = declarations(request).slice(0, 2);
  if (called.length === 0) return textFrames(reply, 'No tools were declared.', Number.POSITIVE_INFINITY);
  // Each call arrives whole in its own chunk; only the first of parallel calls carries the thought signature.
  return called.map((declaration, index) => {
    const functionCall = { name: declaration.name, args: argumentsFor(declaration, userText) };
    const signature =
      index === 0 ? { thoughtSignature: Buffer.from(`sig:${reply.responseId}`).toString('base64') } : {};
    return frame(
      reply,
      [{ functionCall, ...signature }],
      12 * (index + 1),
      index === called.length - 1 ? 'STOP' : undefined,
    );
  });
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
];

const stream = (frames: Frame[], delayBeforeFirstMs = 0, stallAfterFirstMs = 0): Plan => ({
  kind: 'stream',
  frames,
  delayBeforeFirstMs,
  stallAfterFirstMs,
});

const fail = (error: FakeError): Plan => ({ kind: 'error', error });

export function plan(model: string, request: GenerateContentRequest, body: string): Plan {
  const reply: Reply = { model, responseId: hash(`${model}:${body}`).slice(0, 22), prompt: promptTokens(request) };
  const lastUser = (request.contents ?? []).findLast((content) => content.role !== 'model' && texts(content) !== '');
  const images = (request.contents ?? []).flatMap((content) =>
    (content.parts ?? []).flatMap((part) => (part.inlineData ? [part.inlineData.mimeType ?? ''] : [])),
  );
  // With images, what the model saw comes first, so a test can read from the reply which images arrived.
  const echo = texts(lastUser);
  const userText = images.length > 0 ? `${describeImages(images)} ${echo}`.trim() : echo || 'OK';
  const limit = Number(request.generationConfig?.maxOutputTokens ?? Number.POSITIVE_INFINITY);
  const schema = request.generationConfig?.responseJsonSchema ?? request.generationConfig?.responseSchema;
  // Structured output: JSON satisfying the schema (an enum takes the value the user names), for any chat model.
  if (schema !== undefined && (model === 'fake-echo' || isChatModel(model))) {
    const json = JSON.stringify(sampleJson(schema, echo), null, 1).replace(/\n\s*/g, ' ');
    return stream(textFrames(reply, json, limit));
  }
  switch (model) {
    case 'fake-echo':
      return stream(textFrames(reply, userText, limit));
    case 'fake-thinking':
      // Thinking models bill their thoughts as output but report them apart (usageMetadata.thoughtsTokenCount).
      return stream(textFrames(reply, userText, limit, 'STOP', { thoughtsTokenCount: 17 }));
    case 'fake-tool':
      return stream(toolFrames(reply, request, userText));
    case 'fake-length':
      return stream(textFrames(reply, userText, 3));
    case 'fake-safety':
      // The blocked candidate comes without content, only the reason and the rating that tripped it.
      return stream([
        frame(reply, [{ text: 'I will ' }], 2),
        { ...frame(reply, [], 2), candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: SAFETY_RATINGS }] },
      ]);
    case 'fake-blocked':
      // A blocked prompt has no candidates at all, only promptFeedback.
      return stream([
        {
          promptFeedback: { blockReason: 'SAFETY', safetyRatings: SAFETY_RATINGS },
          usageMetadata: { promptTokenCount: reply.prompt, totalTokenCount: reply.prompt },
          modelVersion: model,
          responseId: reply.responseId,
        },
      ]);
    case 'fake-slow':
      return stream(textFrames(reply, userText, limit), 2000);
    case 'fake-stall':
      return stream(textFrames(reply, userText, limit), 0, 10_000);
    case 'fake-429-once':
      return visit(model, request) === 1
        ? fail(resourceExhausted(0, true))
        : stream(textFrames(reply, userText, limit));
    case 'fake-429-retryinfo':
      return visit(model, request) === 1
        ? fail(resourceExhausted(2, false))
        : stream(textFrames(reply, userText, limit));
    case 'fake-429':
      return fail(resourceExhausted(0, true));
    case 'fake-429-long':
      return fail(resourceExhausted(3600, true));
    case 'fake-500':
      return fail(internal());
    case 'fake-400':
      return fail(invalidArgument('Request contains an invalid argument.'));
    case 'fake-401':
      return fail(unauthenticated());
    default:
      if (isChatModel(model)) return stream(textFrames(reply, userText, limit));
      return fail(
        notFound(
          `models/${model} is not found for API version v1beta, or is not supported for generateContent.` +
            ' Call ListModels to see the list of available models and their supported methods.',
        ),
      );
  }
}
