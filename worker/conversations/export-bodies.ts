import { ArchiveReader, copyKey } from '../archive/reader.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { messages } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { r2BlobStore } from '../ports/blob-store.ts';

type MessageRow = typeof messages.$inferSelect;
type Body = Pick<MessageRow, 'content' | 'error' | 'metadata'>;

/**
 * Where the export finds message bodies now that D1 holds index rows only (issue 19 §2, docs/scaling.md "Message
 * bodies"). A row still holding its body (written before migration 0016 and not yet blanked: `contentBytes` null)
 * is exported as it is. Every other row's body comes from the R2 archive, read per page of conversations for the
 * days its messages were created (worker/archive/reader.ts), which the consumer wrote in the same batch as the row.
 * A body the archive lacks (its put failed and the batch waits for redelivery) is read from the conversation object,
 * the source of truth: one RPC per such conversation, at most a page (EXPORT_PAGE) at a time.
 */
export class ExportBodies {
  private readonly archive: ArchiveReader;

  constructor(
    private readonly env: Env,
    teamId: string,
  ) {
    this.archive = new ArchiveReader(r2BlobStore(env.FILES), teamId);
  }

  /** `rows` with their bodies, in the same order. */
  async fill(rows: MessageRow[]): Promise<MessageRow[]> {
    const blank = rows.filter((row) => row.contentBytes !== null);
    if (blank.length === 0) return rows;
    const bodies = new Map<string, Body>();
    const ids = new Set(blank.map((row) => row.conversationId));
    const created = blank.map((row) => row.createdAt);
    const archived = await this.archive.copies(ids, { from: Math.min(...created), to: Math.max(...created) });
    for (const [key, copy] of archived)
      bodies.set(key, { content: copy.content, error: copy.error ?? null, metadata: copy.metadata });
    const missing = new Set(
      blank.filter((row) => !bodies.has(copyKey(row.conversationId, row.id))).map((row) => row.conversationId),
    );
    await Promise.all(
      [...missing].map(async (conversationId) => {
        for (const message of await conversationStub(this.env, conversationId).listMessages())
          bodies.set(copyKey(conversationId, message.id), message);
      }),
    );
    return rows.map((row) => {
      if (row.contentBytes === null) return row;
      const body = bodies.get(copyKey(row.conversationId, row.id));
      // Neither holds it (the object was deleted): the row's index fields, its body empty.
      return body ? { ...row, content: body.content, error: body.error, metadata: body.metadata } : row;
    });
  }
}
