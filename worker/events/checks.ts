import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { chatbots, pluginConfigs } from '../db/schema/index.ts';
import type { EventsSection } from './schemas.ts';

/** One problem with a definition's `events`, at `parts` under the definition (formatted by the caller). */
export interface EventIssue {
  parts: (string | number)[];
  code: 'duplicate_id' | 'unknown_reference';
  message: string;
}

/**
 * What the schema cannot know about a definition's triggers: ids unique, and the team owning what actions name (a
 * chatbot to start, a plugin configuration holding a webhook's signing secret). One D1 query per kind of reference,
 * scoped by the team, so another team's id reads exactly like a missing one.
 */
export async function eventIssues(db: Database, teamId: string, events: EventsSection | undefined) {
  if (!events) return [];
  const issues: EventIssue[] = [];
  const seen = new Set<string>();
  events.triggers.forEach((trigger, index) => {
    if (seen.has(trigger.id))
      issues.push({
        parts: ['events', 'triggers', index, 'id'],
        code: 'duplicate_id',
        message: 'trigger ids must be unique',
      });
    seen.add(trigger.id);
  });
  const actions = events.triggers.flatMap((trigger, t) => trigger.actions.map((action, a) => ({ action, t, a })));
  const botIds = actions.flatMap(({ action }) => (action.type === 'start_pipeline' ? [action.chatbotId] : []));
  const configIds = actions.flatMap(({ action }) =>
    action.type === 'webhook' && action.secretCredentialId ? [action.secretCredentialId] : [],
  );
  const [bots, configs] = await Promise.all([
    botIds.length
      ? db
          .select({ id: chatbots.id })
          .from(chatbots)
          .where(and(eq(chatbots.teamId, teamId), inArray(chatbots.id, botIds)))
      : [],
    configIds.length
      ? db
          .select({ id: pluginConfigs.id })
          .from(pluginConfigs)
          .where(and(eq(pluginConfigs.teamId, teamId), inArray(pluginConfigs.id, configIds)))
      : [],
  ]);
  const knownBots = new Set(bots.map((row) => row.id));
  const knownConfigs = new Set(configs.map((row) => row.id));
  for (const { action, t, a } of actions) {
    const at = ['events', 'triggers', t, 'actions', a];
    if (action.type === 'start_pipeline' && !knownBots.has(action.chatbotId))
      issues.push({
        parts: [...at, 'chatbotId'],
        code: 'unknown_reference',
        message: 'no chatbot of this team with this id',
      });
    if (action.type === 'webhook' && action.secretCredentialId && !knownConfigs.has(action.secretCredentialId))
      issues.push({
        parts: [...at, 'secretCredentialId'],
        code: 'unknown_reference',
        message: 'no plugin configuration of this team with this id',
      });
  }
  return issues;
}
