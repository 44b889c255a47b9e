/**
 * The Settings tab on a pipeline (schemaVersion 2) draft: only what applies to the whole chatbot — the chatbot
 * settings, the fallback reply and the run bounds (worker/pipelines/definition.ts). Every model, prompt and
 * parameter lives in a node, edited on the Pipeline tab; the graph (nodes, edges, positions) is carried over as it
 * is, so saving here can never drop or rewrite it.
 */
import type { Definition } from '../../lib/types';
import type { PipelineDefinition } from '../pipeline/api-types';

export const isPipeline = (definition: Definition | PipelineDefinition): definition is PipelineDefinition =>
  definition.schemaVersion === 2;

export interface PipelineSettingsFields {
  burstPolicy: 'queue' | 'merge';
  welcomeMessage: string;
  starterQuestions: string;
  fallbackReply: string;
  /** Form text: empty means the engine's default (docs/pipelines.md: 100 node runs, 120 s). */
  maxNodeRuns: string;
  maxWallSeconds: string;
}

/** One question per non-empty line, trimmed. */
export const starterQuestions = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** A whole number, or undefined for an empty field; anything else is sent as is so the server names the field. */
function limit(text: string, scale = 1): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? Math.round(value * scale) : Number.NaN;
}

/** The form's fields as they stand in a definition (for the form's initial values). */
export function pipelineSettingsFields(definition: PipelineDefinition): PipelineSettingsFields {
  const { settings, limits } = definition;
  return {
    burstPolicy: settings.burstPolicy,
    welcomeMessage: settings.welcomeMessage,
    starterQuestions: settings.starterQuestions.join('\n'),
    fallbackReply: settings.fallbackReply ?? '',
    maxNodeRuns: limits?.maxNodeRuns === undefined ? '' : String(limits.maxNodeRuns),
    maxWallSeconds: limits?.maxWallMs === undefined ? '' : String(limits.maxWallMs / 1000),
  };
}

/**
 * `definition` with the form's fields applied. Nodes and edges are the same arrays; other settings (the widget's)
 * are kept; an empty fallback reply or limit is removed, so the engine's default applies.
 */
export function applyPipelineSettings(
  definition: PipelineDefinition,
  fields: PipelineSettingsFields,
): PipelineDefinition {
  const { fallbackReply: _fallback, ...settings } = definition.settings;
  const fallbackReply = fields.fallbackReply.trim();
  const maxNodeRuns = limit(fields.maxNodeRuns);
  const maxWallMs = limit(fields.maxWallSeconds, 1000);
  const { limits: _limits, ...rest } = definition;
  const limits = {
    ...(maxNodeRuns !== undefined && { maxNodeRuns }),
    ...(maxWallMs !== undefined && { maxWallMs }),
  };
  return {
    ...rest,
    settings: {
      ...settings,
      burstPolicy: fields.burstPolicy,
      welcomeMessage: fields.welcomeMessage,
      starterQuestions: starterQuestions(fields.starterQuestions),
      ...(fallbackReply !== '' && { fallbackReply }),
    },
    ...(Object.keys(limits).length > 0 && { limits }),
  };
}
