import { providers } from '../../plugins/registry.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type * as schema from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import { generateApiKey, generateWidgetKey } from '../security/api-keys.ts';
import { randomBytes, toBase64Url } from '../security/encoding.ts';
import { hashPassword } from '../security/passwords.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';

/** LLM keys the seed looks for, in order of preference; the first one set configures the demo chatbot. */
export const providerKeyNames = [
  ['openai', 'OPENAI_API_KEY'],
  ['anthropic', 'ANTHROPIC_API_KEY'],
  ['gemini', 'GEMINI_API_KEY'],
] as const;

export interface DemoSeedOptions {
  encryptionKey: string;
  /** Environment-style variables (e.g. from .dev.vars); only the provider keys above are read. */
  variables: Record<string, string | undefined>;
  ownerEmail?: string;
  teamSlug?: string;
  now?: number;
}

export interface DemoSeed {
  rows: {
    teams: (typeof schema.teams.$inferInsert)[];
    users: (typeof schema.users.$inferInsert)[];
    memberships: (typeof schema.memberships.$inferInsert)[];
    apiKeys: (typeof schema.apiKeys.$inferInsert)[];
    /** Plugin configurations of kind `provider` (worker/plugin-configs). */
    providerCredentials: (typeof schema.pluginConfigs.$inferInsert)[];
    chatbots: (typeof schema.chatbots.$inferInsert)[];
    chatbotVersions: (typeof schema.chatbotVersions.$inferInsert)[];
    widgetKeys: (typeof schema.widgetKeys.$inferInsert)[];
  };
  /** What `.dev/seed.json` holds: enough for scripts and tests to sign in and chat. */
  summary: {
    teamId: string;
    chatbotId: string;
    chatbotSlug: string;
    apiKey: string;
    widgetKey: string;
    ownerEmail: string;
    ownerPassword: string;
    providerId: string;
    model: string;
  };
}

const DEMO_PROMPT =
  'You are the demo assistant of Parley, an open-source chatbot platform. Answer briefly and helpfully. ' +
  'If you do not know something, say so.';

/** The demo: one team, its owner, an all-scopes API key, a published chatbot and a widget key for it. */
export async function buildDemoSeed(options: DemoSeedOptions): Promise<DemoSeed> {
  const now = options.now ?? Date.now();
  const box = await SecretBox.fromBase64Url(options.encryptionKey);
  const teamId = newId('team', now);
  const userId = newId('user', now);
  const chatbotId = newId('bot', now);
  const versionId = newId('ver', now);
  const ownerEmail = options.ownerEmail ?? 'owner@parley.local';
  const ownerPassword = `parley-${toBase64Url(randomBytes(9))}`;
  const apiKey = await generateApiKey();
  const widgetKey = generateWidgetKey();

  const configured = providerKeyNames.find(([id, name]) => options.variables[name] && providers.has(id));
  const providerCredentials: DemoSeed['rows']['providerCredentials'] = [];
  let llm = {
    providerId: 'offline',
    credentialId: null as string | null,
    model: providers.get('offline')?.defaultModel ?? 'offline-echo',
  };
  if (configured) {
    const [providerId, variable] = configured;
    const credentialId = newId('cred', now);
    const secrets = await box.sealJson(
      { apiKey: options.variables[variable] },
      secretContext(teamId, 'provider', credentialId),
    );
    providerCredentials.push({
      id: credentialId,
      teamId,
      kind: 'provider',
      pluginId: providerId,
      name: `${providerId} (from .dev.vars)`,
      uniqueKey: `${providerId} (from .dev.vars)`,
      settings: {},
      secrets,
      createdAt: now,
      updatedAt: now,
    });
    llm = { providerId, credentialId, model: providers.get(providerId)?.defaultModel ?? '' };
  }
  const definition = simpleDefinition(
    { ...llm, systemPrompt: DEMO_PROMPT, parameters: {}, tools: [], maxToolSteps: 4 },
    {
      welcomeMessage: 'Hi! I am the Parley demo assistant. Ask me anything.',
      starterQuestions: ['What is Parley?', 'How do I connect a real model?'],
    },
  );
  const widgetId = newId('wgt', now);
  return {
    rows: {
      teams: [{ id: teamId, slug: options.teamSlug ?? 'demo', name: 'Demo team', createdAt: now }],
      users: [
        {
          id: userId,
          email: ownerEmail,
          name: 'Demo owner',
          passwordHash: await hashPassword(ownerPassword),
          createdAt: now,
        },
      ],
      memberships: [{ teamId, userId, role: 'owner', createdAt: now }],
      apiKeys: [
        {
          id: newId('key', now),
          teamId,
          name: 'Demo key',
          prefix: apiKey.prefix,
          keyHash: apiKey.hash,
          scopes: ['admin'],
          createdBy: userId,
          createdAt: now,
        },
      ],
      providerCredentials,
      chatbots: [
        {
          id: chatbotId,
          teamId,
          slug: 'demo',
          name: 'Demo assistant',
          description: 'The chatbot every fresh Parley starts with.',
          publishedVersionId: versionId,
          createdAt: now,
          updatedAt: now,
        },
      ],
      chatbotVersions: [
        {
          id: newId('ver', now),
          teamId,
          chatbotId,
          number: 0,
          status: 'draft',
          note: '',
          definition,
          createdBy: userId,
          createdAt: now,
        },
        {
          id: versionId,
          teamId,
          chatbotId,
          number: 1,
          status: 'published',
          note: 'Initial version',
          definition,
          createdBy: userId,
          createdAt: now,
        },
      ],
      widgetKeys: [
        {
          id: widgetId,
          teamId,
          chatbotId,
          key: widgetKey,
          // Local development only: any port, so a site under test on its own dev server can embed the demo too.
          allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
          identitySecret: await box.seal(toBase64Url(randomBytes(32)), secretContext(teamId, 'widget', widgetId)),
          createdAt: now,
        },
      ],
    },
    summary: {
      teamId,
      chatbotId,
      chatbotSlug: 'demo',
      apiKey: apiKey.key,
      widgetKey,
      ownerEmail,
      ownerPassword,
      providerId: llm.providerId,
      model: llm.model,
    },
  };
}
