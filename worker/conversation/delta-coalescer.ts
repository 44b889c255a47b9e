import type { ConversationEventBody } from './protocol.ts';

type DeltaBody = Extract<ConversationEventBody, { type: 'delta' }>;

/**
 * At most one `delta` event per this interval after the first: the same throttle a chat UI applies before rendering
 * (useAgentChat's proposed default of 50 ms with the first chunk never delayed, cloudflare/agents#2058). A person
 * cannot read faster, and every event is a stored row, a frame per socket and a proxy hop (bench/README.md).
 */
export const DELTA_INTERVAL_MS = 50;

/**
 * Text held back in one delta before it leaves anyway: keeps each frame small (well under the 1 MiB WebSocket
 * message and 2 MB SQLite row limits of Durable Objects) should a provider stream very fast for a long time.
 */
export const MAX_DELTA_CHARS = 16_000;

/**
 * Joins a reply's tokens into fewer `delta` events. The first token after any other event leaves at once (time to
 * first token is unchanged); later ones wait at most DELTA_INTERVAL_MS and leave as one event whose text is their
 * concatenation. Nothing held back has been stored or sent, so whatever a client saw is still in the log: resumes and
 * replays read only stored events, and the held text simply follows them as the next seq. Held text leaves before any
 * other event, before a seq is read (`flush`, wired to the store's seq reads), and when the interval ends.
 */
export class DeltaCoalescer {
  private held: DeltaBody | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last delta left; undefined after any other event, so the next token is not delayed. */
  private lastSentAt: number | undefined;

  constructor(
    private readonly publish: (body: DeltaBody) => void,
    private readonly now: () => number,
  ) {}

  /** A token of a reply. */
  push(body: DeltaBody): void {
    if (this.held && this.held.messageId !== body.messageId) this.flush();
    if (this.held) {
      this.held = { ...this.held, text: this.held.text + body.text };
      if (this.held.text.length >= MAX_DELTA_CHARS) this.flush();
      return;
    }
    const now = this.now();
    const since = this.lastSentAt === undefined ? Number.POSITIVE_INFINITY : now - this.lastSentAt;
    if (since >= DELTA_INTERVAL_MS || body.text.length >= MAX_DELTA_CHARS) {
      this.send(body, now);
      return;
    }
    this.held = body;
    this.timer = setTimeout(() => this.flush(), DELTA_INTERVAL_MS - since);
  }

  /** Sends whatever is held now; the next token again waits for the interval. */
  flush(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.send(held, this.now());
  }

  /** Another event is about to be published: held text goes first, and the next token leaves at once. */
  beforeOtherEvent(): void {
    this.flush();
    this.lastSentAt = undefined;
  }

  private send(body: DeltaBody, now: number): void {
    this.lastSentAt = now;
    this.publish(body);
  }
}
