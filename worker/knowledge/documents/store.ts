import { and, eq } from 'drizzle-orm';
import { database } from '../../db/client.ts';
import { knowledgeDocuments } from '../../db/schema/index.ts';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/errors.ts';
import { newId } from '../../ids.ts';
import { cleanFileName } from '../../widget/uploads.ts';
import { ALLOCATED_REVISION, allocateRevision, publishRevision } from '../collections/revisions.ts';
import { deletePrefix, documentPrefix, originalKey } from '../collections/storage-keys.ts';
import { knowledgeIndex } from '../index/client.ts';
import type { CollectionRow } from '../index/collection-ref.ts';
import { refOf } from '../index/collection-ref.ts';
import type { ParseMessage } from '../ingest/messages.ts';
import { acceptedMediaTypes, detectFormat, mediaTypeOf } from '../parsers/formats.ts';
import type { DocumentRow } from './present.ts';
import type { UploadedFile } from './read-body.ts';

export interface NewDocument {
  file: UploadedFile;
  title?: string;
  source: 'upload' | 'url' | 'text';
  sourceUrl?: string;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The stored form of a file: its format (or a 415 naming what is accepted), hash and R2 key. */
async function storeFile(env: Env, collection: CollectionRow, documentId: string, file: UploadedFile) {
  const format = detectFormat(file.contentType, file.fileName, file.bytes.subarray(0, 1024));
  if (!format) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `"${file.fileName ?? 'the file'}" (${file.contentType ?? 'no type'}) is not a format Parley reads: PDF, DOCX, XLSX, PPTX, HTML, Markdown, CSV or text`,
      { allowed: acceptedMediaTypes },
    );
  }
  const sha256 = await sha256Hex(file.bytes);
  const fileKey = originalKey(collection.teamId, collection.id, documentId, sha256);
  const contentType = mediaTypeOf(format);
  await env.FILES.put(fileKey, file.bytes, {
    httpMetadata: { contentType },
    customMetadata: { name: cleanFileName(file.fileName ?? undefined) },
  });
  return { format, sha256, fileKey, contentType, bytes: file.bytes.length };
}

function titleOf(input: NewDocument): string {
  const name = input.file.fileName?.replace(/\.[a-z0-9]+$/i, '').trim();
  return (input.title ?? input.file.title ?? name ?? input.sourceUrl ?? 'Untitled').slice(0, 200) || 'Untitled';
}

function parseMessage(teamId: string, collectionId: string, documentId: string, ingestId: string): ParseMessage {
  return { kind: 'parse', teamId, collectionId, documentId, ingestId };
}

