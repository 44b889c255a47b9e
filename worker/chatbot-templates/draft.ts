import { providers } from '../../plugins/registry.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { definitionError, definitionIssues } from '../chatbots/definition-checks.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../http/errors.ts';
import type { PipelineDefinition } from '../pipelines/definition.ts';
import type { TemplateProvider } from './api-schemas.ts';
import { chatbotTemplates, findTemplate, type TemplateModel, withModel } from './catalog.ts';
import { OFFLINE_MODEL } from './template.ts';

/**
 * The draft definition of a chatbot created from template `templateId`, with `provider` in every LLM-family node.
 * The provider is checked as a v1 llm node's would be (installed, model known, credential the team's and for that
 * provider), so a bad choice is a 400 naming `body.provider.*` rather than a pipeline that fails on its first turn.
 */
export async function templateDraft(
  db: Database,
  teamId: string,
  templateId: string,
  provider: TemplateProvider | undefined,
): Promise<PipelineDefinition> {
  const template = findTemplate(templateId);
  if (!template) {
    const known = chatbotTemplates.map((candidate) => candidate.id).join(', ');
    throw new ApiError(400, 'invalid_request', 'Invalid body.templateId', [
      { field: 'body.templateId', message: `no template "${templateId}" (known: ${known})` },
    ]);
  }
  const model: TemplateModel = provider
    ? {
        providerId: provider.providerId,
        credentialId: provider.credentialId,
        model: provider.model ?? providers.get(provider.providerId)?.defaultModel ?? '',
      }
    : { ...OFFLINE_MODEL };
  if (provider) await assertUsableModel(db, teamId, model);
  return withModel(template.definition, model);
}

async function assertUsableModel(db: Database, teamId: string, model: TemplateModel): Promise<void> {
  // The same checks as a v1 chatbot's llm node, on a throwaway one-node definition; only the field names differ.
  const probe = simpleDefinition({
    ...model,
    model: model.model || 'unknown',
    systemPrompt: '',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
  });
  const issues = await definitionIssues(db, teamId, probe, 'probe');
  if (!issues.length) return;
  throw definitionError(
    issues.map((issue) => ({ ...issue, field: issue.field.replace(/^probe\.nodes\.\d+\./, 'body.provider.') })),
  );
}
