import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { ConversationPage, listConversations } from '../conversations/list.ts';
import { database } from '../db/client.ts';
import { participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { notFound } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { upsertParticipant } from './upsert.ts';

type ParticipantRow = typeof participants.$inferSelect;

const platform = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, - and _, at most 32')
  .openapi({ example: 'api' });

const ParticipantSummary = z
  .object({
    id: z.string(),
    platform: z.string(),
    externalId: z.string(),
    name: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ParticipantSummary');

export type ParticipantSummary = z.infer<typeof ParticipantSummary>;

const Participant = ParticipantSummary.extend({ data: z.record(z.string(), z.unknown()) }).openapi('Participant');

export type Participant = z.infer<typeof Participant>;

const UpsertParticipant = z
  .object({
    name: humanText().max(200).nullable().optional().describe('null clears the name'),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Merged shallowly into the stored data: each key sent replaces its value, a null value removes the key',
      ),
  })
  .openapi('UpsertParticipant');

const summary = (row: ParticipantRow) => ({
  id: row.id,
  platform: row.platform,
  externalId: row.externalId,
  name: row.name,
  createdAt: iso(row.createdAt) as string,
  updatedAt: iso(row.updatedAt) as string,
});

const present = (row: ParticipantRow) => ({ ...summary(row), data: row.data });

const byId = z.object({ id: idParam('id', 'ptc_…') });
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

async function loadParticipant(db: ReturnType<typeof database>, teamId: string, id: string) {
  const row = await db.query.participants.findFirst({
    where: and(eq(participants.id, id), eq(participants.teamId, teamId)),
  });
  if (!row) throw notFound('Participant');
  return row;
}

export const participantsRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/participants/{platform}/{externalId}',
      tags: ['Participants'],
      summary: 'Create or update a participant by its platform identity',
      description: `\`data\` is merged shallowly into the stored object (a \`null\` value removes its key) and must stay
within 16 KB as JSON. Answers 201 when the participant is new, 200 when it existed.

\`data\` is the participant's team-wide profile, shared by every chatbot. What each chatbot's pipeline stores about
the participant is separate: see GET /api/v1/participants/{id}/data (per chatbot, encrypted, up to 256 KB each).`,
      middleware: [requireApiKey('chat')] as const,
      request: {
        params: z.object({
          platform: platform.openapi({ param: { name: 'platform', in: 'path' } }),
          externalId: z
            .string()
            .min(1)
            .max(200)
            .openapi({ param: { name: 'externalId', in: 'path' }, example: 'user-42' }),
        }),
        body: { required: true, content: { 'application/json': { schema: UpsertParticipant } } },
      },
      responses: {
        200: json('Updated', Participant),
        201: json('Created', Participant),
        ...errorResponses,
        409: json(
          'Updated concurrently by many requests; retry',
          errorResponses[400].content['application/json'].schema,
        ),
      },
    }),
    async (c) => {
      const { platform, externalId } = c.req.valid('param');
      const { row, created } = await upsertParticipant(
        database(c.env.DB),
        { teamId: c.var.auth.teamId, platform, externalId },
        c.req.valid('json'),
      );
      return created ? c.json(present(row), 201) : c.json(present(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants',
      tags: ['Participants'],
      summary: 'List participants, newest first (without their data)',
      middleware: [requireApiKey('read')] as const,
      request: { query: cursorQuery.extend({ platform: platform.optional() }) },
      responses: {
        200: json(
          'A page of participants',
          z.object({ data: z.array(ParticipantSummary), nextCursor: z.string().nullable() }),
        ),
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(participants)
        .where(
          and(
            eq(participants.teamId, c.var.auth.teamId),
            query.platform === undefined ? undefined : eq(participants.platform, query.platform),
            afterCursor(query.cursor, participants.createdAt, participants.id),
          ),
        )
        .orderBy(desc(participants.createdAt), desc(participants.id))
        .limit(query.limit + 1);
      const result = page(rows, query.limit);
      return c.json({ data: result.data.map(summary), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}',
      tags: ['Participants'],
      summary: 'Get a participant with its data',
      middleware: [requireApiKey('read')] as const,
      request: { params: byId },
      responses: { 200: json('The participant', Participant), ...errorResponses },
    }),
    async (c) =>
      c.json(present(await loadParticipant(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}/conversations',
      tags: ['Participants'],
      summary: "A participant's conversations, newest first",
      middleware: [requireApiKey('read')] as const,
      request: { params: byId, query: cursorQuery },
      responses: { 200: json('A page of conversations', ConversationPage), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const participant = await loadParticipant(db, teamId, c.req.valid('param').id);
      return c.json(
        // One person's drill-down shows every conversation, empty ones too (only team-wide lists hide them).
        await listConversations(teamDatabase(c.env, teamId), teamId, {
          ...c.req.valid('query'),
          participantId: participant.id,
          includeEmpty: 'true',
        }),
        200,
      );
    },
  );
