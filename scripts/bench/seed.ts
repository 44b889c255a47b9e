/**
 * The benchmark's D1 seed: the demo seed (team, owner, admin API key, demo chatbot) plus a provider credential for
 * the offline provider with `delayMs: 0` and a published chatbot whose llm node uses it. Rendered to SQL by the same
 * `seedSql` that `npm start` uses, for `wrangler d1 execute --local --file`.
 */
import { OFFLINE_MODEL } from '../../plugins/providers/offline/index.ts';
import { SecretBox } from '../../worker/security/secrets.ts';
import { buildDemoSeed, type DemoSeed } from '../../worker/seed/demo.ts';
import { addSeedChatbot } from '../lib/seed-chatbot.ts';
import { seedSql } from '../lib/seed-sql.ts';
import { addPipelineChatbot } from './pipeline.ts';

export interface BenchSeed {
  sql: string;
  apiKey: string;
  teamId: string;
  chatbotId: string;
  credentialId: string;
  /** The same model behind start → static_router → template → llm → end (pipeline.ts). */
  pipelineChatbotId: string;
}

/** Adds the zero-latency offline chatbot to a demo seed's rows, in the shape buildDemoSeed gives them. */
export async function addBenchChatbot(
  rows: DemoSeed['rows'],
  options: { encryptionKey: string; teamId: string; now: number },
): Promise<{ chatbotId: string; credentialId: string }> {
  return addSeedChatbot(
    rows,
    {
      providerId: 'offline',
      settings: { delayMs: 0 },
      secrets: {},
      credentialName: 'Offline, no delay (benchmark)',
      systemPrompt: 'You are a benchmark assistant. Answer briefly.',
      chatbot: {
        slug: 'bench',
        name: 'Benchmark (offline, no delay)',
        description: 'Zero-latency offline provider for npm run bench.',
      },
      versionNote: 'Benchmark',
    },
    { box: await SecretBox.fromBase64Url(options.encryptionKey), teamId: options.teamId, now: options.now },
  );
}

export async function buildBenchSeed(encryptionKey: string): Promise<BenchSeed> {
  const now = Date.now();
  const demo = await buildDemoSeed({
    encryptionKey,
    // No LLM keys: the demo chatbot stays offline and nothing from the developer's environment is stored.
    variables: {},
    teamSlug: 'bench',
    ownerEmail: 'bench@parley.local',
    now,
  });
  const { teamId, apiKey } = demo.summary;
  const { chatbotId, credentialId } = await addBenchChatbot(demo.rows, { encryptionKey, teamId, now });
  const pipelineChatbotId = addPipelineChatbot(demo.rows, { teamId, credentialId, model: OFFLINE_MODEL, now });
  return { sql: seedSql(demo.rows), apiKey, teamId, chatbotId, credentialId, pipelineChatbotId };
}
