import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { roles } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { cursorQuery, ErrorSchema, errorResponses, idParam, iso } from '../http/schemas.ts';
import { changeRole, findMember, listMembers, type MemberRow, removeMember } from './members.ts';

const MemberSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: z.enum(roles), joinedAt: z.string() })
  .openapi('Member');

export type Member = z.infer<typeof MemberSchema>;

const memberParams = z.object({ userId: idParam('userId', 'user_01hzx3k9q0abcdefghjkmnpqrs') });
const conflict = {
  description: 'The team would be left without an owner',
  content: { 'application/json': { schema: ErrorSchema } },
};

const present = ({ createdAt, ...row }: MemberRow) => ({ ...row, joinedAt: iso(createdAt) ?? '' });

export const memberRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/members',
      tags: ['Members'],
      summary: 'The team’s members and their roles, oldest first, a page at a time',
      description: 'Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.',
      middleware: [requireApiKey('read')] as const,
      request: { query: cursorQuery },
      responses: {
        200: {
          description: 'A page of members, oldest first',
          content: {
            'application/json': {
              schema: z.object({ data: z.array(MemberSchema), nextCursor: z.string().nullable() }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await listMembers(database(c.env.DB), c.var.auth.teamId, c.req.valid('query'));
      return c.json({ data: result.data.map(present), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/members/{userId}',
      tags: ['Members'],
      summary: 'Change a member’s role (only an owner may grant or take away the owner role)',
      middleware: [requireApiKey('admin', 'members.manage')] as const,
      request: {
        params: memberParams,
        body: { content: { 'application/json': { schema: z.object({ role: z.enum(roles) }) } } },
      },
      responses: {
        200: { description: 'The member', content: { 'application/json': { schema: MemberSchema } } },
        ...errorResponses,
        409: conflict,
      },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const { teamId, actor } = c.var.auth;
      const { userId } = c.req.valid('param');
      await changeRole(db, actor, teamId, userId, c.req.valid('json').role);
      const updated = await findMember(db, teamId, userId);
      if (!updated) throw new Error('member vanished');
      return c.json(present(updated), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/members/{userId}',
      tags: ['Members'],
      summary: 'Remove a member from the team (never the last owner)',
      middleware: [requireApiKey('admin', 'members.manage')] as const,
      request: { params: memberParams },
      responses: { 204: { description: 'Removed' }, ...errorResponses, 409: conflict },
    }),
    async (c) => {
      const { teamId, actor } = c.var.auth;
      await removeMember(database(c.env.DB), actor, teamId, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  );
