/**
 * Adds a published chatbot, backed by its own provider credential, to a demo seed's rows (the shape
 * `buildDemoSeed` gives them). Shared by the benchmark's seed (scripts/bench/seed.ts) and the e2e run's extra
 * chatbots (e2e/extra-bots.ts), which both extend the demo seed before it is rendered by `seedSql`.
 */
import { providers } from '../../plugins/registry.ts';
import { type LlmNode, simpleDefinition } from '../../worker/chatbots/definition.ts';
import { newId } from '../../worker/ids.ts';
import { type SecretBox, secretContext } from '../../worker/security/secrets.ts';
import type { DemoSeed } from '../../worker/seed/demo.ts';

export interface SeedChatbotSpec {
  providerId: string;
  /** Defaults to the provider's `defaultModel`. */
  model?: string;
  /** Public credential settings, stored as JSON. */
  settings: Record<string, unknown>;
  /** Secret credential settings, sealed with the team's context. */
  secrets: Record<string, unknown>;
  credentialName: string;
  systemPrompt: string;
  chatbot: { slug: string; name: string; description: string };
  /** The published version's note. */
  versionNote: string;
  /** LLM step fields beyond the defaults (tools, maxToolSteps, approval, …). */
  llm?: Partial<Omit<LlmNode, 'id' | 'type'>>;
  /** Also store the draft (version 0), as the dashboard creates it: the test chat talks to it. */
  draft?: boolean;
}

export interface SeedChatbotOptions {
  box: SecretBox;
  teamId: string;
  now: number;
}

/** Pushes the credential, the chatbot and its published version 1 onto `rows`; returns their ids. */
export async function addSeedChatbot(
  rows: DemoSeed['rows'],
  spec: SeedChatbotSpec,
  { box, teamId, now }: SeedChatbotOptions,
): Promise<{ chatbotId: string; credentialId: string }> {
  const provider = providers.get(spec.providerId);
  if (!provider) throw new Error(`the ${spec.providerId} provider plugin is not installed`);
  // Validated exactly as a turn reads it (worker/conversation/provider-settings.ts): settings and secrets merged.
  provider.settings.parse({ ...spec.settings, ...spec.secrets });
  const credentialId = newId('cred', now);
  rows.providerCredentials.push({
    id: credentialId,
    teamId,
    kind: 'provider',
    pluginId: provider.id,
    name: spec.credentialName,
    uniqueKey: spec.credentialName,
    settings: spec.settings,
    secrets: await box.sealJson(spec.secrets, secretContext(teamId, 'provider', credentialId)),
    createdAt: now,
    updatedAt: now,
  });
  const chatbotId = newId('bot', now);
  const versionId = newId('ver', now);
  const definition = simpleDefinition({
    providerId: provider.id,
    credentialId,
    model: spec.model ?? provider.defaultModel,
    systemPrompt: spec.systemPrompt,
    parameters: {},
    tools: [],
    maxToolSteps: 1,
    ...spec.llm,
  });
  rows.chatbots.push({
    id: chatbotId,
    teamId,
    ...spec.chatbot,
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
    note: spec.versionNote,
    definition,
    createdBy: rows.users[0]?.id ?? null,
    createdAt: now,
  });
  if (spec.draft) {
    rows.chatbotVersions.push({
      id: newId('ver', now),
      teamId,
      chatbotId,
      number: 0,
      status: 'draft',
      definition,
      createdBy: rows.users[0]?.id ?? null,
      createdAt: now,
    });
  }
  return { chatbotId, credentialId };
}
