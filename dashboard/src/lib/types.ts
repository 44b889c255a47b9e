/** Shapes of the REST API resources the dashboard shows (the OpenAPI document at /api/v1/openapi.json has them all). */
export interface LlmNode {
  id: string;
  type: 'llm';
  providerId: string;
  credentialId: string | null;
  model: string;
  systemPrompt: string;
  parameters: Record<string, unknown>;
  tools: string[];
  maxToolSteps: number;
  firstTokenTimeoutMs?: number;
  historyTokenBudget?: number;
}

export interface WidgetSettings {
  title?: string;
  subtitle?: string;
  avatarUrl?: string;
  primaryColor?: string;
  position?: 'bottom-right' | 'bottom-left';
  launcherIcon?: 'chat' | 'help' | 'sparkles';
  theme?: 'light' | 'dark' | 'auto';
  locale?: string;
}

export interface Definition {
  schemaVersion: 1;
  nodes: ({ id: string; type: 'start' | 'end' } | LlmNode)[];
  edges: { from: string; to: string }[];
  settings: {
    burstPolicy: 'queue' | 'merge';
    welcomeMessage: string;
    starterQuestions: string[];
    widget?: WidgetSettings;
  };
}

export interface Version {
  id: string;
  number: number;
  status: 'draft' | 'published';
  note: string;
  createdAt: string;
  definition?: Definition;
}

export interface Chatbot {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived: boolean;
  archivedAt: string | null;
  publishedVersion: number | null;
  draft: (Version & { definition: Definition }) | null;
  createdAt: string;
  updatedAt: string;
}

/** A chatbot as the list returns it: the live version's provider and model, not the draft. */
export interface ChatbotSummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  provider: { id: string; displayName: string; offline: boolean } | null;
  model: string | null;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface PluginInfo {
  id: string;
  /** One of the kinds in GET /api/v1/plugins/kinds (plugins/sdk/kinds/): open, so a new kind needs no edit here. */
  kind: string;
  displayName: string;
  description: string;
  version: string;
  capabilities?: Record<string, unknown>;
  settingsSchema?: JsonSchema;
  secrets?: string[];
}

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
}

export interface Message {
  id: string;
  position: number;
  role: 'user' | 'assistant';
  content: string;
  status: 'streaming' | 'complete' | 'stopped' | 'error';
  error: { code: string; message: string } | null;
  providerId: string | null;
  model: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  metadata: Record<string, unknown>;
  createdAt: string | number;
  /** Reviewers' labels on this message (the message list carries them; the live stream does not). */
  tags?: string[];
}

export interface Conversation {
  id: string;
  chatbotId: string;
  chatbotVersionId: string;
  channelId?: string | null;
  participantId: string | null;
  status: 'active' | 'ended';
  messageCount: number;
  lastMessageAt: string | null;
  tags?: string[];
  createdAt: string;
}

export const llmNodeOf = (definition: Definition): LlmNode | undefined =>
  definition.nodes.find((node): node is LlmNode => node.type === 'llm');

export type { Page } from './http';
