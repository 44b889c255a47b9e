import type { Env } from './env.ts';
import { createApp } from './http/app.ts';
import { handleOpenAIError } from './openai-compat/errors.ts';
import { consumeEvents } from './queue/consumer.ts';
import type { QueueMessage } from './queue/messages.ts';
import { registerApiDocs } from './routes/api-docs.ts';
import { chatbotRoutes } from './routes/chatbots.ts';
import { conversationStreamRoutes } from './routes/conversation-streams.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { healthRoutes } from './routes/health.ts';
import { openaiCompatRoutes } from './routes/openai-compat.ts';
import { participantsRoutes } from './routes/participants.ts';
import { pluginRoutes } from './routes/plugins.ts';
import { providerRoutes } from './routes/providers.ts';
import { triggerRoutes } from './routes/trigger.ts';
import { usageRoutes } from './routes/usage.ts';
import { widgetConversationRoutes } from './routes/widget-conversations.ts';
import { widgetFileRoutes } from './routes/widget-files.ts';
import { widgetSessionRoutes } from './routes/widget-sessions.ts';

export { ConversationDO } from './conversation/conversation-do.ts';
export { RateLimiterDO } from './http/rate-limiter-do.ts';

export const app = createApp([{ prefix: '/v1/', onError: handleOpenAIError }])
  .route('/', healthRoutes)
  .route('/', pluginRoutes)
  .route('/', providerRoutes)
  .route('/', chatbotRoutes)
  .route('/', conversationRoutes)
  .route('/', conversationStreamRoutes)
  .route('/', participantsRoutes)
  .route('/', usageRoutes)
  .route('/', openaiCompatRoutes)
  .route('/', triggerRoutes)
  .route('/', widgetSessionRoutes)
  .route('/', widgetConversationRoutes)
  .route('/', widgetFileRoutes);

registerApiDocs(app);

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEvents(batch, env),
} satisfies ExportedHandler<Env, QueueMessage>;
