import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { chatbots, participants, scheduledMessages } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam } from '../http/schemas.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import { scheduleStub } from './client.ts';
import { checkFirstDue } from './first-due.ts';
import {
  AttemptView,
  ChangeSchedule,
  CreateSchedule,
  presentAttempt,
  presentSchedule,
  ScheduleView,
} from './schemas.ts';
import type { ScheduleResult } from './types.ts';

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const participantParams = z.object({ id: idParam('id', 'ptc_…') });
const scheduleParams = participantParams.extend({ scheduleId: idParam('scheduleId', 'sch_…') });
const DOCS = `A scheduled message sends its prompt to the chatbot at each occurrence (one-off, or every N minutes, hours,
days, weeks or months, N times or until a date, in the schedule's time zone); the bot's reply reaches the participant
on their latest conversation with that chatbot (their messaging channel when they use one) or a new one. It never
fires inside a running reply, fires once per occurrence, and a failed attempt is retried twice with backoff (30 s,
2 min) before it is logged failed and the series moves on. At most 100 active or paused schedules per participant.`;

async function participantRef(env: Env, teamId: string, participantId: string): Promise<ParticipantRef> {
  const row = await database(env.DB).query.participants.findFirst({
    columns: { id: true },
    where: and(eq(participants.id, participantId), eq(participants.teamId, teamId)),
  });
  if (!row) throw notFound('Participant');
  return { teamId, participantId };
}

function answered(ref: ParticipantRef, result: ScheduleResult) {
  if (result.ok) return presentSchedule(ref.participantId, result.schedule);
  const { refusal } = result;
  if (refusal.code === 'not_found') throw notFound('Schedule');
  const status = refusal.code === 'limit_reached' ? 409 : 400;
  throw new ApiError(status, refusal.code === 'limit_reached' ? 'limit_reached' : 'invalid_request', refusal.message, [
    { field: `body.${refusal.field}`, message: refusal.message },
  ]);
}

const Page = z.object({ data: z.array(ScheduleView), nextCursor: z.string().nullable() });
const conflict = json(
  'Too many schedules, or the schedule is done or cancelled',
  errorResponses[400].content['application/json'].schema,
);

