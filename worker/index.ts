import { analyticsRoutes } from './analytics/routes.ts';
import { usageRoutes } from './analytics/usage-routes.ts';
import { registerApiDocs } from './api-docs/routes.ts';
import { apiKeyRoutes } from './api-keys/routes.ts';
import { auditMutations } from './audit/middleware.ts';
import { auditLogRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { setupRoutes } from './auth/setup-routes.ts';
import { signedInUserId } from './auth/signed-in-user.ts';
import { totpRoutes } from './auth/totp-routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { webhookRoutes } from './channels/webhook-routes.ts';
import { chatbotRoutes } from './chatbots/routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { conversationStreamRoutes } from './conversations/streams.ts';
import { triggerRoutes } from './conversations/trigger.ts';
import { credentialRoutes } from './credentials/routes.ts';
import type { Env } from './env.ts';
import { createApp } from './http/app.ts';
import { healthRoutes } from './http/health.ts';
import { handleOpenAIError } from './openai-compat/errors.ts';
import { openaiCompatRoutes } from './openai-compat/routes.ts';
import { participantsRoutes } from './participants/routes.ts';
import { providerParameterRoutes } from './plugin-catalog/provider-parameters.ts';
import { providerRoutes } from './plugin-catalog/providers.ts';
import { pluginRoutes } from './plugin-catalog/routes.ts';
import { consumeEvents } from './queue/consumer.ts';
import type { QueueMessage } from './queue/messages.ts';
import { invitationRoutes } from './team/invitations-routes.ts';
import { memberRoutes } from './team/members-routes.ts';
import { widgetConversationRoutes } from './widget/conversation-routes.ts';
import { widgetFileRoutes } from './widget/file-routes.ts';
import { widgetKeyRoutes } from './widget/key-routes.ts';
import { widgetSessionRoutes } from './widget/session-routes.ts';

export { ConversationDO } from './conversation-do/conversation-do.ts';
export { RateLimiterDO } from './http/rate-limiter-do.ts';

const base = createApp([{ prefix: '/v1/', onError: handleOpenAIError }], { signedInUser: signedInUserId });
// Before every route, so it sees each write's outcome (worker/auth/audit.ts).
base.use('/api/v1/*', auditMutations);

export const app = base
  .route('/', healthRoutes)
  .route('/', authRoutes)
  .route('/', totpRoutes)
  .route('/', setupRoutes)
  .route('/', memberRoutes)
  .route('/', invitationRoutes)
  .route('/', apiKeyRoutes)
  .route('/', auditLogRoutes)
  .route('/', pluginRoutes)
  .route('/', providerRoutes)
  .route('/', providerParameterRoutes)
  .route('/', credentialRoutes)
  .route('/', chatbotRoutes)
  .route('/', channelRoutes)
  .route('/', conversationRoutes)
  .route('/', conversationStreamRoutes)
  .route('/', participantsRoutes)
  .route('/', usageRoutes)
  .route('/', analyticsRoutes)
  .route('/', openaiCompatRoutes)
  .route('/', triggerRoutes)
  .route('/', widgetSessionRoutes)
  .route('/', widgetConversationRoutes)
  .route('/', widgetFileRoutes)
  .route('/', widgetKeyRoutes)
  .route('/', webhookRoutes);

registerApiDocs(app);

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEvents(batch, env),
} satisfies ExportedHandler<Env, QueueMessage>;
