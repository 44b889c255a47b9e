import type { Hono } from 'hono';
import { analyticsRoutes } from './analytics/routes.ts';
import { usageRoutes } from './analytics/usage-routes.ts';
import { registerApiDocs } from './api-docs/routes.ts';
import { apiKeyRoutes } from './api-keys/routes.ts';
import { auditMutations } from './audit/middleware.ts';
import { auditLogRoutes } from './audit/routes.ts';
import { verifiedApiKeyBucket } from './auth/api-key-bucket.ts';
import { authRoutes } from './auth/routes.ts';
import { setupRoutes } from './auth/setup-routes.ts';
import { signedInUserId } from './auth/signed-in-user.ts';
import { totpRoutes } from './auth/totp-routes.ts';
import { channelFileRoutes } from './channels/file-links/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { webhookRoutes } from './channels/webhook-routes.ts';
import { chatbotTemplateRoutes } from './chatbot-templates/routes.ts';
import { chatbotRoutes } from './chatbots/routes.ts';
import { conversationFileRoutes } from './conversations/file-routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { conversationStreamRoutes } from './conversations/streams.ts';
import { messageTraceRoutes } from './conversations/trace.ts';
import { triggerRoutes } from './conversations/trigger.ts';
import { credentialRoutes } from './credentials/routes.ts';
import { customActionRoutes } from './custom-actions/routes.ts';
import { eventLogRoutes } from './events/log-routes.ts';
import { webhookSecretRoutes } from './events/webhook-secret-routes.ts';
import { createApp } from './http/app.ts';
import { healthRoutes } from './http/health.ts';
import { collectionRoutes } from './knowledge/collections/routes.ts';
import { documentRoutes } from './knowledge/documents/routes.ts';
import { publicFileRoutes } from './knowledge/public-files/routes.ts';
import { knowledgeSearchRoutes } from './knowledge/search/routes.ts';
import { mcpOAuthRoutes } from './mcp/oauth-routes.ts';
import { mcpServerRoutes } from './mcp/routes.ts';
import { handleOpenAIError } from './openai-compat/errors.ts';
import { openaiCompatRoutes } from './openai-compat/routes.ts';
import { opsRoutes } from './ops/routes.ts';
import { participantDataRoutes } from './participant-data/routes.ts';
import { participantsRoutes } from './participants/routes.ts';
import { pipelineRoutes } from './pipelines/routes.ts';
import { providerParameterRoutes } from './plugin-catalog/provider-parameters.ts';
import { providerRoutes } from './plugin-catalog/providers.ts';
import { pluginRoutes } from './plugin-catalog/routes.ts';
import { pluginConfigRoutes } from './plugin-configs/routes.ts';
import { scheduleRoutes } from './schedules/routes.ts';
import { invitationRoutes } from './team/invitations-routes.ts';
import { memberRoutes } from './team/members-routes.ts';
import { teamDeletionRoutes } from './team-deletion/routes.ts';
import { toolRoutes } from './tools/routes.ts';
import { widgetConversationRoutes } from './widget/conversation-routes.ts';
import { widgetFileRoutes } from './widget/file-routes.ts';
import { widgetKeyRoutes } from './widget/key-routes.ts';
import { widgetSessionRoutes } from './widget/session-routes.ts';

/** A router as the map needs it: its routes (Hono, OpenAPIHono and the widget's routers have different Envs). */
interface MountedRouter {
  routes: readonly { method: string; path: string }[];
}

/**
 * The whole URL map: every router the Worker mounts, in matching order, with the path prefixes its routes live
 * under (url-map.unit.test.ts checks each router stays inside them and no route is mounted outside this table).
 * Routers carry their full paths, so each is mounted at `/`; the OpenAPI document and `/api/docs` are added last.
 */
