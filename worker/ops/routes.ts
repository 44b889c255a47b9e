import { createRoute, z } from '@hono/zod-openapi';
import { asc, gt } from 'drizzle-orm';
import { blankMessageBodies } from '../archive/body-blanking.ts';
import { database } from '../db/client.ts';
import { teams } from '../db/schema/index.ts';
import { type DataPlaneTable, type MoveCursor, moveTeamToShard } from '../db/shard-move.ts';
import { shardRouter, shardSlot } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses, iso } from '../http/schemas.ts';
import {
  BlankStepSchema,
  blankBody,
  LegacyDropSchema,
  MOVE_CURSOR,
  MoveStepSchema,
  moveBody,
  OpsTeamSchema,
  opsSecurity,
  teamIdParam,
} from './api-schemas.ts';
import { requireOpsToken } from './auth.ts';
import { dropLegacyRows } from './legacy-rows.ts';

const TAGS = ['Operations'];

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The last id of the previous page. */
  cursor: z.string().max(100).optional().openapi({ description: 'The previous page’s `nextCursor`' }),
});

const encodeCursor = (cursor: MoveCursor | null) => (cursor ? `${cursor.table}:${cursor.afterRowid}` : null);

function decodeCursor(text: string | null): MoveCursor | null {
  const match = text === null ? null : MOVE_CURSOR.exec(text);
  return match ? { table: match[1] as DataPlaneTable, afterRowid: Number(match[2]) } : null;
}

async function liveTeam(db: D1Database, teamId: string): Promise<void> {
  const row = await db
    .prepare('SELECT deleted_at FROM teams WHERE id = ?1')
    .bind(teamId)
    .first<{ deleted_at: number | null }>();
  if (!row) throw notFound('Team');
  if (row.deleted_at !== null) throw new ApiError(409, 'team_deleted', 'The team is being deleted');
}

/**
 * The operator API (docs/scaling.md "Adding shards"): what a deployment's operator does, not a team — listing teams
 * with their shard, moving a team's data plane to its shard a bounded step per call, and then deleting the rows the
 * move left in `DB`. Behind the OPS_TOKEN secret (worker/ops/auth.ts); `npm run ops` (scripts/ops.ts) drives it.
 */
export const opsRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ops/teams',
      tags: TAGS,
      summary: 'Every team with its shard slot and binding, by id, a page at a time',
      security: opsSecurity,
      middleware: [requireOpsToken()] as const,
      request: { query: listQuery },
      responses: {
        200: {
          description: 'A page of teams',
          content: {
            'application/json': {
              schema: z.object({ data: z.array(OpsTeamSchema), nextCursor: z.string().nullable() }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(teams)
        .where(cursor ? gt(teams.id, cursor) : undefined)
        .orderBy(asc(teams.id))
        .limit(limit + 1);
      const router = shardRouter(c.env);
      const data = rows.slice(0, limit).map((row) => ({
        id: row.id,
        slug: row.slug,
        name: row.name,
        createdAt: iso(row.createdAt) ?? '',
        deletedAt: iso(row.deletedAt),
        slot: shardSlot(row.id),
        shard: router.shardName(row.id),
      }));
      return c.json({ data, nextCursor: rows.length > limit ? (data.at(-1)?.id ?? null) : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/ops/teams/{teamId}/move',
      tags: TAGS,
      summary: 'One bounded step of moving a team’s data plane from DB to its shard; repeat with `next` until done',
      description:
        'Copies up to `budgetRows` rows (insert-or-ignore: rows the consumer already wrote to the shard win), then ' +
        'counts both sides. `verified` is true when the shard holds at least every row DB holds. Idempotent.',
      security: opsSecurity,
      middleware: [requireOpsToken()] as const,
      request: {
        params: teamIdParam,
        body: { content: { 'application/json': { schema: moveBody } }, required: false },
      },
      responses: {
        200: { description: 'Progress', content: { 'application/json': { schema: MoveStepSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      const body = c.req.valid('json') ?? moveBody.parse({});
      await liveTeam(c.env.DB, teamId);
      const move = await moveTeamToShard(c.env, teamId, body.budgetRows, decodeCursor(body.cursor));
      console.log(JSON.stringify({ event: 'ops.move_step', teamId, done: move.done, verified: move.verified }));
      return c.json({ ...move, next: encodeCursor(move.next) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/ops/teams/{teamId}/legacy-rows/delete',
      tags: TAGS,
      summary:
        'After a verified move, delete a bounded step of the team’s data-plane rows left in DB; repeat until done',
      description:
        'Counts again first and answers 409 unless the move is verified, or when no shard is bound (DB then holds ' +
        'the live rows).',
      security: opsSecurity,
      middleware: [requireOpsToken()] as const,
      request: { params: teamIdParam },
      responses: {
        200: { description: 'Progress', content: { 'application/json': { schema: LegacyDropSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      await liveTeam(c.env.DB, teamId);
      const drop = await dropLegacyRows(c.env, teamId);
      console.log(JSON.stringify({ event: 'ops.legacy_rows_deleted', teamId, done: drop.done, deleted: drop.deleted }));
      return c.json(drop, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/ops/teams/{teamId}/bodies/blank',
      tags: TAGS,
      summary: 'Archive and blank a bounded step of the team’s message bodies written before migration 0016',
      description:
        'Rows still holding a body are written to the R2 archive as the consumer would have, then their D1 copy keeps ' +
        'only what lists and filters need (docs/scaling.md "Message bodies"). Idempotent: repeat until `done`.',
      security: opsSecurity,
      middleware: [requireOpsToken()] as const,
      request: {
        params: teamIdParam,
        body: { content: { 'application/json': { schema: blankBody } }, required: false },
      },
      responses: {
        200: { description: 'Progress', content: { 'application/json': { schema: BlankStepSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      const body = c.req.valid('json') ?? blankBody.parse({});
      await liveTeam(c.env.DB, teamId);
      const step = await blankMessageBodies(c.env, teamId, body.budgetRows);
      console.log(JSON.stringify({ event: 'ops.bodies_blanked', teamId, blanked: step.blanked, done: step.done }));
      return c.json(step, 200);
    },
  );
