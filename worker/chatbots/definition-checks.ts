import { and, eq, inArray } from 'drizzle-orm';
import { providers, tools } from '../../plugins/registry.ts';
import type { Database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { eventIssues } from '../events/checks.ts';
import { ApiError } from '../http/errors.ts';
import { approvalIssues } from '../tools/approval-checks.ts';
import { hostToolIssues, toolReferences } from '../tools/checks.ts';
import { isHostToolId } from '../tools/sources.ts';
import type { ChatbotDefinition, LlmNode } from './definition.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * What the zod schema cannot know: that the definition's plugins are installed, its parameters fit the provider
 * and model, and its credentials belong to this team. `prefix` is where the definition sits in the request
 * (`body.definition`), so every issue names the field as the client sent it.
 */
export async function definitionIssues(
  db: Database,
  teamId: string,
  definition: ChatbotDefinition,
  prefix: string,
): Promise<FieldIssue[]> {
  const steps = definition.nodes.flatMap((node, index) => (node.type === 'llm' ? [{ node, index }] : []));
  const credentialIds = steps.flatMap(({ node }) => (node.credentialId ? [node.credentialId] : []));
  const credentials = credentialIds.length
    ? await db
        .select({ id: pluginConfigs.id, providerId: pluginConfigs.pluginId })
        .from(pluginConfigs)
        .where(
          and(
            eq(pluginConfigs.teamId, teamId),
            eq(pluginConfigs.kind, 'provider'),
            inArray(pluginConfigs.id, credentialIds),
          ),
        )
    : [];
  const credentialProvider = new Map(credentials.map((row) => [row.id, row.providerId]));
  const events = (await eventIssues(db, teamId, definition.events)).map((issue) => ({
    field: [prefix, ...issue.parts].join('.'),
    message: issue.message,
  }));
  const hostTools = await hostToolIssues(
    db,
    teamId,
    steps.flatMap(({ node, index }) => toolReferences(node.tools, `${prefix}.nodes.${index}`)),
  );
  const approvals = await Promise.all(
    steps.map(({ node, index }) => approvalIssues(db, teamId, node, `${prefix}.nodes.${index}`)),
  );
  return [
    ...steps.flatMap(({ node, index }) => llmIssues(node, `${prefix}.nodes.${index}`, credentialProvider)),
    ...hostTools,
    ...approvals.flat(),
    ...events,
  ];
}

/** The fields of an LLM step the provider checks look at (a v1 llm node, or a pipeline node naming a model). */
export type LlmStepFields = Pick<LlmNode, 'providerId' | 'credentialId' | 'model' | 'parameters' | 'tools'>;

export function llmIssues(
  node: LlmStepFields,
  at: string,
  credentialProvider: ReadonlyMap<string, string>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  node.tools.forEach((id, i) => {
    // A host-built tool (`builtin:`, …) is checked against the team's by hostToolIssues, which needs the database.
    if (!isHostToolId(id) && !tools.has(id))
      issues.push({ field: `${at}.tools.${i}`, message: `tool plugin "${id}" is not installed` });
    else if (node.tools.indexOf(id) !== i)
      issues.push({ field: `${at}.tools.${i}`, message: `tool "${id}" is listed twice` });
  });
  const provider = providers.get(node.providerId);
  if (!provider) {
    issues.push({ field: `${at}.providerId`, message: `provider plugin "${node.providerId}" is not installed` });
    return issues;
  }
  let schema: ReturnType<typeof provider.parameters>;
  try {
    schema = provider.parameters(node.model);
  } catch (error) {
    // A plugin may refuse a model it cannot describe; that is a problem with the model, not its parameters.
    const message = error instanceof Error ? error.message : 'unsupported model';
    issues.push({ field: `${at}.model`, message: `${provider.displayName}: ${message}` });
    return issues;
  }
  const parsed = schema.safeParse(node.parameters);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = [`${at}.parameters`, ...issue.path.map(String)].join('.');
      issues.push({ field, message: `${issue.message} (for ${provider.displayName} model ${node.model})` });
    }
  }
  if (node.credentialId) {
    const owner = credentialProvider.get(node.credentialId);
    // Another team's credential reads exactly like a missing one.
    if (owner !== provider.id) {
      issues.push({ field: `${at}.credentialId`, message: `no ${provider.displayName} credential with this id` });
    }
  } else if (!provider.settings.safeParse({}).success) {
    issues.push({
      field: `${at}.credentialId`,
      message: `${provider.displayName} needs one of the team's credentials`,
    });
  }
  return issues;
}

/** The 400 for `issues`, in the same shape as the request validation errors. */
export function definitionError(issues: readonly FieldIssue[]): ApiError {
  const fields = [...new Set(issues.map((issue) => issue.field))].join(', ');
  return new ApiError(400, 'invalid_request', `Invalid ${fields}`, issues);
}

export async function assertUsableDefinition(
  db: Database,
  teamId: string,
  definition: ChatbotDefinition,
  prefix: string,
): Promise<void> {
  const issues = await definitionIssues(db, teamId, definition, prefix);
  if (issues.length) throw definitionError(issues);
}
