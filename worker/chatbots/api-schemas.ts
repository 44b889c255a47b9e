import { z } from '@hono/zod-openapi';
import { TemplateProviderSchema } from '../chatbot-templates/api-schemas.ts';
import { idParam } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { pipelineDefinition } from '../pipelines/definition.ts';
import { chatbotDefinition } from './definition.ts';
import { chatbotSlug } from './slug.ts';

/** Request and response shapes of the chatbot routes; they double as the OpenAPI description. */
const name = humanText().trim().min(1).max(200).openapi({ example: 'Support bot' });
const description = humanText({ multiline: true }).max(2000);
const slug = chatbotSlug.openapi({ example: 'support-bot' });
const v1Definition = chatbotDefinition.openapi('ChatbotDefinition');
/** What versions store and return: either format (docs/pipelines.md). */
const definition = z.union([v1Definition, pipelineDefinition.openapi('PipelineDefinition')]);
/**
 * What a client sends: version 1 as before, or a pipeline (schemaVersion 2), which is validated as a whole after
 * parsing so its errors can name nodes and edges (400 `invalid_definition`, details with `path` and `code`).
 */
const definitionInput = z.discriminatedUnion('schemaVersion', [
  v1Definition,
  z.looseObject({ schemaVersion: z.literal(2) }).openapi('PipelineDefinitionInput', {
    description:
      'A pipeline definition (PipelineDefinition); node settings follow GET /api/v1/pipelines/node-types. Errors: 400 invalid_definition.',
  }),
]);
/** The draft's version token (ETag); send it back as If-Match or `revision` to refuse overwriting another edit. */
const revision = z.string().min(1).max(64).openapi({ example: '3f2a9c1b00d4e5f6' });

export const VersionSummarySchema = z
  .object({
    id: z.string(),
    number: z.number().int().describe('0 is the draft; published versions count from 1'),
    status: z.enum(['draft', 'published']),
    note: z.string(),
    createdAt: z.string(),
  })
  .openapi('ChatbotVersionSummary');

export const VersionSchema = VersionSummarySchema.extend({
  definition,
  revision: revision.describe(
    'A token of this content: the ETag; PATCH with it as If-Match to detect concurrent edits',
  ),
  knowledge: z
    .record(z.string(), z.object({ revision: z.number().int(), name: z.string() }))
    .describe(
      'The knowledge collections this version references, by id, pinned at publish: the revision its searches use (`revision: pinned`) and the name the collection had. Empty for the draft (it searches the latest)',
    ),
  issues: z
    .array(
      z.object({
        field: z.string(),
        path: z.string().optional().describe('Where the problem is, e.g. definition.nodes[2].settings.model'),
        code: z.string().optional(),
        message: z.string(),
      }),
    )
    .optional()
    .describe(
      "The draft's problems (GET versions/0 and PATCH with a definition): a pipeline draft is saved with them; publishing refuses it until there are none",
    ),
}).openapi('ChatbotVersion');

export const ChatbotSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    publishedVersion: z.number().int().nullable().describe('The version new conversations use; null until published'),
    draft: VersionSchema.nullable().describe('Version 0, the working copy that PATCH edits and publishing copies'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Chatbot');

export const CreateChatbotSchema = z
  .object({
    name,
    slug: slug.optional().describe('Unique in the team; generated from the name when absent'),
    description: description.optional(),
    definition: definitionInput.optional().describe('The draft; defaults to start → llm → end on the offline provider'),
    templateId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Start the draft from a template (GET /api/v1/chatbot-templates) instead of a definition'),
    provider: TemplateProviderSchema.optional().describe(
      'With templateId: the model of every LLM node; defaults to the offline provider',
    ),
  })
  .openapi('CreateChatbot');

export const UpdateChatbotSchema = z
  .object({
    name: name.optional(),
    slug: slug.optional(),
    description: description.optional(),
    definition: definitionInput.optional().describe('Replaces the draft; published versions never change'),
    revision: revision
      .optional()
      .describe(
        'The draft revision this edit is based on (like If-Match); a different current draft gives 409 draft_conflict',
      ),
  })
  .openapi('UpdateChatbot');

export const PublishSchema = z
  .object({
    note: humanText({ multiline: true }).max(1000).default('').openapi({ example: 'Friendlier welcome message' }),
  })
  .openapi('PublishChatbotVersion');

export const chatbotParams = z.object({ idOrSlug: idParam('idOrSlug', 'support-bot') });

const versionNumber = (min: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(1_000_000_000)
    .openapi({ param: { name: 'number', in: 'path', required: true }, type: 'integer', minimum: min, example: 1 });

export const versionParams = chatbotParams.extend({ number: versionNumber(0) });
export const publishedVersionParams = chatbotParams.extend({ number: versionNumber(1) });

export const archivedQuery = z.object({
  archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description: 'true lists only archived chatbots' }),
});

export type ChatbotVersion = z.infer<typeof VersionSchema>;
export type Chatbot = z.infer<typeof ChatbotSchema>;
