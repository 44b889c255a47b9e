import { ApiError } from '../http/errors.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { nodeKinds } from '../pipelines/kinds.ts';
import type { KindRegistry } from '../pipelines/validate.ts';
import type { FieldIssue } from './definition-checks.ts';

/**
 * The 409 for a draft whose collections `gone` were deleted while it was being published (after the draft checks,
 * which report a missing collection the same way): the draft-issue format of `draft_invalid`, each issue naming the
 * node setting that references the collection.
 */
export function collectionsGone(
  definition: AnyDefinition,
  gone: readonly string[],
  kinds: KindRegistry = nodeKinds(),
): ApiError {
  const issues: FieldIssue[] = [];
  if (definition.schemaVersion === 2) {
    definition.nodes.forEach((node, index) => {
      const kind = kinds.get(node.kind);
      const settings = kind?.settings.safeParse(node.settings);
      if (!kind?.references || !settings?.success) return;
      for (const reference of kind.references(settings.data)) {
        if (reference.type !== 'collection' || !gone.includes(reference.id)) continue;
        issues.push({
          field: `draft.definition.nodes[${index}].settings.${reference.path}`,
          message: `no collection "${reference.id}" in this team`,
        });
      }
    });
  }
  return new ApiError(409, 'draft_invalid', 'The draft cannot be published; fix it with PATCH first', issues);
}
