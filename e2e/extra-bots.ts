/// <reference types="node" />
/**
 * Chatbots the e2e run adds to the demo seed, each with its own widget key, for the steps the demo chatbot cannot
 * show: a slow offline reply (long enough to press Stop mid-stream) and a reply that fails on demand (a provider
 * whose OpenAI-compatible server the run switches between failing and answering, e2e/flaky-provider.ts).
 */
import { addSeedChatbot, type SeedChatbotSpec } from '../scripts/lib/seed-chatbot.ts';
import { newId } from '../worker/ids.ts';
import { generateWidgetKey } from '../worker/security/api-keys.ts';
import { randomBytes, toBase64Url } from '../worker/security/encoding.ts';
import { SecretBox, secretContext } from '../worker/security/secrets.ts';
import type { DemoSeed } from '../worker/seed/demo.ts';

interface BotSpec {
  slug: string;
  name: string;
  providerId: string;
  model: string;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
  llm?: SeedChatbotSpec['llm'];
  draft?: boolean;
}

/** Adds one published chatbot with its provider credential and widget key; returns the widget key. */
async function addBot(
  rows: DemoSeed['rows'],
  spec: BotSpec,
  options: { box: SecretBox; teamId: string; now: number; origins: string[] },
): Promise<string> {
  const { box, teamId, now } = options;
  const { chatbotId } = await addSeedChatbot(
    rows,
    {
      providerId: spec.providerId,
      model: spec.model,
      settings: spec.settings,
      secrets: spec.secrets,
      credentialName: `${spec.name} (e2e)`,
      systemPrompt: 'You are an e2e test assistant.',
      chatbot: { slug: spec.slug, name: spec.name, description: 'Added by the widget e2e run.' },
      versionNote: 'e2e',
      ...(spec.llm && { llm: spec.llm }),
      ...(spec.draft && { draft: true }),
    },
    { box, teamId, now },
  );
  const widgetId = newId('wgt', now);
  const key = generateWidgetKey();
  rows.widgetKeys.push({
    id: widgetId,
    teamId,
    chatbotId,
    key,
    allowedOrigins: options.origins,
    identitySecret: await box.seal(toBase64Url(randomBytes(32)), secretContext(teamId, 'widget', widgetId)),
    createdAt: now,
  });
  return key;
}

/** Offline replies paced at this many ms per token: a ~60-token reply takes ~15 s, ample time to press Stop. */
export const SLOW_DELAY_MS = 250;

export async function addE2eChatbots(
  rows: DemoSeed['rows'],
  options: { encryptionKey: string; teamId: string; origins: string[]; flakyBaseUrl: string },
): Promise<{ slowKey: string; flakyKey: string; toolsKey: string }> {
  const common = {
    box: await SecretBox.fromBase64Url(options.encryptionKey),
    teamId: options.teamId,
    now: Date.now(),
    origins: options.origins,
  };
  const slowKey = await addBot(
    rows,
    {
      slug: 'slow',
      name: 'Slow assistant',
      providerId: 'offline',
      model: 'offline-echo',
      settings: { delayMs: SLOW_DELAY_MS },
      secrets: {},
    },
    common,
  );
  const flakyKey = await addBot(
    rows,
    {
      slug: 'flaky',
      name: 'Flaky assistant',
      providerId: 'openai',
      // The fake's echo model (plugins/providers/openai/fake/server.ts); no SDK retries, so a failure ends the turn at once.
      model: 'fake-echo',
      settings: { baseUrl: options.flakyBaseUrl, maxRetries: 0 },
      secrets: { apiKey: 'test-key' },
    },
    common,
  );
  // The fake's tool model calls current_time with the user's text as the time zone; each call needs approval
  // (docs/tools.md#approval), so the widget and the test chat show Approve / Deny (e2e/tool-approval.e2e.ts).
  const toolsKey = await addBot(
    rows,
    {
      slug: 'tools',
      name: 'Clock assistant',
      providerId: 'openai',
      model: 'fake-tool',
      settings: { baseUrl: options.flakyBaseUrl, maxRetries: 0 },
      secrets: { apiKey: 'test-key' },
      llm: { tools: ['clock'], maxToolSteps: 2, approval: { functions: ['current_time'], otherwise: 'deny' } },
      draft: true,
    },
    common,
  );
  return { slowKey, flakyKey, toolsKey };
}
