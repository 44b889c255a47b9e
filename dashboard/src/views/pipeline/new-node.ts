/**
 * The settings a node added from the palette starts with. The server gives each kind `defaults` that pass its
 * validation (`GET /api/v1/pipelines/node-types`; LLM-family kinds name the offline provider), so a new node saves at
 * once instead of leaving the draft unsaveable. An LLM-family node then takes the provider, credential and model of
 * the draft's first LLM-family node: a chatbot set up with a real model keeps using it for the nodes added later.
 */
import type { NodeTypeInfo, PipelineDefinition } from './api-types';

const MODEL_FIELDS = ['providerId', 'credentialId', 'model'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema's per-property `default`s: the fallback for a server that does not send `defaults`. */
function schemaDefaults(type: NodeTypeInfo | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(type?.settingsSchema.properties ?? {})) {
    if (property.default !== undefined) settings[key] = structuredClone(property.default);
  }
  return settings;
}

/** The provider, credential and model of the first node that names all three (the draft's own LLM choice). */
export function draftModel(definition: PipelineDefinition | null): Record<string, unknown> | null {
  for (const node of definition?.nodes ?? []) {
    const settings = node.settings;
    if (typeof settings.providerId === 'string' && typeof settings.model === 'string' && 'credentialId' in settings)
      return Object.fromEntries(MODEL_FIELDS.map((field) => [field, settings[field]]));
  }
  return null;
}

export function newNodeSettings(
  type: NodeTypeInfo | undefined,
  definition: PipelineDefinition | null = null,
): Record<string, unknown> {
  const settings = isRecord(type?.defaults) ? structuredClone(type.defaults) : schemaDefaults(type);
  const model = 'providerId' in settings ? draftModel(definition) : null;
  return model ? { ...settings, ...model } : settings;
}
