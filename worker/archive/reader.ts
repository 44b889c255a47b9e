import type { MessageCopy } from '../ports/analytics-sink.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { ARCHIVE_PREFIX, archiveDay } from '../queue/archive-sink.ts';

/** One archived line and where it came from, to choose between copies of one message. */
interface Candidate {
  copy: MessageCopy;
  uploaded: number;
}

const DAY_MS = 86_400_000;

/** `${conversationId}\0${messageId}`: the archive's (and the `messages` table's) identity of a message. */
export const copyKey = (conversationId: string, messageId: string) => `${conversationId}\u0000${messageId}`;

/**
 * Which of two archived copies of one message is the message: a finished copy over a `streaming` one, then the
 * latest `completedAt`, then the object written last (a rating re-copies a finished reply with the same
 * `completedAt`; the copy sent later is in the object put later). Redelivery rewrites identical objects, so a
 * duplicate is either copy: the same line.
 */
function newer(a: Candidate, b: Candidate): boolean {
  const finished = (c: Candidate) => (c.copy.status === 'streaming' ? 0 : 1);
  if (finished(a) !== finished(b)) return finished(a) > finished(b);
  const completed = (c: Candidate) => c.copy.completedAt ?? -1;
  if (completed(a) !== completed(b)) return completed(a) > completed(b);
  return a.uploaded >= b.uploaded;
}

/**
 * Reads message copies back from the R2 archive (worker/queue/archive-sink.ts, docs/scaling.md "Message archive"):
 * every copy of a message created on day D is under `archive/<team>/<D>/`, so the copies of messages created in
 * [from, to] are in those days' objects. A day's listing is kept for the reader's life (an export reads pages of
 * overlapping days); objects are read per call, and lines of other conversations are dropped as they are parsed.
 * Cost per call: one list per 1,000 objects of each new day, one get per object of the range.
 */
export class ArchiveReader {
  private readonly listings = new Map<string, Promise<{ key: string; uploaded: number }[]>>();

  constructor(
    private readonly store: BlobStore,
    private readonly teamId: string,
  ) {}

  /** The latest copy of every archived message of `conversationIds` created in [from, to], by copyKey. */
  async copies(
    conversationIds: ReadonlySet<string>,
    range: { from: number; to: number },
  ): Promise<Map<string, MessageCopy>> {
    const objects = (await Promise.all(this.days(range).map((day) => this.listing(day)))).flat();
    const best = new Map<string, Candidate>();
    // A few objects at a time: a Worker holds at most 6 outgoing connections (developers.cloudflare.com/workers/platform/limits).
    for (let i = 0; i < objects.length; i += 6) {
      const texts = await Promise.all(
        objects.slice(i, i + 6).map(async (o) => [o, await this.store.get(o.key)] as const),
      );
      for (const [object, text] of texts)
        for (const line of (text ?? '').split('\n')) {
          if (line === '') continue;
          const copy = JSON.parse(line) as MessageCopy;
          if (!conversationIds.has(copy.conversationId)) continue;
          const candidate = { copy, uploaded: object.uploaded };
          const key = copyKey(copy.conversationId, copy.id);
          const held = best.get(key);
          if (!held || newer(candidate, held)) best.set(key, candidate);
        }
    }
    return new Map([...best].map(([key, candidate]) => [key, candidate.copy]));
  }

  private days({ from, to }: { from: number; to: number }): string[] {
    const days: string[] = [];
    for (let at = Date.parse(archiveDay(from)); at <= to; at += DAY_MS) days.push(archiveDay(at));
    return days;
  }

  private listing(day: string) {
    let listing = this.listings.get(day);
    if (!listing) {
      listing = this.store.listUploaded(`${ARCHIVE_PREFIX}${this.teamId}/${day}/`);
      this.listings.set(day, listing);
    }
    return listing;
  }
}
