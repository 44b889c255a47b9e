import { z } from '@hono/zod-openapi';
import { clientMessageId, typedMessageText } from '../conversation/inputs.ts';
import { attachmentIds, messageContext } from '../conversation/message-extras.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { ToolApprovalSchema } from '../conversations/tool-approval-schemas.ts';
import { ErrorSchema } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';

/**
 * The widget API's shapes (docs/widget-api.md): the routes validate and document with them, and the widget and the
 * dashboard take their types from them (`import type`, erased from the bundles), so no UI restates the API by hand.
 */

/** The security schemes of the widget API, registered next to the API key's (worker/api-docs/routes.ts). */
export const WIDGET_TOKEN_SCHEME = 'widgetToken';
export const WIDGET_TOKEN_QUERY_SCHEME = 'widgetTokenQuery';
export const WIDGET_KEY_SCHEME = 'widgetKey';

/** Either scheme authenticates a widget route: the header, or `?token=` where a browser cannot set one. */
export const widgetTokenSecurity: Record<string, string[]>[] = [
  { [WIDGET_TOKEN_SCHEME]: [] },
  { [WIDGET_TOKEN_QUERY_SCHEME]: [] },
];

export const widgetSecuritySchemes = {
  [WIDGET_TOKEN_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'v1.<payload>.<signature>',
    description:
      'A widget token from POST /api/widget/v1/sessions: one conversation of one chatbot, for one participant, ' +
      'from one page origin (the `Origin` header must be that origin), valid until `expiresAt` and until its ' +
      'widget key is revoked.',
  },
  [WIDGET_TOKEN_QUERY_SCHEME]: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The widget token in the URL, where a browser cannot set headers (WebSocket, EventSource, <img>).',
  },
  [WIDGET_KEY_SCHEME]: {
    type: 'apiKey',
    in: 'header',
    name: 'Origin',
    description:
      'The public widget key (`pk_…`), sent as `widgetKey` in the body of POST /api/widget/v1/sessions, serves only ' +
      'the page origins listed in its allowedOrigins: the `Origin` header is what it is checked against (OpenAPI ' +
      'has no scheme for a key in a body).',
  },
} as const;

const jsonError = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

export const widgetRateLimited = {
  ...jsonError('Rate limit exceeded; retry after `Retry-After` seconds'),
  headers: z.object({
    'retry-after': z.string().openapi({ description: 'Seconds until the window resets' }),
    ratelimit: z.string().openapi({ description: 'Remaining quota: `"<policy>";r=<remaining>;t=<seconds>`' }),
    'ratelimit-policy': z.string().openapi({ description: 'Quota: `"<policy>";q=<requests>;w=<seconds>`' }),
  }),
};

/** The errors every token-authenticated widget route can answer (worker/widget/auth.ts). */
export const widgetErrorResponses = {
  400: jsonError('Invalid request'),
  401: jsonError(
    'Missing, invalid or expired widget token (`token_expired`: create a new session), or its widget key was revoked',
  ),
  403: jsonError('The page origin is not the one the session was created from'),
  404: jsonError('Not the token’s conversation, or not found'),
} as const;

export const conversationIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'conv_…', description: 'The token’s conversation' }),
});

/** `?after=<seq>`; anything but a non-negative integer replays from the start, as a first connect does. */
export const afterSeq = z.coerce
  .number()
  .int()
  .min(0)
  .catch(0)
  .openapi({ type: 'integer', minimum: 0, description: 'Replay events after this seq' });

// Anonymous ids are bearer secrets (whoever knows one continues that visitor's conversations), so they must be long
// and random; the server generates them and the widget keeps them in localStorage.
const anonymousIdPattern = /^[A-Za-z0-9_-]{16,100}$/;
// Anonymous visitors live in their own namespace of external ids, so no anonymousId can ever name a signed-in user.
export const ANONYMOUS_PREFIX = 'anon:';

