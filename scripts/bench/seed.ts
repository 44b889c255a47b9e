/**
 * The benchmark's D1 seed: the demo seed (team, owner, admin API key, demo chatbot) plus a provider credential for
 * the offline provider with `delayMs: 0` and a published chatbot whose llm node uses it. Rendered to SQL by the same
 * `seedSql` that `npm start` uses, for `wrangler d1 execute --local --file`.
 */
import { providers } from '../../plugins/registry.ts';
import { simpleDefinition } from '../../worker/chatbots/definition.ts';
import { newId } from '../../worker/ids.ts';
import { SecretBox, secretContext } from '../../worker/security/secrets.ts';
import { buildDemoSeed, type DemoSeed } from '../../worker/seed/demo.ts';
import { seedSql } from '../lib/seed-sql.ts';

export interface BenchSeed {
  sql: string;
  apiKey: string;
  teamId: string;
  chatbotId: string;
  credentialId: string;
}

/** Adds the zero-latency offline chatbot to a demo seed's rows, in the shape buildDemoSeed gives them. */
export async function addBenchChatbot(
  rows: DemoSeed['rows'],
  options: { encryptionKey: string; teamId: string; now: number },
): Promise<{ chatbotId: string; credentialId: string }> {
  const { teamId, now } = options;
  const offline = providers.get('offline');
  if (!offline) throw new Error('the offline provider plugin is not installed');
  // Validated exactly as a turn reads it (provider-settings.ts): public settings and decrypted secrets merged.
  const settings = { delayMs: 0 };
  offline.settings.parse(settings);
  const credentialId = newId('cred', now);
  const box = await SecretBox.fromBase64Url(options.encryptionKey);
  rows.providerCredentials.push({
    id: credentialId,
    teamId,
    providerId: offline.id,
    name: 'Offline, no delay (benchmark)',
    settings,
    secrets: await box.sealJson({}, secretContext(teamId, 'provider', credentialId)),
    createdAt: now,
    updatedAt: now,
  });
  const chatbotId = newId('bot', now);
  const versionId = newId('ver', now);
  const createdBy = rows.users[0]?.id ?? null;
  const definition = simpleDefinition({
    providerId: offline.id,
    credentialId,
    model: offline.defaultModel,
    systemPrompt: 'You are a benchmark assistant. Answer briefly.',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
  });
  rows.chatbots.push({
    id: chatbotId,
    teamId,
    slug: 'bench',
    name: 'Benchmark (offline, no delay)',
    description: 'Zero-latency offline provider for npm run bench.',
    publishedVersionId: versionId,
    createdAt: now,
    updatedAt: now,
  });
  rows.chatbotVersions.push({
    id: versionId,
    teamId,
    chatbotId,
    number: 1,
    status: 'published',
    note: 'Benchmark',
    definition,
    createdBy,
    createdAt: now,
  });
  return { chatbotId, credentialId };
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
  return { sql: seedSql(demo.rows), apiKey, teamId, chatbotId, credentialId };
}