export const URL_MAP = [
  { router: healthRoutes, prefixes: ['/health'] },
  { router: authRoutes, prefixes: ['/api/v1/auth/'] },
  { router: totpRoutes, prefixes: ['/api/v1/auth/'] },
  { router: setupRoutes, prefixes: ['/api/v1/auth/'] },
  { router: memberRoutes, prefixes: ['/api/v1/members'] },
  { router: invitationRoutes, prefixes: ['/api/v1/invitations'] },
  { router: teamDeletionRoutes, prefixes: ['/api/v1/team'] },
  { router: opsRoutes, prefixes: ['/api/v1/ops/'] },
  { router: apiKeyRoutes, prefixes: ['/api/v1/api-keys'] },
  { router: auditLogRoutes, prefixes: ['/api/v1/audit-log'] },
  { router: eventLogRoutes, prefixes: ['/api/v1/events/'] },
  { router: webhookSecretRoutes, prefixes: ['/api/v1/events/'] },
  { router: pluginRoutes, prefixes: ['/api/v1/plugins'] },
  { router: providerRoutes, prefixes: ['/api/v1/providers/'] },
  { router: providerParameterRoutes, prefixes: ['/api/v1/providers/'] },
  { router: credentialRoutes, prefixes: ['/api/v1/credentials'] },
  { router: mcpServerRoutes, prefixes: ['/api/v1/mcp-servers'] },
  { router: mcpOAuthRoutes, prefixes: ['/api/v1/mcp-servers'] },
  { router: toolRoutes, prefixes: ['/api/v1/tools'] },
  { router: customActionRoutes, prefixes: ['/api/v1/custom-actions'] },
  { router: pluginConfigRoutes, prefixes: ['/api/v1/plugin-configs'] },
  { router: chatbotRoutes, prefixes: ['/api/v1/chatbots'] },
  { router: pipelineRoutes, prefixes: ['/api/v1/pipelines/'] },
  { router: chatbotTemplateRoutes, prefixes: ['/api/v1/chatbot-templates'] },
  { router: channelRoutes, prefixes: ['/api/v1/channels'] },
  { router: conversationRoutes, prefixes: ['/api/v1/conversations', '/api/v1/tags'] },
  { router: conversationStreamRoutes, prefixes: ['/api/v1/conversations/'] },
  { router: messageTraceRoutes, prefixes: ['/api/v1/conversations/'] },
  { router: conversationFileRoutes, prefixes: ['/api/v1/conversations/'] },
  { router: participantsRoutes, prefixes: ['/api/v1/participants'] },
  { router: participantDataRoutes, prefixes: ['/api/v1/participants/'] },
  { router: scheduleRoutes, prefixes: ['/api/v1/participants/', '/api/v1/schedules'] },
  { router: knowledgeSearchRoutes, prefixes: ['/api/v1/knowledge/collections/'] },
  { router: usageRoutes, prefixes: ['/api/v1/usage'] },
  { router: analyticsRoutes, prefixes: ['/api/v1/analytics/'] },
  { router: openaiCompatRoutes, prefixes: ['/v1/'] },
  { router: triggerRoutes, prefixes: ['/api/v1/chatbots/'] },
  { router: widgetSessionRoutes, prefixes: ['/api/widget/v1/'] },
  { router: widgetConversationRoutes, prefixes: ['/api/widget/v1/'] },
  { router: widgetFileRoutes, prefixes: ['/api/widget/v1/'] },
  { router: widgetKeyRoutes, prefixes: ['/api/v1/chatbots/:idOrSlug/widget-keys', '/api/v1/widget-keys/'] },
  { router: webhookRoutes, prefixes: ['/webhooks/'] },
  { router: collectionRoutes, prefixes: ['/api/v1/knowledge/collections'] },
  { router: documentRoutes, prefixes: ['/api/v1/knowledge/collections/'] },
  { router: publicFileRoutes, prefixes: ['/api/v1/knowledge/public-files/'] },
  { router: channelFileRoutes, prefixes: ['/api/v1/channel-files/'] },
] as const satisfies readonly { router: MountedRouter; prefixes: readonly string[] }[];

/** Served by registerApiDocs (worker/api-docs/routes.ts), which reads the finished app. */
export const API_DOCS_PREFIXES = ['/api/docs', '/api/v1/openapi.json'] as const;

/** The Worker's Hono app: the platform's app factory, the audit sweep, then every router of the map. */
export function buildApp() {
  const app = createApp([{ prefix: '/v1/', onError: handleOpenAIError }], {
    signedInUser: signedInUserId,
    verifiedKeyBucket: verifiedApiKeyBucket,
  });
  // Before every route, so it sees each write's outcome (worker/audit/middleware.ts).
  app.use('/api/v1/*', auditMutations);
  // Each router was type-checked against its own Env where it was built; mounting needs no more than a Hono.
  for (const { router } of URL_MAP) app.route('/', router as unknown as Hono);
  registerApiDocs(app);
  return app;
}
