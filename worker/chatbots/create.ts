import { and, eq, like, or } from 'drizzle-orm';
import { providers } from '../../plugins/registry.ts';
import type { Database } from '../db/client.ts';
import { chatbots, chatbotVersions } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { type ChatbotDefinition, simpleDefinition } from './definition.ts';
import { firstFreeSlug, slugify } from './slug.ts';
import { type ChatbotRow, isSlugConflict, presentChatbot, slugTaken, type VersionRow } from './store.ts';

export interface NewChatbot {
  name: string;
  slug?: string;
  description?: string;
  definition?: AnyDefinition;
}

/** What a chatbot created without a definition does: answer through the offline provider, no key needed. */
export function defaultDefinition(): ChatbotDefinition {
  return simpleDefinition({
    providerId: 'offline',
    credentialId: null,
    model: providers.get('offline')?.defaultModel ?? 'offline-echo',
    systemPrompt: '',
    parameters: {},
    tools: [],
    maxToolSteps: 4,
  });
}

// A generated slug can lose a race with a concurrent create of the same name; the unique index catches that.
const GENERATED_SLUG_ATTEMPTS = 3;

/** Inserts the chatbot and its draft (version 0) in one atomic D1 batch. */
export async function createChatbot(db: Database, teamId: string, input: NewChatbot) {
  for (let attempt = 1; ; attempt++) {
    const slug = input.slug ?? (await generatedSlug(db, teamId, input.name));
    const now = Date.now();
    const chatbot: ChatbotRow = {
      id: newId('bot', now),
      teamId,
      slug,
      name: input.name,
      description: input.description ?? '',
      publishedVersionId: null,
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const draft: VersionRow = {
      id: newId('ver', now),
      teamId,
      chatbotId: chatbot.id,
      number: 0,
      status: 'draft',
      note: '',
      // The column is typed v1 until drafts accept schemaVersion 2; the stored JSON is either.
      definition: (input.definition ?? defaultDefinition()) as ChatbotDefinition,
      createdBy: null,
      createdAt: now,
      // Drafts pin no knowledge: they search each collection's latest revision.
      knowledge: {},
      actions: {},
    };
    try {
      await db.batch([db.insert(chatbots).values(chatbot), db.insert(chatbotVersions).values(draft)]);
      return presentChatbot(chatbot, draft, null);
    } catch (error) {
      if (!isSlugConflict(error)) throw error;
      if (input.slug !== undefined) throw slugTaken(slug, 'body.slug');
      if (attempt >= GENERATED_SLUG_ATTEMPTS) throw error;
    }
  }
}

async function generatedSlug(db: Database, teamId: string, name: string): Promise<string> {
  const base = slugify(name);
  const rows = await db
    .select({ slug: chatbots.slug })
    .from(chatbots)
    .where(
      and(eq(chatbots.teamId, teamId), or(eq(chatbots.slug, base), like(chatbots.slug, `${base.slice(0, 50)}%-%`))),
    );
  return firstFreeSlug(base, new Set(rows.map((row) => row.slug)));
}
