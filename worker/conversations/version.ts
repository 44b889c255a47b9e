import { and, eq } from 'drizzle-orm';
import type { ApiKeyAuth } from '../auth/middleware.ts';
import { roleAllows, scopesAllow } from '../auth/permissions.ts';
import type { Database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import { ApiError, notFound } from '../http/errors.ts';

/**
 * The version a new conversation pins when the caller names one. Published versions are public to whoever may chat;
 * the draft (0) is work in progress, so talking to it needs the permission to edit chatbots — the dashboard's test
 * chat, or an admin API key.
 */
export async function pinnedVersionId(
  db: Database,
  auth: ApiKeyAuth,
  chatbotId: string,
  number: number,
): Promise<string> {
  if (number === 0) {
    const allowed =
      auth.actor.type === 'user'
        ? roleAllows(auth.actor.role, 'chatbots.write')
        : scopesAllow(auth.scopes, 'chatbots.write');
    if (!allowed) throw new ApiError(403, 'forbidden', 'Talking to the draft needs the permission to edit chatbots');
  }
  const version = await db.query.chatbotVersions.findFirst({
    where: and(eq(chatbotVersions.chatbotId, chatbotId), eq(chatbotVersions.number, number)),
    columns: { id: true },
  });
  if (!version) throw notFound('Version');
  return version.id;
}
