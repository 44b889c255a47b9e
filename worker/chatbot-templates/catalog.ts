import type { PipelineDefinition } from '../pipelines/definition.ts';
import { faqTemplate } from './faq.ts';
import { intakeTemplate } from './intake.ts';
import type { ChatbotTemplate } from './template.ts';
import { triageTemplate } from './triage.ts';

/** Every shipped template, in the order the picker lists them. */
export const chatbotTemplates: readonly ChatbotTemplate[] = [faqTemplate, intakeTemplate, triageTemplate];

export function findTemplate(id: string): ChatbotTemplate | undefined {
  return chatbotTemplates.find((template) => template.id === id);
}

/** The model a chatbot created from a template uses in every LLM-family node. */
export interface TemplateModel {
  providerId: string;
  credentialId: string | null;
  model: string;
}

/**
 * The template's definition with `model` in every LLM-family node: the nodes whose settings name a `providerId`
 * (llm, llm_router, extract_structured, update_participant_data all do). Keyed on the setting rather than a list of
 * kinds, so a new model-calling kind is covered without touching this. Returns a copy; the template is shared.
 */
export function withModel(definition: PipelineDefinition, model: TemplateModel): PipelineDefinition {
  const copy = structuredClone(definition);
  for (const node of copy.nodes) {
    if (!('providerId' in node.settings)) continue;
    node.settings.providerId = model.providerId;
    node.settings.credentialId = model.credentialId;
    node.settings.model = model.model;
  }
  return copy;
}

/** The LLM-family nodes' indexes, for error paths that point at them. */
export function modelNodeIndexes(definition: PipelineDefinition): number[] {
  return definition.nodes.flatMap((node, index) => ('providerId' in node.settings ? [index] : []));
}
