import { forgetTeamApiKeys } from '../auth/api-key-cache.ts';
import { forgetTeamChatbots } from '../chatbots/start-cache.ts';
import type { Env } from '../env.ts';

/**
 * The first, synchronous half of deleting a team: one D1 batch (atomic) that marks the team deleted and, in the same
 * transaction, switches off every way in — API keys and widget keys revoked (a widget token is refused on its next
 * request: worker/widget/auth.ts reads its key), channels disabled (webhooks are acknowledged and dropped), invitations
 * and memberships deleted (no session acts on the team any more). Everything else is deleted afterwards in bounded
 * steps (steps.ts). Marking an already marked team changes nothing and keeps the first time.
 */
export async function markTeamDeleted(env: Pick<Env, 'DB'>, teamId: string, now: number): Promise<void> {
  const db = env.DB;
  await db.batch([
    db.prepare('UPDATE teams SET deleted_at = ?1 WHERE id = ?2 AND deleted_at IS NULL').bind(now, teamId),
    db.prepare('UPDATE api_keys SET revoked_at = ?1 WHERE team_id = ?2 AND revoked_at IS NULL').bind(now, teamId),
    db.prepare('UPDATE widget_keys SET revoked_at = ?1 WHERE team_id = ?2 AND revoked_at IS NULL').bind(now, teamId),
    db.prepare('UPDATE channels SET enabled = 0, updated_at = ?1 WHERE team_id = ?2').bind(now, teamId),
    db.prepare('DELETE FROM invitations WHERE team_id = ?1').bind(teamId),
    db.prepare('DELETE FROM memberships WHERE team_id = ?1').bind(teamId),
  ]);
  // This isolate trusts keys and chatbots it verified for up to 60 s / 10 s (docs/scaling.md "Control-plane reads"):
  // forget the team's at once here; other isolates refuse them within those TTLs.
  forgetTeamApiKeys(teamId);
  forgetTeamChatbots(teamId);
}
