import { z } from '@hono/zod-openapi';
import { humanText } from '../../http/text.ts';
import { documentFormats } from './formats.ts';

export const documentStatuses = ['queued', 'parsing', 'embedding', 'ready', 'failed'] as const;

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ example: 'kdoc_01hzx3k9q0abcdefghjkmnpqrs' }),
    collectionId: z.string(),
    title: z.string(),
    source: z.enum(['upload', 'url', 'text']),
    sourceUrl: z.string().nullable(),
    contentType: z.string(),
    format: z.enum(documentFormats),
    bytes: z.number().int(),
    sha256: z.string(),
    public: z.boolean().openapi({ description: 'Citations in the widget may link to a download of it' }),
    status: z.enum(documentStatuses),
    error: z.string().nullable().openapi({ description: 'Why ingestion failed (status `failed`)' }),
    progress: z.object({
      chunksDone: z.number().int(),
      chunksTotal: z.number().int().openapi({ description: '0 until the document is parsed and chunked' }),
    }),
    revision: z.number().int().nullable().openapi({ description: 'Collection revision its content was indexed at' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeDocument');

export type KnowledgeDocument = z.infer<typeof DocumentSchema>;

export const title = humanText().trim().min(1).max(200).openapi({ example: 'Installation guide' });

export const TextDocumentBody = z.object({
  title,
  text: z
    .string()
    .min(1)
    .max(900_000)
    .openapi({ example: '# Install\n\nRun the installer.', description: 'Markdown or plain text' }),
  format: z.enum(['markdown', 'txt']).default('markdown'),
});

export const UrlDocumentBody = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .openapi({ example: 'https://example.com/guide.html' }),
  title: title.optional(),
});

export const PatchDocumentBody = z.object({ title: title.optional(), public: z.boolean().optional() });

export const ChunkSchema = z
  .object({
    chunkKey: z.string(),
    ordinal: z.number().int(),
    text: z.string(),
    context: z.string(),
    page: z.number().int().optional(),
    tokens: z.number().int(),
    addedRevision: z.number().int(),
    retiredRevision: z.number().int().optional(),
  })
  .openapi('KnowledgeChunk');
