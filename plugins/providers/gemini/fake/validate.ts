/**
 * Checks a `GenerateContentRequest` (https://ai.google.dev/api/generate-content#request-body) the way the real API
 * does, answering its error for the first problem found. Messages are the real ones where known.
 */
import { imageProblem } from '../../../sdk/fake/images.ts';
import { type FakeError, invalidArgument } from './errors.ts';

export interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name?: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: { name?: string; response?: Record<string, unknown>; id?: string };
  inlineData?: { mimeType?: string; data?: string };
}
export interface Content {
  role?: string;
  parts?: Part[];
}
export interface FunctionDeclaration {
  name?: string;
  description?: string;
  parameters?: unknown;
  parametersJsonSchema?: unknown;
}
export interface GenerateContentRequest {
  contents?: Content[];
  systemInstruction?: Content;
  tools?: { functionDeclarations?: FunctionDeclaration[] }[];
  generationConfig?: Record<string, unknown>;
}

const REQUEST_FIELDS = new Set([
  'contents',
  'tools',
  'toolConfig',
  'safetySettings',
  'systemInstruction',
  'generationConfig',
  'cachedContent',
  'model',
]);
// GenerationConfig fields (https://ai.google.dev/api/generate-content#generationconfig).
const GENERATION_FIELDS = new Set([
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'enableEnhancedCivicAnswers',
  'speechConfig',
  'thinkingConfig',
  'imageConfig',
  'mediaResolution',
]);
// "Must start with a letter or an underscore … maximum length of 64" (FunctionDeclaration.name).
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

const unknownField = (key: string, at?: string): FakeError =>
  invalidArgument(`Invalid JSON payload received. Unknown name "${key}"${at ? ` at '${at}'` : ''}: Cannot find field.`);

/** Gemini 3 and later refuse a function call replayed without its thought signature (docs: thought-signatures). */
export function requiresThoughtSignatures(model: string): boolean {
  return model.startsWith('fake-') || /^gemini-([3-9]|\d{2,})/.test(model);
}

export function validateRequest(model: string, request: GenerateContentRequest): FakeError | undefined {
  for (const key of Object.keys(request)) if (!REQUEST_FIELDS.has(key)) return unknownField(key);
  const contents = request.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return invalidArgument('* GenerateContentRequest.contents: contents is not specified\n');
  }
  for (const [index, content] of contents.entries()) {
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      return invalidArgument('Please use a valid role: user, model.');
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return invalidArgument(`* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.\n`);
    }
    for (const [partIndex, part] of content.parts.entries()) {
      if (part.text === undefined && !part.functionCall && !part.functionResponse && !part.inlineData) {
        return invalidArgument(
          `* GenerateContentRequest.contents[${index}].parts: ` +
            "required oneof field 'data' must have one initialized field\n",
        );
      }
      const inline = part.inlineData && validateInlineData(part.inlineData, `contents[${index}].parts[${partIndex}]`);
      if (inline) return inline;
    }
  }
  if (request.systemInstruction !== undefined && model.startsWith('gemma-')) {
    return invalidArgument(`Developer instruction is not enabled for models/${model}`);
  }
  return validateGenerationConfig(request.generationConfig) ?? validateTools(request) ?? validateTurns(model, contents);
}

// Image types Gemini documents (ai.google.dev/gemini-api/docs/image-understanding#supported-formats).
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

/** An inline image: a documented type, and base64 bytes that really are that type (PNG, JPEG and WebP are sniffed). */
function validateInlineData(blob: { mimeType?: string; data?: string }, at: string): FakeError | undefined {
  if (typeof blob.mimeType !== 'string' || !IMAGE_TYPES.includes(blob.mimeType)) {
    return invalidArgument(`Unsupported MIME type: ${String(blob.mimeType)}`);
  }
  if (typeof blob.data !== 'string')
    return invalidArgument(`* GenerateContentRequest.${at}.inline_data.data: required\n`);
  const problem = blob.mimeType.startsWith('image/hei') ? undefined : imageProblem(blob.mimeType, blob.data);
  if (problem) {
    return invalidArgument(`Invalid value at '${at}.inline_data.data' (TYPE_BYTES): ${problem}`);
  }
  return undefined;
}

