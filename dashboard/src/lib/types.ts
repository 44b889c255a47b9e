/**
 * Shapes of the REST API resources the dashboard shows, taken from the worker's zod schemas (the same ones that
 * validate and describe the API at /api/v1/openapi.json). Type-only imports: nothing of the worker reaches the bundle,
 * and `npm run lint` refuses a value import from worker/ (scripts/check-ui-imports.ts).
 */
import type { Chatbot as ApiChatbot, ChatbotVersion } from '../../../worker/chatbots/api-schemas.ts';
import type { ChatbotDefinition, LlmNode } from '../../../worker/chatbots/definition.ts';
import type { Conversation } from '../../../worker/conversations/json.ts';
import type { PluginInfo as ApiPluginInfo } from '../../../worker/plugin-catalog/routes.ts';
import type { WidgetMessage } from '../../../worker/widget/api-schemas.ts';

export type { LlmNode, WidgetSettings } from '../../../worker/chatbots/definition.ts';
export type { ChatbotSummary } from '../../../worker/chatbots/routes.ts';
export type { Conversation };
export type Definition = ChatbotDefinition;
/** A version; the list of versions leaves the definition out. */
export type Version = Omit<ChatbotVersion, 'definition'> & { definition?: Definition };
export type Chatbot = ApiChatbot;

/** A plugin; its settings schema is JSON Schema, typed here as far as the settings forms read it. */
export type PluginInfo = Omit<ApiPluginInfo, 'settingsSchema'> & { settingsSchema?: JsonSchema };

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  writeOnly?: boolean;
  minimum?: number;
  maximum?: number;
  // Read by the pipeline editor's settings panel (components/schema-fields.ts).
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

/** A message; the message list adds reviewers' labels (the live stream does not). */
export type Message = WidgetMessage & { tags?: string[] };

export const llmNodeOf = (definition: Definition): LlmNode | undefined =>
  definition.nodes.find((node): node is LlmNode => node.type === 'llm');

export type { Page } from './http';
