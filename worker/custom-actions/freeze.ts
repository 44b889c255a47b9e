import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import type { FrozenActions } from './frozen-types.ts';
import { actionsByIds, selectedOperations } from './store.ts';

const PREFIX = 'action:';
const ACTION_ID = /^action:(act_[a-z0-9]{26})(?:\/[A-Za-z0-9_-]{1,64})?$/;

/**
 * The custom actions a definition names, wherever it names them (an LLM node's `tools`, a pipeline node's
 * settings, a tool node): every string that is a tool id `action:<id>` or `action:<id>/<tool>`. Walking the JSON
 * keeps this independent of the node kinds; a string that merely looks like one freezes an action the team owns
 * and nothing more.
 */
export function actionIdsIn(definition: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 20) return;
    if (typeof value === 'string') {
      if (value.startsWith(PREFIX)) {
        const id = ACTION_ID.exec(value)?.[1];
        if (id) ids.add(id);
      }
    } else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(definition, 0);
  return [...ids];
}

/**
 * What publishing `definition` freezes into the version: each named action's selected operations and base URL as
 * they stand now (the team's own actions only; definition checks have already refused unknown ones).
 */
export async function freezeActions(db: Database, teamId: string, definition: unknown): Promise<FrozenActions> {
  const rows = await actionsByIds(db, teamId, actionIdsIn(definition));
  return Object.fromEntries(
    rows.map((row) => [
      row.id,
      { name: row.name, title: row.title, baseUrl: row.baseUrl, operations: selectedOperations(row) },
    ]),
  );
}

/** A version's frozen actions (`{}` for a draft or a version of another team). */
export async function frozenActionsOf(db: Database, teamId: string, versionId: string): Promise<FrozenActions> {
  const row = await db.query.chatbotVersions.findFirst({
    columns: { actions: true, status: true },
    where: and(eq(chatbotVersions.id, versionId), eq(chatbotVersions.teamId, teamId)),
  });
  return row?.status === 'published' ? row.actions : {};
}
