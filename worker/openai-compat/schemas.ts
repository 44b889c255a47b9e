import { z } from '@hono/zod-openapi';
import { clientMessageId } from '../conversation/inputs.ts';

/**
 * The Chat Completions request as Parley accepts it (platform.openai.com/docs/api-reference/chat/create). Fields
 * Parley does not act on (`user`, `seed`, `logprobs`, …) are accepted and ignored, since OpenAI clients send them
 * by default; the ones that would change what the client gets back are rejected by name.
 */
const textPart = z.object({ type: z.literal('text'), text: z.string() });
// Text parts only: Parley's messages are text. An image part fails here and names its path.
const content = z.union([z.string(), z.array(textPart)]);

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const chatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content, name: z.string().optional() }),
  z.object({
    role: z.literal('assistant'),
    content: content.nullish(),
    tool_calls: z.array(toolCall).optional(),
    name: z.string().optional(),
  }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
]);

export type OpenAIChatMessage = z.infer<typeof chatMessage>;

export const ChatCompletionRequest = z
  .looseObject({
    model: z.string().min(1).max(200).openapi({ example: 'demo' }),
    messages: z.array(chatMessage).min(1).max(1000),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    max_tokens: z.number().int().nullish(),
    max_completion_tokens: z.number().int().nullish(),
    n: z.literal(1).nullish().describe('Only one choice is generated'),
    tools: z.array(z.unknown()).nullish().describe('Not supported: the chatbot runs its own tools server-side'),
    functions: z.array(z.unknown()).nullish().describe('Not supported: the chatbot runs its own tools server-side'),
  })
  .superRefine((body, ctx) => {
    for (const field of ['tools', 'functions'] as const) {
      if (body[field]?.length) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'client tools are not supported: the chatbot runs its own',
        });
      }
    }
  })
  .openapi('ChatCompletionRequest');

export type ChatCompletionBody = z.infer<typeof ChatCompletionRequest>;

export const ConversationHeader = z.object({
  'x-parley-conversation-id': z
    .string()
    .regex(/^conv_[0-9a-z]{1,60}$/, 'must be a conversation id (conv_…)')
    .optional()
    .openapi({ description: 'Continue this stored conversation instead of answering statelessly' }),
  'idempotency-key': clientMessageId
    .optional()
    .openapi({ description: 'Continue mode: a retry with the same key returns the original reply, not a new turn' }),
});

const usage = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() });

export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
        logprobs: z.null(),
        finish_reason: z.enum(['stop', 'length', 'content_filter']),
      }),
    ),
    usage,
  })
  .openapi('ChatCompletion');

export const ModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() }),
    ),
  })
  .openapi('ModelList');

export const OpenAIErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .openapi('OpenAIError');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: OpenAIErrorSchema } },
});

export const openaiErrorResponses = {
  400: errorResponse('Invalid request'),
  401: errorResponse('Missing or invalid API key'),
  403: errorResponse('The API key lacks the required scope'),
  404: errorResponse('No such model (chatbot) or conversation in this team'),
} as const;

/** The part of the request's execution context that keeps a streamed reply running after the handler returns. */
export interface Background {
  waitUntil(promise: Promise<unknown>): void;
}
