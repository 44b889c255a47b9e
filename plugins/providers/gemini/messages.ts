import type { Content, Part, Tool } from '@google/genai';
import type { ChatMessage, ImagePart, ToolCall, ToolSpec } from '../../sdk/index.ts';
import { apiCallId } from './tool-ids.ts';

/**
 * Parley's conversation → Gemini `contents` (https://ai.google.dev/api/generate-content#request-body). Pure.
 *
 * - Roles: `user` stays `user`, `assistant` becomes `model`; `system` messages join the system prompt in
 *   `systemInstruction`, as Gemini has no system role in `contents`.
 * - A user message's images become `inlineData` parts (base64) before its text, as in the image-understanding guide
 *   (https://ai.google.dev/gemini-api/docs/image-understanding#inline-image).
 * - An assistant's tool calls become `functionCall` parts (args as an object) after its text.
 * - Tool results become `functionResponse` parts ({ name, response: { output } }) in a `user` turn; consecutive
 *   results share one turn, as the API wants as many responses in a turn as there were calls.
 */

/**
 * Gemini 3 refuses a replayed function call without the thought signature it came with. Parley's ToolCall has no
 * room for the signature, so calls are replayed with the placeholder Google documents for history without signatures
 * (https://ai.google.dev/gemini-api/docs/thought-signatures#faqs).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface GeminiPrompt {
  contents: Content[];
  systemInstruction?: Content;
  tools?: Tool[];
}

export interface PromptInput {
  model: string;
  system?: string;
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
}

/** Gemini 2.x and Gemma neither send nor check thought signatures on function calls. */
function needsThoughtSignature(model: string): boolean {
  return !/^(models\/)?(gemini-[12][.-]|gemma-)/.test(model);
}

/** Gemma models on the Gemini API reject `systemInstruction` ("Developer instruction is not enabled"). */
function acceptsSystemInstruction(model: string): boolean {
  return !/^(models\/)?gemma-/.test(model);
}

/** Gemini wants the arguments as a JSON object; a model never produces anything else, so other values become {}. */
function argsObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Tool output as the `output` key of the response (FunctionResponse.response), parsed when it is JSON. */
function toolOutput(content: string): Record<string, unknown> {
  try {
    return { output: JSON.parse(content) as unknown };
  } catch {
    return { output: content };
  }
}

// Image types Gemini documents (ai.google.dev/gemini-api/docs/image-understanding#supported-formats): no GIF.
const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

/** An inline image, or a note for a type Gemini would refuse with 400 rather than failing the whole request. */
function imagePart(image: ImagePart): Part {
  if (!IMAGE_TYPES.includes(image.mimeType)) return { text: `[image omitted: ${image.mimeType} is not supported]` };
  return { inlineData: { mimeType: image.mimeType, data: image.data } };
}

function functionCallPart(call: ToolCall, signed: boolean): Part {
  const id = apiCallId(call.id);
  const functionCall = { name: call.name, args: argsObject(call.arguments), ...(id ? { id } : {}) };
  return signed ? { functionCall, thoughtSignature: SKIP_THOUGHT_SIGNATURE } : { functionCall };
}

/** The call a tool result answers: the nearest earlier assistant message holding its id. */
function findCall(messages: readonly ChatMessage[], before: number, id: string | undefined): ToolCall | undefined {
  for (let index = before - 1; index >= 0; index--) {
    const call = messages[index]?.toolCalls?.find((candidate) => candidate.id === id);
    if (call) return call;
  }
  return undefined;
}

export function toGeminiPrompt(input: PromptInput): GeminiPrompt {
  const { messages, model } = input;
  const system = [input.system ?? '', ...messages.filter((m) => m.role === 'system').map((m) => m.content)]
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .join('\n\n');
  const contents: Content[] = [];
  let resultsTurn: Content | undefined;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      const call = findCall(messages, index, message.toolCallId);
      if (!call) {
        // Its call was trimmed from the history: keep what the tool said as plain context.
        contents.push({ role: 'user', parts: [{ text: `Tool result: ${message.content}` }] });
        resultsTurn = undefined;
        continue;
      }
      const id = apiCallId(call.id);
      const part: Part = {
        functionResponse: { name: call.name, response: toolOutput(message.content), ...(id ? { id } : {}) },
      };
      if (resultsTurn) {
        resultsTurn.parts?.push(part);
      } else {
        resultsTurn = { role: 'user', parts: [part] };
        contents.push(resultsTurn);
      }
      continue;
    }
    resultsTurn = undefined;
    if (message.role === 'user') {
      const parts: Part[] = (message.images ?? []).map(imagePart);
      if (message.content.trim() !== '') parts.push({ text: message.content });
      if (parts.length > 0) contents.push({ role: 'user', parts });
    } else if (message.role === 'assistant') {
      const parts: Part[] = message.content.trim() === '' ? [] : [{ text: message.content }];
      for (const call of message.toolCalls ?? []) parts.push(functionCallPart(call, needsThoughtSignature(model)));
      // An empty turn would be refused ("contents.parts must not be empty").
      if (parts.length > 0) contents.push({ role: 'model', parts });
    }
  }
  const prompt: GeminiPrompt = { contents };
  if (system !== '' && acceptsSystemInstruction(model)) prompt.systemInstruction = { parts: [{ text: system }] };
  else if (system !== '') prependToFirstUserTurn(contents, system);
  if (input.tools && input.tools.length > 0) {
    const functionDeclarations = input.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      // A JSON Schema as-is; `parameters` would want Gemini's OpenAPI subset (Schema) instead.
      parametersJsonSchema: tool.parameters,
    }));
    prompt.tools = [{ functionDeclarations }];
  }
  return prompt;
}

function prependToFirstUserTurn(contents: Content[], system: string): void {
  const first = contents.find((content) => content.role === 'user');
  if (first) first.parts = [{ text: `${system}\n\n` }, ...(first.parts ?? [])];
  else contents.unshift({ role: 'user', parts: [{ text: system }] });
}