export const scheduleRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/participants/{id}/schedules',
      tags: ['Schedules'],
      summary: 'Schedule a message to a participant',
      description: DOCS,
      middleware: [requireApiKey('chat')] as const,
      request: {
        params: participantParams,
        body: { required: true, content: { 'application/json': { schema: CreateSchedule } } },
      },
      responses: { 201: json('Scheduled', ScheduleView), ...errorResponses, 409: conflict },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const body = c.req.valid('json');
      const ref = await participantRef(c.env, teamId, c.req.valid('param').id);
      const chatbot = await database(c.env.DB).query.chatbots.findFirst({
        columns: { id: true },
        where: and(eq(chatbots.id, body.chatbotId), eq(chatbots.teamId, teamId)),
      });
      if (!chatbot) throw notFound('Chatbot');
      const input = checkFirstDue(body, Date.now());
      const result = await scheduleStub(c.env, ref).createSchedule(ref, { ...input, origin: 'api' });
      return c.json(answered(ref, result), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}/schedules',
      tags: ['Schedules'],
      summary: "A participant's schedules, soonest first (from their own object)",
      middleware: [requireApiKey('read')] as const,
      request: { params: participantParams, query: z.object({ chatbotId: z.string().max(64).optional() }) },
      responses: { 200: json('Schedules', z.object({ data: z.array(ScheduleView) })), ...errorResponses },
    }),
    async (c) => {
      const ref = await participantRef(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const { chatbotId } = c.req.valid('query');
      const list = await scheduleStub(c.env, ref).listSchedules(ref, chatbotId ? { chatbotId } : {});
      return c.json({ data: list.map((schedule) => presentSchedule(ref.participantId, schedule)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/participants/{id}/schedules/{scheduleId}',
      tags: ['Schedules'],
      summary: 'Pause, resume, move or reword a schedule',
      middleware: [requireApiKey('chat')] as const,
      request: {
        params: scheduleParams,
        body: { required: true, content: { 'application/json': { schema: ChangeSchedule } } },
      },
      responses: { 200: json('Changed', ScheduleView), ...errorResponses },
    }),
    async (c) => {
      const params = c.req.valid('param');
      const body = c.req.valid('json');
      const ref = await participantRef(c.env, c.var.auth.teamId, params.id);
      // After the participant check, so another team's request learns nothing from a 400.
      if (Object.keys(body).length === 0) {
        throw new ApiError(400, 'invalid_request', 'Invalid body', [
          { field: 'body', message: 'give status, nextDueAt or prompt' },
        ]);
      }
      const change = {
        ...(body.status && { status: body.status }),
        ...(body.prompt && { prompt: body.prompt }),
        ...(body.nextDueAt && { nextDueAt: checkFirstDue({ at: body.nextDueAt }, Date.now(), 'nextDueAt').startAt }),
      };
      return c.json(answered(ref, await scheduleStub(c.env, ref).changeSchedule(ref, params.scheduleId, change)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/participants/{id}/schedules/{scheduleId}',
      tags: ['Schedules'],
      summary: 'Cancel a schedule (kept, with its attempts, as cancelled)',
      middleware: [requireApiKey('chat')] as const,
      request: { params: scheduleParams },
      responses: { 204: { description: 'Cancelled (GET shows it with status cancelled)' }, ...errorResponses },
    }),
    async (c) => {
      const params = c.req.valid('param');
      const ref = await participantRef(c.env, c.var.auth.teamId, params.id);
      // Every DELETE of the API answers 204 with no body (worker/http/allowed-methods.test.ts).
      answered(ref, await scheduleStub(c.env, ref).cancelSchedule(ref, params.scheduleId));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}/schedules/{scheduleId}/attempts',
      tags: ['Schedules'],
      summary: "A schedule's attempts, newest first (the last 100)",
      middleware: [requireApiKey('read')] as const,
      request: { params: scheduleParams },
      responses: { 200: json('Attempts', z.object({ data: z.array(AttemptView) })), ...errorResponses },
    }),
    async (c) => {
      const params = c.req.valid('param');
      const ref = await participantRef(c.env, c.var.auth.teamId, params.id);
      const attempts = await scheduleStub(c.env, ref).scheduleAttempts(ref, params.scheduleId);
      if (!attempts) throw notFound('Schedule');
      return c.json({ data: attempts.map(presentAttempt) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/schedules',
      tags: ['Schedules'],
      summary: "The team's schedules, newest first (from the D1 copy: may lag a change by seconds)",
      middleware: [requireApiKey('read')] as const,
      request: {
        query: cursorQuery.extend({
          chatbotId: z.string().max(64).optional(),
          status: z.enum(['active', 'paused', 'done', 'cancelled']).optional(),
        }),
      },
      responses: {
        200: json('A page of schedules', Page),
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(scheduledMessages)
        .where(
          and(
            eq(scheduledMessages.teamId, c.var.auth.teamId),
            query.chatbotId === undefined ? undefined : eq(scheduledMessages.chatbotId, query.chatbotId),
            query.status === undefined ? undefined : eq(scheduledMessages.status, query.status),
            afterCursor(query.cursor, scheduledMessages.createdAt, scheduledMessages.id),
          ),
        )
        .orderBy(desc(scheduledMessages.createdAt), desc(scheduledMessages.id))
        .limit(query.limit + 1);
      const result = page(rows, query.limit);
      const data = result.data.map((row) =>
        presentSchedule(row.participantId, {
          ...row,
          recurrence: row.recurrence === null ? null : JSON.parse(row.recurrence),
          status: row.status as 'active',
          lastOutcome: row.lastOutcome as 'ok' | null,
          origin: row.origin as 'api',
        }),
      );
      return c.json({ data, nextCursor: result.nextCursor }, 200);
    },
  );
