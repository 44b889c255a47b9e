import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';
import { markTeamDeleted } from './mark.ts';
import { deleteTeamStep } from './steps.ts';

/** An input bound, far above any team name (the dashboard and sign-up keep them short). */
const MAX_TEAM_NAME = 200;

export const teamDeletionRoutes = createRouter().openapi(
  createRoute({
    method: 'delete',
    path: '/api/v1/team',
    tags: ['Team'],
    summary: 'Delete the team and everything it owns (its owner, signed in; the team’s name typed to confirm)',
    description:
      'At once: every API key and widget key of the team is revoked, its channels are disabled and its members ' +
      'removed, so nothing reaches the team any more. Then its conversations, analytics, files, knowledge, archive ' +
      'and configuration are deleted in bounded steps, continued every minute by the Cron Trigger until nothing is ' +
      'left. Only a signed-in owner may do it; API keys cannot. Not undoable.',
    middleware: [requireApiKey('admin', 'team.delete')] as const,
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({
              confirm: z
                .string()
                .max(MAX_TEAM_NAME)
                .openapi({ description: 'The team’s name, exactly as shown', example: 'Acme Support' }),
            }),
          },
        },
      },
    },
    responses: { 204: { description: 'The team is deleted; its data follows within minutes' }, ...errorResponses },
  }),
  async (c) => {
    const { teamId, actor } = c.var.auth;
    // An API key is the team's, not a person's: deleting the team is its owner's decision, in the dashboard.
    if (actor.type !== 'user') {
      throw new ApiError(403, 'forbidden', 'Only a signed-in owner can delete the team; API keys cannot');
    }
    const team = await c.env.DB.prepare('SELECT name FROM teams WHERE id = ?1 AND deleted_at IS NULL')
      .bind(teamId)
      .first<{ name: string }>();
    if (!team) throw new ApiError(404, 'not_found', 'Team not found');
    const { confirm } = c.req.valid('json');
    if (confirm !== team.name) {
      throw new ApiError(400, 'confirmation_mismatch', 'Type the team’s name exactly to confirm', {
        field: 'confirm',
      });
    }
    await markTeamDeleted(c.env, teamId, Date.now());
    // A first step right away (a small team is gone before the next minute); the Cron Trigger finishes the rest.
    c.executionCtx.waitUntil(
      deleteTeamStep(c.env, teamId).catch((error) =>
        console.error(
          JSON.stringify({ level: 'error', event: 'team.delete_step_failed', teamId, error: String(error) }),
        ),
      ),
    );
    return c.body(null, 204);
  },
);
