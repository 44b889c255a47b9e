import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { toolApproval } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import { chatbots, knowledgeCollections, pluginConfigs } from '../db/schema/index.ts';
import { eventIssues } from '../events/checks.ts';
import { ApiError } from '../http/errors.ts';
import { type AnyDefinition, type PipelineDefinition, pipelineDefinition } from '../pipelines/definition.ts';
import { nodeKinds } from '../pipelines/kinds.ts';
import type { NodeReference } from '../pipelines/node-kind.ts';
import { issuePath, type PipelineIssue, type ReferenceResolver, validatePipeline } from '../pipelines/validate.ts';
import { approvalIssues } from '../tools/approval-checks.ts';
import { hostToolIssues, type ToolReference, toolReferences } from '../tools/checks.ts';
import { toolNodeIssues } from '../tools/tool-node-checks.ts';
import { type ChatbotDefinition, llmStep } from './definition.ts';
import { assertUsableDefinition, definitionIssues, type FieldIssue, llmIssues } from './definition-checks.ts';

/** One problem with a pipeline definition as the API reports it: `path` and `field` both name it in the request. */
export interface DefinitionIssue {
  field: string;
  path: string;
  code: PipelineIssue['code'];
  message: string;
}

/**
 * Whether team-owned things exist, each type in one D1 query scoped by the team, so another team's id reads
 * exactly like a missing one (knowledge collections included: worker/knowledge/collections).
 */
export function teamReferenceResolver(db: Database, teamId: string): ReferenceResolver {
  return {
    async exists(references) {
      const ids = (type: NodeReference['type']) => [
        ...new Set(references.filter((ref) => ref.type === type).map((ref) => ref.id)),
      ];
      const found = new Set<string>();
      const remember = (type: string, rows: { id: string }[]) => {
        for (const row of rows) found.add(`${type}:${row.id}`);
      };
      const credentials = ids('credential');
      const configs = ids('plugin-config');
      const bots = ids('chatbot');
      const collections = ids('collection');
      await Promise.all([
        credentials.length &&
          db
            .select({ id: pluginConfigs.id })
            .from(pluginConfigs)
            .where(
              and(
                eq(pluginConfigs.teamId, teamId),
                eq(pluginConfigs.kind, 'provider'),
                inArray(pluginConfigs.id, credentials),
              ),
            )
            .then((rows) => remember('credential', rows)),
        configs.length &&
          db
            .select({ id: pluginConfigs.id })
            .from(pluginConfigs)
            .where(and(eq(pluginConfigs.teamId, teamId), inArray(pluginConfigs.id, configs)))
            .then((rows) => remember('plugin-config', rows)),
        bots.length &&
          db
            .select({ id: chatbots.id })
            .from(chatbots)
            .where(and(eq(chatbots.teamId, teamId), inArray(chatbots.id, bots)))
            .then((rows) => remember('chatbot', rows)),
        collections.length &&
          db
            .select({ id: knowledgeCollections.id })
            .from(knowledgeCollections)
            .where(and(eq(knowledgeCollections.teamId, teamId), inArray(knowledgeCollections.id, collections)))
            .then((rows) => remember('collection', rows)),
      ]);
      return references.map((ref) => found.has(`${ref.type}:${ref.id}`));
    },
  };
}

// The fields an LLM-calling node shares with the v1 llm node, checked against the provider as v1 checks them.
const llmFields = z.looseObject({
  providerId: z.string().min(1),
  credentialId: z.string().nullable().optional(),
  model: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).optional(),
  tools: z.array(z.string()).optional(),
  approval: toolApproval.optional(),
});

/**
 * Every problem with a schemaVersion 2 definition: the engine's validation (graph, each kind's settings, team
 * references through `teamReferenceResolver`) and, for nodes that name a provider and model, the v1 checks that
 * the provider is installed, the parameters fit the model and the tools exist. Paths start with `prefix`.
 */
