import { createRoute, type z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { chatbots, participants } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses, iso } from '../http/schemas.ts';
import { participantStub } from './client.ts';
import {
  ChatbotParticipantData,
  chatbotDataParams,
  DATA_DOCS,
  DataBody,
  ParticipantDataList,
  participantParams,
} from './schemas.ts';
import type { ChangeResult, ChatbotData, DataRefusal, ParticipantDataKey, ParticipantDataWrite } from './types.ts';

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = { required: true, content: { 'application/json': { schema: DataBody } } };

const present = (value: ChatbotData) => ({
  chatbotId: value.chatbotId,
  data: value.data,
  updatedAt: iso(value.updatedAt),
});

/** A participant of this team, or a 404 that says nothing about other teams' participants. */
async function checkParticipant(env: Env, teamId: string, participantId: string): Promise<void> {
  const row = await database(env.DB).query.participants.findFirst({
    columns: { id: true },
    where: and(eq(participants.id, participantId), eq(participants.teamId, teamId)),
  });
  if (!row) throw notFound('Participant');
}

/** The participant and the chatbot (by id, as pipelines store it), both of this team. */
async function dataKey(
  env: Env,
  teamId: string,
  params: { id: string; chatbotId: string },
): Promise<ParticipantDataKey> {
  const [, chatbot] = await Promise.all([
    checkParticipant(env, teamId, params.id),
    database(env.DB).query.chatbots.findFirst({
      columns: { id: true },
      where: and(eq(chatbots.id, params.chatbotId), eq(chatbots.teamId, teamId)),
    }),
  ]);
  if (!chatbot) throw notFound('Chatbot');
  return { teamId, participantId: params.id, chatbotId: params.chatbotId };
}

const refused = (refusal: DataRefusal) =>
  new ApiError(400, 'invalid_request', 'Invalid body', [{ field: 'body', message: refusal.message }]);

function changed(result: ChangeResult) {
  if (!result.ok) throw refused(result.refusal);
  return present(result.value);
}

/** A one-level JSON merge patch as the object's writes: each key replaces its value, a null removes the key. */
const patchWrites = (patch: Record<string, unknown>): ParticipantDataWrite[] =>
  Object.entries(patch).map(([key, value]) =>
    value === null ? { key, op: 'delete' } : { key, op: 'set', value: value as JsonObject[string] },
  );

export const participantDataRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}/data',
      tags: ['Participants'],
      summary: "Every chatbot's data about a participant",
      description: DATA_DOCS,
      middleware: [requireApiKey('read')] as const,
      request: { params: participantParams },
      responses: { 200: json("Each chatbot's data", ParticipantDataList), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const { id } = c.req.valid('param');
      await checkParticipant(c.env, teamId, id);
      const all = await participantStub(c.env, { teamId, participantId: id }).allData({ teamId, participantId: id });
      return c.json({ data: all.map(present) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/participants/{id}/data/{chatbotId}',
      tags: ['Participants'],
      summary: "One chatbot's data about a participant ({} when it stored none)",
      description: DATA_DOCS,
      middleware: [requireApiKey('read')] as const,
      request: { params: chatbotDataParams },
      responses: { 200: json("The chatbot's data", ChatbotParticipantData), ...errorResponses },
    }),
    async (c) => {
      const key = await dataKey(c.env, c.var.auth.teamId, c.req.valid('param'));
      return c.json(present(await participantStub(c.env, key).chatbotData(key)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/participants/{id}/data/{chatbotId}',
      tags: ['Participants'],
      summary: "Replace one chatbot's data about a participant",
      description: `${DATA_DOCS}\n\nThe body is the new data, a JSON object of at most 256 KB.`,
      middleware: [requireApiKey('chat')] as const,
      request: { params: chatbotDataParams, body },
      responses: { 200: json('Stored', ChatbotParticipantData), ...errorResponses },
    }),
    async (c) => {
      const key = await dataKey(c.env, c.var.auth.teamId, c.req.valid('param'));
      const data = c.req.valid('json') as JsonObject;
      return c.json(changed(await participantStub(c.env, key).replaceData(key, data)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/participants/{id}/data/{chatbotId}',
      tags: ['Participants'],
      summary: "Merge into one chatbot's data about a participant",
      description: `${DATA_DOCS}\n\nA merge patch one level deep: each key sent replaces its value, a key sent as
\`null\` is removed, keys not sent stay. The result must stay within 256 KB as JSON.`,
      middleware: [requireApiKey('chat')] as const,
      request: { params: chatbotDataParams, body },
      responses: { 200: json('Merged', ChatbotParticipantData), ...errorResponses },
    }),
    async (c) => {
      const key = await dataKey(c.env, c.var.auth.teamId, c.req.valid('param'));
      const writes = patchWrites(c.req.valid('json'));
      return c.json(changed(await participantStub(c.env, key).applyWrites(key, writes)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/participants/{id}/data/{chatbotId}',
      tags: ['Participants'],
      summary: "Reset one chatbot's data about a participant",
      description: 'Removes the data (the chatbot starts from {} again); answers 204 whether or not there was any.',
      middleware: [requireApiKey('chat')] as const,
      request: { params: chatbotDataParams },
      responses: { 204: { description: 'Reset' }, ...errorResponses },
    }),
    async (c) => {
      const key = await dataKey(c.env, c.var.auth.teamId, c.req.valid('param'));
      await participantStub(c.env, key).resetData(key);
      return c.body(null, 204);
    },
  );
