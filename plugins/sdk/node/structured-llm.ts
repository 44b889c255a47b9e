/**
 * What the structured-output node kinds share (llm_router, extract_structured, update_participant_data): the LLM
 * settings fields, the team-credential reference, the conversation window, and one schema-bound model call whose
 * answer is checked against the schema here, whatever the host or provider already did.
 */
import { z } from 'zod';
import type { JsonObject, JsonValue } from '../json.ts';
import { validateJson } from '../json-schema.ts';
import type { ChatMessage } from '../provider.ts';
import type { NodeContext, NodeReference } from './kind.ts';
import { NodeError } from './kind.ts';

/** Provider, credential, model and parameters, as the v1 llm node names them (worker/chatbots/definition.ts). */
export const llmCallFields = {
  providerId: z.string().min(1).max(100).describe('Provider plugin id, e.g. openai, anthropic, gemini, offline.'),
  credentialId: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .describe("Which of the team's credentials to call the provider with (null: a provider that needs none)."),
  model: z.string().min(1).max(200).describe('Model id, e.g. gpt-4o-mini.'),
  parameters: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Model parameters, validated by the host against the provider's schema for the model."),
};

/**
 * The model a new LLM-family node starts with in the editor: the offline provider, installed everywhere and needing
 * no credential, so the node validates before anyone picks a real model (plugins/providers/offline).
 */
export const DEFAULT_LLM_CALL = { providerId: 'offline', credentialId: null, model: 'offline-echo' } as const;

export const llmCallTitles = {
  providerId: 'Provider',
  credentialId: 'Credential',
  model: 'Model',
  parameters: 'Model parameters',
} as const;

export interface LlmCallSettings {
  providerId: string;
  credentialId: string | null;
  model: string;
  parameters?: Record<string, unknown>;
}

/** The team credential the settings name, for definition validation (none for credential-less providers). */
export function credentialReferences(settings: LlmCallSettings): NodeReference[] {
  return settings.credentialId === null
    ? []
    : [{ type: 'credential', id: settings.credentialId, path: 'credentialId' }];
}

/**
 * The last `limit` user and assistant messages of the conversation, text only: tool turns would need their calls
 * (which a window may cut apart) and images need a vision model, neither of which a classifier or extractor needs.
 */
export async function conversationWindow(ctx: NodeContext<unknown>, limit: number): Promise<ChatMessage[]> {
  const messages = await ctx.services.history.conversation();
  return messages
    .filter((message) => (message.role === 'user' || message.role === 'assistant') && message.content.trim() !== '')
    .slice(-limit)
    .map((message) => ({ role: message.role, content: message.content }));
}

export interface StructuredCall {
  settings: LlmCallSettings;
  /** The response format's name (providers restrict it to `[A-Za-z0-9_-]{1,64}`; they clean it themselves). */
  name: string;
  schema: JsonObject;
  system: string;
  messages: ChatMessage[];
}

export type StructuredAnswer =
  | { ok: true; value: JsonValue; text: string }
  /** `value`: the parsed answer when it was JSON but not valid against the schema. */
  | { ok: false; problem: string; text: string; value?: JsonValue };

/**
 * One model call with structured output, never streamed (its answer is data, not the reply). The answer is parsed
 * and validated against the schema; a model failure propagates as the host's NodeError (retryable on 429/5xx).
 */
export async function structuredChat(ctx: NodeContext<unknown>, call: StructuredCall): Promise<StructuredAnswer> {
  if (call.messages.length === 0) throw new NodeError('there is nothing to send to the model (no input, no history)');
  const result = await ctx.services.llm.chat({
    providerId: call.settings.providerId,
    credentialId: call.settings.credentialId,
    model: call.settings.model,
    parameters: call.settings.parameters ?? {},
    system: call.system,
    messages: call.messages,
    responseSchema: { name: call.name, schema: call.schema },
    stream: false,
  });
  if (result.usage) ctx.usage(result.usage);
  let value: JsonValue | undefined = result.json;
  if (value === undefined) {
    try {
      value = JSON.parse(result.text) as JsonValue;
    } catch {
      return { ok: false, problem: 'the model did not answer with JSON', text: result.text };
    }
  }
  const check = validateJson(call.schema, value);
  if (!check.valid) return { ok: false, problem: check.errors.join('; '), text: result.text, value };
  return { ok: true, value, text: result.text };
}
