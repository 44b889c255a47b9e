import type { z } from 'zod';
import type { JsonObject } from './json.ts';
import type { PluginContext, PluginManifest } from './plugin.ts';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON-encoded arguments, exactly as the model produced them. */
  arguments: string;
}

/** An image the user attached, inline (every provider accepts base64; none can reach our private R2 bucket). */
export interface ImagePart {
  /** image/png, image/jpeg, image/webp or image/gif: the types OpenAI, Anthropic and Gemini all accept. */
  mimeType: string;
  /** Base64 (standard alphabet, no data: prefix). */
  data: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Images on a user message; sent only to providers with `capabilities.vision`. */
  images?: ImagePart[];
  /** Present on assistant messages that asked for tools. */
  toolCalls?: ToolCall[];
  /** Present on tool messages: which call this is the result of. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonObject;
}

export interface ChatRequest {
  model: string;
  /** The system prompt, kept apart because providers place it differently. */
  system?: string;
  messages: ChatMessage[];
  /** Already validated against `ProviderPlugin.parameters(model)`. */
  parameters: Record<string, unknown>;
  tools?: ToolSpec[];
  /**
   * Structured output: the streamed text must be one JSON value valid against `schema` (OpenAI `response_format`
   * json_schema, Anthropic a forced tool, Gemini `responseJsonSchema`). Honoured by providers with
   * `capabilities.structuredOutput`; others answer in text. Callers validate the answer (validateJson) regardless.
   */
  responseFormat?: { type: 'json_schema'; name: string; schema: JsonObject };
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'cancelled' | 'error';

/** The one stream-event type every provider plugin emits, whatever its wire format. */
export type ChatStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ToolCall }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'metadata'; metadata: JsonObject }
  | { type: 'finish'; reason: FinishReason };

export interface ModelInfo {
  id: string;
  displayName: string;
  contextWindow?: number;
}

export interface ProviderCapabilities {
  chat: true;
  tools: boolean;
  vision: boolean;
  embeddings: boolean;
  speechToText: boolean;
  textToSpeech: boolean;
  /** True when the provider answers without any external model (no network, no key). */
  offline: boolean;
  /**
   * True when `chat` honours `ChatRequest.responseFormat`: the streamed text is then one JSON value valid against the
   * schema. Absent counts as false (the host then refuses structured-output nodes on this provider).
   */
  structuredOutput?: boolean;
}

export interface ProviderPlugin<Settings extends z.ZodObject = z.ZodObject>
  extends PluginManifest<'provider', Settings> {
  capabilities: ProviderCapabilities;
  /** Model a new chatbot gets when the admin picks this provider. */
  defaultModel: string;
  models(ctx: PluginContext<z.infer<Settings>>): Promise<ModelInfo[]>;
  /** Schema of the model parameters (temperature, max tokens, …) this provider accepts for `model`. */
  parameters(model: string): z.ZodObject;
  chat(ctx: PluginContext<z.infer<Settings>>, request: ChatRequest): AsyncIterable<ChatStreamEvent>;
  /** Speech to text (capabilities.speechToText): a voice note becomes the user's message. */
  transcribe?(ctx: PluginContext<z.infer<Settings>>, input: TranscribeRequest): Promise<{ text: string }>;
  /** Text to speech (capabilities.textToSpeech): replies sent as voice notes. */
  speak?(ctx: PluginContext<z.infer<Settings>>, input: SpeakRequest): Promise<{ audio: ArrayBuffer; mimeType: string }>;
}

export interface TranscribeRequest {
  audio: ArrayBuffer;
  mimeType: string;
  /** ISO-639-1 hint, when the channel knows the user's language. */
  language?: string;
}

export interface SpeakRequest {
  text: string;
  voice?: string;
}