export async function pipelineIssues(
  db: Database,
  teamId: string,
  raw: unknown,
  prefix: string,
): Promise<{ definition: PipelineDefinition | null; issues: DefinitionIssue[] }> {
  const result = await validatePipeline(raw, nodeKinds(), teamReferenceResolver(db, teamId));
  const issues = result.issues.map((issue) => located(issue, prefix));
  if (!result.ok) return { definition: null, issues };
  const definition = result.definition;
  const credentialIds = definition.nodes.flatMap((node) => {
    const parsed = llmFields.safeParse(node.settings);
    return parsed.success && parsed.data.credentialId ? [parsed.data.credentialId] : [];
  });
  const credentialProvider = new Map<string, string>();
  if (credentialIds.length) {
    const rows = await db
      .select({ id: pluginConfigs.id, providerId: pluginConfigs.pluginId })
      .from(pluginConfigs)
      .where(
        and(
          eq(pluginConfigs.teamId, teamId),
          eq(pluginConfigs.kind, 'provider'),
          inArray(pluginConfigs.id, credentialIds),
        ),
      );
    for (const row of rows) credentialProvider.set(row.id, row.providerId);
  }
  const toolRefs: ToolReference[] = [];
  definition.nodes.forEach((node, index) => {
    const parsed = llmFields.safeParse(node.settings);
    if (!parsed.success) return;
    const { providerId, model, credentialId = null, parameters = {}, tools = [] } = parsed.data;
    const at = `${prefix}.nodes[${index}].settings`;
    toolRefs.push(...toolReferences(tools, at));
    for (const issue of llmIssues({ providerId, model, credentialId, parameters, tools }, at, credentialProvider)) {
      if (issues.some((known) => known.field === issue.field)) continue;
      issues.push({ field: issue.field, path: issue.field, code: 'invalid_settings', message: issue.message });
    }
  });
  const approvals = await Promise.all(
    definition.nodes.map((node, index) => {
      const parsed = llmFields.safeParse(node.settings);
      return parsed.success
        ? approvalIssues(db, teamId, parsed.data, `${prefix}.nodes[${index}].settings`)
        : Promise.resolve([]);
    }),
  );
  for (const issue of approvals.flat()) {
    issues.push({ field: issue.field, path: issue.field, code: 'invalid_settings', message: issue.message });
  }
  for (const issue of await hostToolIssues(db, teamId, toolRefs)) {
    if (issues.some((known) => known.field === issue.field)) continue;
    issues.push({ field: issue.field, path: issue.field, code: 'unknown_reference', message: issue.message });
  }
  const toolNodes = definition.nodes.map((node, index) => ({
    settings: node.settings,
    at: `${prefix}.nodes[${index}].settings`,
  }));
  for (const issue of await toolNodeIssues(db, teamId, toolNodes)) {
    if (issues.some((known) => known.field === issue.field)) continue;
    issues.push({ field: issue.field, path: issue.field, code: 'unknown_reference', message: issue.message });
  }
  for (const issue of await eventIssues(db, teamId, definition.events)) {
    const path = `${prefix}.${issuePath(issue.parts)}`;
    issues.push({ field: path, path, code: issue.code, message: issue.message });
  }
  return { definition: issues.length ? null : definition, issues };
}

function located(issue: PipelineIssue, prefix: string): DefinitionIssue {
  const path = `${prefix}.${issue.path}`;
  return { field: path, path, code: issue.code, message: issue.message };
}

/** The 400 for a pipeline's issues: `invalid_definition`, each issue naming its node or edge. */
export function pipelineError(issues: readonly DefinitionIssue[]): ApiError {
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return new ApiError(400, 'invalid_definition', `Invalid pipeline definition: ${shown}${more}`, issues);
}

/** Any stored definition's problems (publishing re-checks the draft: a credential or plugin may be gone since). */
export async function storedDefinitionIssues(
  db: Database,
  teamId: string,
  definition: AnyDefinition,
  prefix: string,
): Promise<FieldIssue[]> {
  if (definition.schemaVersion === 1) return definitionIssues(db, teamId, definition, prefix);
  return (await pipelineIssues(db, teamId, definition, prefix)).issues;
}

/** A definition as a client sent it: version 1 (already parsed) or a pipeline still to validate. */
export type DefinitionInput = ChatbotDefinition | { schemaVersion: 2; [key: string]: unknown };

/** The definition to store, or the 400 naming every problem (v1 exactly as before; v2 `invalid_definition`). */
export async function usableDefinition(
  db: Database,
  teamId: string,
  input: DefinitionInput,
  prefix: string,
): Promise<AnyDefinition> {
  if (input.schemaVersion === 1) {
    await assertUsableDefinition(db, teamId, input as ChatbotDefinition, prefix);
    return input as ChatbotDefinition;
  }
  const { definition, issues } = await pipelineIssues(db, teamId, input, prefix);
  if (!definition) throw pipelineError(issues);
  return definition;
}

/**
 * The draft to store and its problems. Version 1 is refused when invalid, exactly as before. A pipeline is stored
 * with its problems listed as long as it is a pipeline at all (the shape of nodes and edges parses), so an editor's
 * half-built graph (a router whose routes are not wired yet, a node not reachable yet) is never lost; a test turn on
 * such a draft fails with its problems, and publishing refuses it (409 draft_invalid). A malformed shape is the 400.
 */
export async function draftDefinition(
  db: Database,
  teamId: string,
  input: DefinitionInput,
  prefix: string,
): Promise<{ definition: AnyDefinition; issues: DefinitionIssue[] }> {
  if (input.schemaVersion === 1) return { definition: await usableDefinition(db, teamId, input, prefix), issues: [] };
  const { definition, issues } = await pipelineIssues(db, teamId, input, prefix);
  if (definition) return { definition, issues: [] };
  const shaped = pipelineDefinition.safeParse(input);
  if (!shaped.success) throw pipelineError(issues);
  return { definition: shaped.data, issues };
}

/** The model a chatbot answers with, for lists: the v1 llm step, or a pipeline's first node naming one. */
export function primaryModel(definition: AnyDefinition): { providerId: string; model: string } | null {
  if (definition.schemaVersion === 1) return llmStep(definition);
  for (const node of definition.nodes) {
    const parsed = llmFields.safeParse(node.settings);
    if (parsed.success) return { providerId: parsed.data.providerId, model: parsed.data.model };
  }
  return null;
}