function validateGenerationConfig(config: Record<string, unknown> | undefined): FakeError | undefined {
  if (config === undefined) return undefined;
  for (const key of Object.keys(config)) if (!GENERATION_FIELDS.has(key)) return unknownField(key, 'generation_config');
  const { temperature, topP, maxOutputTokens } = config;
  if (typeof temperature === 'number' && (temperature < 0 || temperature > 2)) {
    return invalidArgument('* GenerateContentRequest.generation_config.temperature: must be in the range [0.0, 2.0]\n');
  }
  if (typeof topP === 'number' && (topP < 0 || topP > 1)) {
    return invalidArgument('* GenerateContentRequest.generation_config.top_p: must be in the range [0.0, 1.0]\n');
  }
  const schemas = ['responseSchema', 'responseJsonSchema'].filter((key) => config[key] !== undefined);
  if (schemas.length === 2) {
    return invalidArgument('responseSchema and responseJsonSchema cannot both be set. Use only one of them.');
  }
  if (schemas.length === 1 && config.responseMimeType !== 'application/json') {
    return invalidArgument(
      '* GenerateContentRequest.generation_config.response_mime_type: must be application/json when a response' +
        ' schema is set\n',
    );
  }
  const schema = config.responseJsonSchema ?? config.responseSchema;
  if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    return invalidArgument(`* GenerateContentRequest.generation_config.${schemas[0]}: must be a schema object\n`);
  }
  if (typeof maxOutputTokens === 'number' && maxOutputTokens <= 0) {
    return invalidArgument('* GenerateContentRequest.generation_config.max_output_tokens: must be positive\n');
  }
  return undefined;
}

function validateTools(request: GenerateContentRequest): FakeError | undefined {
  for (const tool of request.tools ?? []) {
    for (const declaration of tool.functionDeclarations ?? []) {
      if (!declaration.name || !FUNCTION_NAME.test(declaration.name)) {
        return invalidArgument(
          '* GenerateContentRequest.tools[0].function_declarations[0].name: Invalid function name.' +
            ' Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_),' +
            ' dots (.), colons (:), or dashes (-), with a maximum length of 64.\n',
        );
      }
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
        return invalidArgument('parameters and parameters_json_schema cannot both be set.');
      }
    }
  }
  return undefined;
}

const calls = (content: Content): Part[] => (content.parts ?? []).filter((part) => part.functionCall);
const responses = (content: Content): Part[] => (content.parts ?? []).filter((part) => part.functionResponse);

/** Function-calling turn order, response counts and (for Gemini 3) thought signatures. */
function validateTurns(model: string, contents: Content[]): FakeError | undefined {
  for (const [index, content] of contents.entries()) {
    const previous = contents[index - 1];
    if (calls(content).length > 0) {
      const afterUserOrResponse = previous !== undefined && previous.role !== 'model';
      if (content.role !== 'model' || !afterUserOrResponse) {
        return invalidArgument(
          'Please ensure that function call turn comes immediately after a user turn' +
            ' or after a function response turn.',
        );
      }
    }
    if (responses(content).length > 0) {
      if (previous === undefined || calls(previous).length === 0) {
        return invalidArgument(
          'Please ensure that function response turn comes immediately after a function call turn.',
        );
      }
      if (responses(content).length !== calls(previous).length) {
        return invalidArgument(
          'Please ensure that the number of function response parts is equal to the number of function call parts' +
            ' of the function call turn.',
        );
      }
    }
  }
  if (!requiresThoughtSignatures(model)) return undefined;
  // The current turn starts at the last user message with text; in each of its model steps the first call is signed.
  const turnStart = contents.findLastIndex((content) => content.role !== 'model' && responses(content).length === 0);
  for (const [index, content] of contents.entries()) {
    const [first] = calls(content);
    if (index > turnStart && first && !first.thoughtSignature) {
      return invalidArgument(
        'Function call is missing a thought_signature in functionCall parts. This is required for tools to work' +
          ' correctly, and missing thought_signature may lead to degraded model performance. Additional data,' +
          ` function call \`default_api:${first.functionCall?.name}\` , position ${index + 1}.` +
          ' Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
      );
    }
  }
  return undefined;
}
