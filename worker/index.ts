import { auditMutations } from './auth/audit.ts';
import type { Env } from './env.ts';
import { createApp } from './http/app.ts';
import { handleOpenAIError } from './openai-compat/errors.ts';
import { pluginConfigRoutes } from './plugin-configs/routes.ts';
import { consumeEvents } from './queue/consumer.ts';
import type { QueueMessage } from './queue/messages.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { registerApiDocs } from './routes/api-docs.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditLogRoutes } from './routes/audit-log.ts';
import { authRoutes } from './routes/auth.ts';
import { setupRoutes } from './routes/auth-setup.ts';
import { totpRoutes } from './routes/auth-totp.ts';
import { channelRoutes } from './routes/channels.ts';
import { chatbotRoutes } from './routes/chatbots.ts';
import { conversationStreamRoutes } from './routes/conversation-streams.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { healthRoutes } from './routes/health.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { memberRoutes } from './routes/members.ts';
import { openaiCompatRoutes } from './routes/openai-compat.ts';
import { participantsRoutes } from './routes/participants.ts';
import { pluginRoutes } from './routes/plugins.ts';
import { providerParameterRoutes } from './routes/provider-parameters.ts';
import { providerRoutes } from './routes/providers.ts';
import { triggerRoutes } from './routes/trigger.ts';
import { usageRoutes } from './routes/usage.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { widgetConversationRoutes } from './routes/widget-conversations.ts';
import { widgetFileRoutes } from './routes/widget-files.ts';
import { widgetKeyRoutes } from './routes/widget-keys.ts';
import { widgetSessionRoutes } from './routes/widget-sessions.ts';

export { ConversationDO } from './conversation/conversation-do.ts';
export { RateLimiterDO } from './http/rate-limiter-do.ts';

const base = createApp([{ prefix: '/v1/', onError: handleOpenAIError }]);
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
  .route('/', pluginConfigRoutes)
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
