import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { participants } from '../db/schema/index.ts';
import { ApiError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { mergeParticipantData } from './data.ts';

type ParticipantRow = typeof participants.$inferSelect;

export interface ParticipantIdentity {
  teamId: string;
  platform: string;
  externalId: string;
}

export interface ParticipantPatch {
  name?: string | null;
  data?: Record<string, unknown>;
}

// Contention on one participant is rare (a person's own requests); a few rounds settle it.
const MAX_ATTEMPTS = 5;

/**
 * Creates or updates a participant. D1 has no interactive transactions and the shallow merge is done here, so the
 * update is optimistic: it only applies if `updated_at` is still what was read, and otherwise reads again.
 */
export async function upsertParticipant(
  db: Database,
  identity: ParticipantIdentity,
  patch: ParticipantPatch,
): Promise<{ row: ParticipantRow; created: boolean }> {
  const where = and(
    eq(participants.teamId, identity.teamId),
    eq(participants.platform, identity.platform),
    eq(participants.externalId, identity.externalId),
  );
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = Date.now();
    const existing = await db.query.participants.findFirst({ where });
    if (!existing) {
      const [row] = await db
        .insert(participants)
        .values({
          id: newId('ptc', now),
          ...identity,
          name: patch.name ?? null,
          data: mergeParticipantData({}, patch.data ?? {}),
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (row) return { row, created: true };
      continue; // created concurrently: merge into that row
    }
    // Strictly later than the read row, so the guard below tells this write from any earlier one.
    const updatedAt = Math.max(now, existing.updatedAt + 1);
    const [row] = await db
      .update(participants)
      .set({
        updatedAt,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.data !== undefined && { data: mergeParticipantData(existing.data, patch.data) }),
      })
      .where(and(eq(participants.id, existing.id), eq(participants.updatedAt, existing.updatedAt)))
      .returning();
    if (row) return { row, created: false };
  }
  throw new ApiError(409, 'conflict', 'The participant is being updated concurrently; retry');
}