export const sessionRequest = z.strictObject({
  widgetKey: z.string().min(1).max(100),
  conversationId: z.string().min(1).max(64).optional(),
  anonymousId: z.string().regex(anonymousIdPattern, 'must be 16–100 letters, digits, _ or -').optional(),
  identity: z
    .strictObject({
      id: z
        .string()
        .min(1)
        .max(200)
        .refine((id) => !id.startsWith(ANONYMOUS_PREFIX), `must not start with "${ANONYMOUS_PREFIX}"`),
      name: humanText().max(200).optional(),
      email: z.email().max(320).optional(),
      hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a hex HMAC-SHA256'),
    })
    .optional(),
  locale: z.string().max(35).optional(),
});

export const WidgetSessionRequest = sessionRequest.openapi('WidgetSessionRequest', {
  example: { widgetKey: 'pk_…', anonymousId: 'a-random-16-to-100-char-id' },
});

export const WidgetAppearanceSchema = z
  .object({
    title: z.string(),
    subtitle: z.string(),
    avatarUrl: z.string().nullable(),
    primaryColor: z.string(),
    position: z.enum(['bottom-right', 'bottom-left']),
    launcherIcon: z.enum(['chat', 'help', 'sparkles']),
    theme: z.enum(['light', 'dark', 'auto']),
    locale: z.string().optional(),
  })
  .openapi('WidgetAppearance');

export const WidgetChatbotSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    welcomeMessage: z.string(),
    starterQuestions: z.array(z.string()),
    widget: WidgetAppearanceSchema,
  })
  .openapi('WidgetChatbot');

export const WidgetSessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    conversationId: z.string(),
    participantId: z.string(),
    anonymousId: z.string().nullable().openapi({ description: 'Keep it to continue as the same visitor' }),
    chatbot: WidgetChatbotSchema,
  })
  .openapi('WidgetSession');

export const UploadedFileSchema = z
  .object({
    fileId: z.string(),
    name: z.string(),
    mimeType: z.string(),
    size: z.number().int(),
    url: z.string().openapi({ example: '/api/widget/v1/files/file_…' }),
  })
  .openapi('UploadedFile');

/**
 * An attachment as a message's metadata carries it (no size needed to show it). Stored attachments have no `url`
 * (worker/conversation/tool-files.ts, a user message's metadata): clients build it from the ids.
 */
export const AttachmentSchema = UploadedFileSchema.omit({ size: true, url: true }).extend({
  size: z.number().int().optional(),
  url: z.string().optional(),
});

export const FeedbackSchema = z
  .object({ rating: z.enum(['up', 'down']).nullable(), at: z.number().openapi({ description: 'Unix ms' }) })
  .openapi('Feedback');

/**
 * A source a reply cites (plugins/sdk/citation.ts, the fields the widget shows): the reply's `[n]` markers refer to
 * it. `url` opens the page of a document added by URL or downloads a file the admin marked public; it may be relative
 * to the deployment.
 */
export const WidgetCitationSchema = z
  .object({
    n: z.number().int(),
    documentId: z.string(),
    title: z.string(),
    page: z.number().int().optional(),
    url: z.string().optional(),
    snippet: z.string(),
  })
  .catchall(z.unknown())
  .openapi('Citation');

export const WidgetMessageSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    status: z.enum(['streaming', 'complete', 'stopped', 'error']),
    turnId: z.string(),
    clientMessageId: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    providerId: z.string().nullable(),
    model: z.string().nullable(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).nullable(),
    finishReason: z.string().nullable(),
    metadata: z
      .object({
        attachments: z.array(AttachmentSchema).optional(),
        feedback: FeedbackSchema.optional(),
        citations: z.array(WidgetCitationSchema).optional(),
      })
      .catchall(z.unknown()),
    createdAt: z.number().openapi({ description: 'Unix ms' }),
    completedAt: z.number().nullable(),
  })
  .openapi('ConversationMessage');

export const WidgetHistorySchema = z
  .object({
    data: z.array(WidgetMessageSchema),
    lastSeq: z.number().int(),
    pendingApprovals: z.array(ToolApprovalSchema).describe('Tool calls waiting for the user to approve or deny them'),
  })
  .openapi('WidgetHistory');

