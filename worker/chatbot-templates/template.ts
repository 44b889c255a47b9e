import type { PipelineDefinition } from '../pipelines/definition.ts';

/**
 * A chatbot template: a ready-made pipeline (schemaVersion 2) that a new chatbot's draft starts from. Templates are
 * code, not rows: they ship with the Worker, so every team sees the same list and a template never drifts from the
 * node kinds it was written against (catalog.unit.test.ts validates each against the installed kinds).
 */
export interface ChatbotTemplate {
  /** Stable id, sent as `templateId` when creating a chatbot. */
  id: string;
  name: string;
  description: string;
  /** What the template demonstrates, for the picker (node kinds it uses). */
  kinds: readonly string[];
  /** The draft's definition. LLM-family nodes name the offline provider; `withProvider` swaps in the caller's. */
  definition: PipelineDefinition;
}

/** The provider every template's model nodes start with: needs no key, so a template works on a fresh install. */
export const OFFLINE_MODEL = { providerId: 'offline', credentialId: null, model: 'offline-echo' } as const;

/** The v1 llm node's fields, so the pipeline's llm node reads the same settings as a version 1 chatbot's. */
export function llmSettings(systemPrompt: string): Record<string, unknown> {
  return { ...OFFLINE_MODEL, systemPrompt, parameters: {}, tools: [], maxToolSteps: 1 };
}

export const templateSettings = (welcomeMessage: string, starterQuestions: string[], fallbackReply: string) => ({
  burstPolicy: 'queue' as const,
  welcomeMessage,
  starterQuestions,
  fallbackReply,
});
