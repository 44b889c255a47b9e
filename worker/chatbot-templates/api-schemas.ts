import { z } from '@hono/zod-openapi';

/** Request and response shapes of the template routes; they double as the OpenAPI description. */

export const TemplateSchema = z
  .object({
    id: z.string().openapi({ example: 'faq' }),
    name: z.string(),
    description: z.string(),
    kinds: z.array(z.string()).describe('The node kinds the template uses'),
    definition: z
      .record(z.string(), z.unknown())
      .describe('The pipeline (schemaVersion 2) a chatbot created from it starts with, for a graph preview'),
  })
  .openapi('ChatbotTemplate');

export type ChatbotTemplateView = z.infer<typeof TemplateSchema>;

/** Which model the template's LLM-family nodes use; absent: the offline provider, so it works with no key. */
export const TemplateProviderSchema = z
  .object({
    providerId: z.string().min(1).max(100).openapi({ example: 'openai' }),
    credentialId: z.string().min(1).max(100).nullable().default(null).describe('One of the team’s credentials'),
    model: z.string().min(1).max(200).optional().describe('Defaults to the provider’s default model'),
  })
  .openapi('ChatbotTemplateProvider');

export type TemplateProvider = z.infer<typeof TemplateProviderSchema>;
