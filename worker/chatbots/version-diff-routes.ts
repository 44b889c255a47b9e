import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { type Database, database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { presentPins } from '../knowledge/pins/compute.ts';
import { chatbotParams } from './api-schemas.ts';
import { type ChatbotRow, findChatbot } from './store.ts';
import { diffDefinitions, diffValues } from './version-diff.ts';
import { findVersion } from './versions.ts';

const versionQuery = (name: 'from' | 'to', description: string) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .optional()
    .openapi({ param: { name, in: 'query', required: false }, type: 'integer', minimum: 0, description });

const change = z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });
const node = z.object({ id: z.string(), kind: z.string() });
const edge = z.object({ from: z.string(), fromPort: z.string().optional(), to: z.string() });

const VersionDiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    nodes: z.object({
      added: z.array(node),
      removed: z.array(node),
      changed: z.array(node.extend({ changes: z.array(change) })),
      moved: z
        .array(node)
        .describe("Nodes whose place on the editor's canvas (`ui`) differs; a move alone is not a change"),
    }),
    edges: z.object({ added: z.array(edge), removed: z.array(edge) }),
    settings: z.array(change).describe('Changes to the chatbot settings and run limits'),
    knowledge: z
      .array(change)
      .describe(
        'Changes to the pinned knowledge revisions (`knowledge.<collectionId>.revision`, `.name`) between two published versions; empty when a side is the draft, which pins nothing (it searches the latest)',
      ),
  })
  .openapi('ChatbotVersionDiff');

/** Registered before `/versions/{number}`, which would otherwise read `diff` as a version number. */
export const versionDiffRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/chatbots/{idOrSlug}/versions/diff',
    tags: ['Chatbots'],
    summary: 'Compare two versions node by node (0 is the draft); v1 and v2 definitions compare as pipelines',
    middleware: [requireApiKey('read')] as const,
    request: {
      params: chatbotParams,
      query: z.object({
        from: versionQuery('from', 'The older side; defaults to the published version (the draft if none)'),
        to: versionQuery('to', 'The newer side; defaults to 0, the draft'),
      }),
    },
    responses: {
      200: {
        description: 'Nodes and edges added, removed and changed (each setting as a path, old → new)',
        content: { 'application/json': { schema: VersionDiffSchema } },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const db = database(c.env.DB);
    const chatbot = await findChatbot(db, c.var.auth.teamId, c.req.valid('param').idOrSlug);
    const from = query.from ?? (await publishedNumber(db, chatbot));
    const to = query.to ?? 0;
    const [before, after] = await Promise.all([findVersion(db, chatbot, from), findVersion(db, chatbot, to)]);
    const knowledge =
      from === 0 || to === 0
        ? []
        : diffValues(presentPins(before.knowledge), presentPins(after.knowledge), 'knowledge');
    return c.json({ from, to, ...diffDefinitions(before.definition, after.definition), knowledge }, 200);
  },
);

async function publishedNumber(db: Database, chatbot: ChatbotRow): Promise<number> {
  if (!chatbot.publishedVersionId) return 0;
  const row = await db.query.chatbotVersions.findFirst({
    columns: { number: true },
    where: and(eq(chatbotVersions.id, chatbot.publishedVersionId), eq(chatbotVersions.chatbotId, chatbot.id)),
  });
  return row?.number ?? 0;
}
