/**
 * The static plugin registry. Every installed plugin is imported here by name, so wrangler bundles exactly these
 * and nothing is ever loaded by a computed path. To install a plugin: import it and add it to `installed`.
 */

import { guardPlugin } from '../worker/plugins/guard.ts';
import { messengerChannel } from './channels/messenger/index.ts';
import { slackChannel } from './channels/slack/index.ts';
import { telegramChannel } from './channels/telegram/index.ts';
import { twilioChannel } from './channels/twilio/index.ts';
import { whatsappChannel } from './channels/whatsapp/index.ts';
import { cloudflareEmail } from './email/cloudflare/index.ts';
import { resendEmail } from './email/resend/index.ts';
import { geminiEmbedder } from './embedders/gemini/index.ts';
import { offlineEmbedder } from './embedders/offline/index.ts';
import { openaiEmbedder } from './embedders/openai/index.ts';
import { workersAiEmbedder } from './embedders/workers-ai/index.ts';
import { codeNodePlugin } from './nodes/code/index.ts';
import { endConversationNode } from './nodes/end-conversation/index.ts';
import { extractStructuredNode } from './nodes/extract-structured/index.ts';
import { httpRequestNodePlugin } from './nodes/http-request/index.ts';
import { knowledgeRetrievalNode } from './nodes/knowledge-retrieval/index.ts';
import { llmNodePlugin } from './nodes/llm/index.ts';
import { llmRouterNode } from './nodes/llm-router/index.ts';
import { replyNode } from './nodes/reply/index.ts';
import { sendEmailNodePlugin } from './nodes/send-email/index.ts';
import { setStateNode } from './nodes/set-state/index.ts';
import { staticRouterNode } from './nodes/static-router/index.ts';
import { templateNode } from './nodes/template/index.ts';
import { toolNode } from './nodes/tool/index.ts';
import { updateParticipantDataNode } from './nodes/update-participant-data/index.ts';
import { anthropicProvider } from './providers/anthropic/index.ts';
import { geminiProvider } from './providers/gemini/index.ts';
import { offlineProvider } from './providers/offline/index.ts';
import { openaiProvider } from './providers/openai/index.ts';
import { openaiCompatibleProviders } from './providers/openai/presets/index.ts';
import { cohereReranker } from './rerankers/cohere/index.ts';
import { offlineReranker } from './rerankers/offline/index.ts';
import { workersAiReranker } from './rerankers/workers-ai/index.ts';
import { createRegistry, kinds, type Plugin } from './sdk/index.ts';
import { clockTool } from './tools/clock/index.ts';

export const installed: readonly Plugin[] = [
  offlineProvider,
  openaiProvider,
  ...openaiCompatibleProviders,
  anthropicProvider,
  geminiProvider,
  clockTool,
  telegramChannel,
  whatsappChannel,
  messengerChannel,
  slackChannel,
  twilioChannel,
  endConversationNode,
  replyNode,
  setStateNode,
  staticRouterNode,
  templateNode,
  toolNode,
  extractStructuredNode,
  llmRouterNode,
  updateParticipantDataNode,
  llmNodePlugin,
  codeNodePlugin,
  httpRequestNodePlugin,
  knowledgeRetrievalNode,
  sendEmailNodePlugin,
  offlineEmbedder,
  resendEmail,
  cloudflareEmail,
  openaiEmbedder,
  geminiEmbedder,
  workersAiEmbedder,
  offlineReranker,
  workersAiReranker,
  cohereReranker,
];

/**
 * Indexed by kind generically (plugins/sdk/registry.ts): a plugin of a new kind needs its kind file in
 * plugins/sdk/kinds/ and a line above, nothing here. Guarded: whatever a plugin's hooks fail with is redacted before
 * the core stores or returns it.
 */
export const registry = createRegistry(kinds, installed, guardPlugin);

// Shorthands for the kinds the core calls directly.
export const providers = registry.of('provider');
export const channels = registry.of('channel');
export const tools = registry.of('tool');
export const nodes = registry.of('node');
export const embedders = registry.of('embedder');
export const rerankers = registry.of('reranker');
