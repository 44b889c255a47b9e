import { z } from '@hono/zod-openapi';
import { DATA_PLANE_TABLES } from '../db/shard-move.ts';
import { OPS_SECURITY } from './auth.ts';

/** The operator token's security scheme, registered with the API docs (worker/api-docs/routes.ts). */
export const opsSecuritySchemes = {
  [OPS_SECURITY]: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The deployment’s OPS_TOKEN secret (`wrangler secret put OPS_TOKEN`), for operators only. Without it set, ' +
      'the operator routes answer 404.',
  },
} as const;

export const opsSecurity = [{ [OPS_SECURITY]: [] }];

export const teamIdParam = z.object({
  teamId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'teamId', in: 'path' }, example: 'team_01hzx3k9q0abcdefghjkmnpqrs' }),
});

export const OpsTeamSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    createdAt: z.string(),
    deletedAt: z.string().nullable(),
    slot: z.number().int().openapi({ description: 'FNV-1a(teamId) mod 16: fixed forever (docs/scaling.md)' }),
    shard: z.string().openapi({ description: 'The binding serving the slot (`DB` when no shard is bound)' }),
  })
  .openapi('OpsTeam');

/** A move cursor as the API carries it: `<table>:<rowid>` (worker/db/shard-move.ts MoveCursor). */
export const MOVE_CURSOR = new RegExp(`^(${DATA_PLANE_TABLES.join('|')}):(\\d{1,15})$`);

export const moveBody = z.object({
  budgetRows: z
    .number()
    .int()
    .min(1)
    // 2,000 rows are ≈ 350 insert statements (≤ 100 bound parameters each) and 12 counts: under D1's 1,000 queries
    // per invocation (developers.cloudflare.com/d1/platform/limits).
    .max(2_000)
    .default(1_000)
    .openapi({ description: 'Rows copied by this step at most' }),
  cursor: z
    .string()
    .regex(MOVE_CURSOR, 'a cursor from the previous step (`<table>:<rowid>`)')
    .nullable()
    .default(null)
    .openapi({ description: 'The previous step’s `next`; null starts at the beginning', example: null }),
});

const TableMoveSchema = z.object({ source: z.number().int(), target: z.number().int(), copied: z.number().int() });

export const MoveStepSchema = z
  .object({
    teamId: z.string(),
    shard: z.string(),
    done: z.boolean(),
    verified: z.boolean(),
    next: z.string().nullable().openapi({ description: 'Pass as `cursor` to the next step; null when copied' }),
    tables: z.record(z.string(), TableMoveSchema),
  })
  .openapi('OpsMoveStep');

export const LegacyDropSchema = z
  .object({
    teamId: z.string(),
    shard: z.string(),
    done: z.boolean(),
    deleted: z.record(z.string(), z.number().int()),
  })
  .openapi('OpsLegacyDrop');

export const blankBody = z.object({
  budgetRows: z
    .number()
    .int()
    .min(1)
    // 10 steps of BLANK_STEP_ROWS (200): ≈ 30 queries and one R2 put per UTC day per step, far under 1,000
    // subrequests per invocation (developers.cloudflare.com/workers/platform/limits), and ≤ 200 bodies in memory.
    .max(2_000)
    .default(1_000)
    .openapi({ description: 'Rows archived and blanked by this call at most' }),
});

export const BlankStepSchema = z
  .object({
    teamId: z.string(),
    blanked: z.number().int(),
    done: z.boolean().openapi({ description: 'No message row of the team holds a body any more' }),
  })
  .openapi('OpsBodiesBlankStep');