/** The events a widget follows (docs/protocol.md), as SSE `data:` and WebSocket frames. */
const seqd = { seq: z.number().int(), at: z.number() };
export const WidgetEventSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.enum(['message.created', 'message.completed', 'message.updated']),
      message: WidgetMessageSchema,
      ...seqd,
    }),
    z.object({ type: z.literal('delta'), messageId: z.string(), text: z.string(), ...seqd }),
    z.object({
      type: z.literal('error'),
      messageId: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }),
      ...seqd,
    }),
    z.object({ type: z.literal('typing'), active: z.boolean(), ...seqd }),
    z.object({
      type: z.literal('tool.call'),
      messageId: z.string(),
      call: z.object({ id: z.string(), name: z.string(), arguments: z.string() }),
      ...seqd,
    }),
    z.object({
      type: z.literal('tool.result'),
      messageId: z.string(),
      callId: z.string(),
      name: z.string(),
      ok: z.boolean(),
      output: z.string(),
      ...seqd,
    }),
    z.object({
      type: z.literal('tool.approval_requested'),
      messageId: z.string().nullable(),
      approval: ToolApprovalSchema,
      ...seqd,
    }),
    z.object({
      type: z.literal('tool.approval_decided'),
      messageId: z.string().nullable(),
      approvalId: z.string(),
      callId: z.string(),
      name: z.string(),
      decision: z.enum(['approved', 'denied']),
      by: z.enum(['user', 'timeout', 'cancelled', 'interrupted', 'rule']),
      ...seqd,
    }),
  ])
  .openapi('WidgetEvent');

/** The socket's answer to a frame it refused (worker/conversation/websocket-session.ts): nothing was stored. */
export const RejectedFrameSchema = z
  .object({
    type: z.literal('rejected'),
    clientMessageId: z.string().optional(),
    /** Set when a `tool.approval` frame was refused (unknown, or already decided). */
    approvalId: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string(), retryAfterSeconds: z.number().optional() }),
  })
  .openapi('RejectedFrame');

export const SendWidgetMessage = z
  .strictObject({
    text: typedMessageText,
    clientMessageId,
    context: messageContext.optional(),
    attachments: attachmentIds.optional(),
  })
  .openapi('SendWidgetMessage');

export const AcceptedMessageSchema = z.object({ messageId: z.string(), turnId: z.string() }).openapi('AcceptedMessage');

export const CancelledSchema = z.object({ cancelled: z.boolean(), turnId: z.string().nullable() }).openapi('Cancelled');

export const RateMessage = z
  .strictObject({ messageId: z.string().min(1).max(64), rating: z.enum(['up', 'down']).nullable() })
  .openapi('RateMessage');

export const RatedMessageSchema = z
  .object({ messageId: z.string(), feedback: FeedbackSchema.optional() })
  .openapi('RatedMessage');

export type WidgetSession = z.infer<typeof WidgetSessionSchema>;
export type WidgetSessionBody = z.input<typeof WidgetSessionRequest>;
export type WidgetChatbot = z.infer<typeof WidgetChatbotSchema>;
export type WidgetAppearance = z.infer<typeof WidgetAppearanceSchema>;
export type UploadedFile = z.infer<typeof UploadedFileSchema>;
export type WidgetAttachment = z.infer<typeof AttachmentSchema>;
export type WidgetCitation = z.infer<typeof WidgetCitationSchema>;
export type WidgetMessage = z.infer<typeof WidgetMessageSchema>;
export type WidgetHistory = z.infer<typeof WidgetHistorySchema>;
export type WidgetEvent = z.infer<typeof WidgetEventSchema>;
export type RejectedFrame = z.infer<typeof RejectedFrameSchema>;
export type RatedMessage = z.infer<typeof RatedMessageSchema>;
export type WidgetToolApproval = z.infer<typeof ToolApprovalSchema>;

// The stored message must fit the documented one (metadata is free-form JSON in storage, so it is left out).
type Fits<T extends U, U> = T;
export type MessageFitsSchema = Fits<Omit<ConversationMessage, 'metadata'>, Omit<WidgetMessage, 'metadata'>>;
