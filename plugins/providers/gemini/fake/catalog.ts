/**
 * The fake's model catalogue, as `GET /v1beta/models` lists it (https://ai.google.dev/api/models#Model): chat models
 * mixed with embedding, speech, image and attributed-QA models, as the real list is. Limits are the documented ones
 * (https://ai.google.dev/gemini-api/docs/models).
 */

export interface FakeModel {
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

const CHAT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

function chat(id: string, displayName: string, outputTokenLimit: number, thinking: boolean): FakeModel {
  return {
    name: `models/${id}`,
    version: '001',
    displayName,
    description: `${displayName} (fake)`,
    inputTokenLimit: 1_048_576,
    outputTokenLimit,
    supportedGenerationMethods: CHAT_METHODS,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    ...(thinking ? { thinking } : {}),
  };
}

export const CATALOG: readonly FakeModel[] = [
  chat('gemini-2.5-pro', 'Gemini 2.5 Pro', 65_536, true),
  chat('gemini-2.5-flash', 'Gemini 2.5 Flash', 65_536, true),
  chat('gemini-2.0-flash', 'Gemini 2.0 Flash', 8_192, false),
  {
    name: 'models/text-embedding-004',
    version: '004',
    displayName: 'Text Embedding 004',
    description: 'Obtain a distributed representation of a text.',
    inputTokenLimit: 2_048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent'],
  },
  chat('gemini-3-pro-preview', 'Gemini 3 Pro Preview', 65_536, true),
  {
    ...chat('gemini-2.5-flash-preview-tts', 'Gemini 2.5 Flash Preview TTS', 16_384, false),
    supportedGenerationMethods: ['countTokens', 'generateContent'],
  },
  chat('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 65_536, true),
  {
    ...chat('gemini-2.5-flash-image', 'Nano Banana', 32_768, false),
    supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
  },
  { ...chat('gemma-3-27b-it', 'Gemma 3 27B', 8_192, false), inputTokenLimit: 131_072 },
  {
    name: 'models/imagen-4.0-generate-001',
    version: '001',
    displayName: 'Imagen 4',
    description: 'Vertex served Imagen 4.0 model',
    inputTokenLimit: 480,
    outputTokenLimit: 8_192,
    supportedGenerationMethods: ['predict'],
  },
  {
    name: 'models/aqa',
    version: '001',
    displayName: 'Model that performs Attributed Question Answering.',
    description: 'Model trained to return answers to questions that are grounded in provided sources.',
    inputTokenLimit: 7_168,
    outputTokenLimit: 1_024,
    supportedGenerationMethods: ['generateAnswer'],
    temperature: 0.2,
    topP: 1,
    topK: 40,
  },
];

/** Default and maximum `pageSize` of models.list (https://ai.google.dev/api/models#method:-models.list). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** One page of the list; the page token is simply the offset, opaque to clients as the real one is. */
export function listPage(pageSize: number, pageToken: string | null): { models: FakeModel[]; nextPageToken?: string } {
  const size = Math.min(Math.max(pageSize || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const start = pageToken ? Number.parseInt(Buffer.from(pageToken, 'base64url').toString(), 10) || 0 : 0;
  const models = CATALOG.slice(start, start + size);
  const next = start + size;
  return next < CATALOG.length
    ? { models, nextPageToken: Buffer.from(String(next)).toString('base64url') }
    : { models };
}

/** Models that answer `generateContent` with text: the catalogue's chat models. */
export function isChatModel(id: string): boolean {
  const model = CATALOG.find((entry) => entry.name === `models/${id}`);
  return model?.supportedGenerationMethods.includes('generateContent') ?? false;
}