export async function loadDocument(env: Env, teamId: string, collectionId: string, documentId: string) {
  const [row] = await database(env.DB)
    .select()
    .from(knowledgeDocuments)
    .where(
      and(
        eq(knowledgeDocuments.teamId, teamId),
        eq(knowledgeDocuments.collectionId, collectionId),
        eq(knowledgeDocuments.id, documentId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Stores a new document's bytes in R2, inserts it `queued` holding the next revision (./collections/revisions.ts),
 * and returns it with the parse message to send. Nothing is queued when the format is not one Parley reads.
 */
export async function addDocument(
  env: Env,
  collection: CollectionRow,
  input: NewDocument,
): Promise<{ row: DocumentRow; message: ParseMessage }> {
  const now = Date.now();
  const id = newId('kdoc', now);
  const ingestId = crypto.randomUUID();
  const stored = await storeFile(env, collection, id, input.file);
  await env.DB.batch([
    allocateRevision(env, collection.teamId, collection.id),
    env.DB.prepare(
      `INSERT INTO knowledge_documents (id, team_id, collection_id, title, source, source_url, file_key, content_type,
         format, bytes, sha256, status, ingest_id, pending_revision, created_at, updated_at)
       VALUES (?3, ?2, ?1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'queued', ?12, ${ALLOCATED_REVISION}, ?13, ?13)`,
    ).bind(
      collection.id,
      collection.teamId,
      id,
      titleOf(input),
      input.source,
      input.sourceUrl ?? null,
      stored.fileKey,
      stored.contentType,
      stored.format,
      stored.bytes,
      stored.sha256,
      ingestId,
      now,
    ),
    publishRevision(env, collection.teamId, collection.id),
  ]);
  const row = await loadDocument(env, collection.teamId, collection.id, id);
  if (!row) throw new Error('inserted document not found');
  return { row, message: parseMessage(collection.teamId, collection.id, id, ingestId) };
}

/**
 * Starts a new ingestion attempt of a document (re-index, or a replaced file when `file` is given): a new ingestId
 * makes every message of the previous attempt stale; the revision the document already held, if it was still
 * ingesting, is kept, so its earlier partial chunks are retired by this attempt at that same revision.
 */
export async function restartIngest(
  env: Env,
  collection: CollectionRow,
  document: DocumentRow,
  file?: UploadedFile,
): Promise<{ row: DocumentRow; message: ParseMessage }> {
  const ingestId = crypto.randomUUID();
  const stored = file ? await storeFile(env, collection, document.id, file) : undefined;
  await env.DB.batch([
    allocateRevision(env, collection.teamId, collection.id),
    env.DB.prepare(
      `UPDATE knowledge_documents SET ingest_id = ?4, status = 'queued', error = NULL, chunks_done = 0, chunks_total = 0,
         batch_count = 0, chunks_reused = 0, pending_revision = COALESCE(pending_revision, ${ALLOCATED_REVISION}),
         file_key = ?5, content_type = ?6, format = ?7, bytes = ?8, sha256 = ?9, updated_at = ?10
       WHERE id = ?3 AND team_id = ?2 AND collection_id = ?1`,
    ).bind(
      collection.id,
      collection.teamId,
      document.id,
      ingestId,
      stored?.fileKey ?? document.fileKey,
      stored?.contentType ?? document.contentType,
      stored?.format ?? document.format,
      stored?.bytes ?? document.bytes,
      stored?.sha256 ?? document.sha256,
      Date.now(),
    ),
    publishRevision(env, collection.teamId, collection.id),
  ]);
  if (stored && stored.fileKey !== document.fileKey) await env.FILES.delete(document.fileKey);
  const row = await loadDocument(env, collection.teamId, collection.id, document.id);
  if (!row) throw new ApiError(404, 'not_found', 'Document not found');
  return { row, message: parseMessage(collection.teamId, collection.id, document.id, ingestId) };
}

/**
 * Deletes a document: its chunks retired at a revision of its own (pinned chatbot versions keep seeing them), its
 * R2 objects, its row; then the collection's revision and counts move on. Safe to repeat after a failure midway.
 */
export async function deleteDocument(env: Env, collection: CollectionRow, document: DocumentRow): Promise<void> {
  const [, claimed] = await env.DB.batch<{ pending_revision: number }>([
    allocateRevision(env, collection.teamId, collection.id),
    env.DB.prepare(
      `UPDATE knowledge_documents SET pending_revision = COALESCE(pending_revision, ${ALLOCATED_REVISION}),
         ingest_id = 'deleted', status = 'failed', error = 'deleting'
       WHERE id = ?3 AND team_id = ?2 AND collection_id = ?1 RETURNING pending_revision`,
    ).bind(collection.id, collection.teamId, document.id),
  ]);
  const revision = claimed?.results[0]?.pending_revision;
  if (revision !== undefined) {
    await knowledgeIndex(env).retireChunks(refOf(collection), revision, document.id, new Set());
  }
  await deletePrefix(env.FILES, documentPrefix(collection.teamId, collection.id, document.id));
  await database(env.DB)
    .delete(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.id, document.id), eq(knowledgeDocuments.teamId, collection.teamId)));
  await publishRevision(env, collection.teamId, collection.id).run();
}

/** Title and public flag: metadata only, nothing to re-index. */
export async function patchDocument(
  env: Env,
  document: DocumentRow,
  patch: { title?: string | undefined; public?: boolean | undefined },
): Promise<DocumentRow> {
  const [row] = await database(env.DB)
    .update(knowledgeDocuments)
    .set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.public !== undefined && { public: patch.public }),
      updatedAt: Date.now(),
    })
    .where(and(eq(knowledgeDocuments.id, document.id), eq(knowledgeDocuments.teamId, document.teamId)))
    .returning();
  if (!row) throw new ApiError(404, 'not_found', 'Document not found');
  // INTEGRATION (m6-pins): tell the collection's KnowledgeDO the new title / public flag here, once the pins branch
  // adds it: `await knowledgeIndex(env).setDocumentInfo(refOf(collection), row.id, { title: row.title, public: row.public })`
  // (the citations it builds carry the title, and a public file's link). Absent on m6-citations, so not called yet.
  return row;
}
