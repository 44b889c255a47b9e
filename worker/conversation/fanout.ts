import { type ConversationEvent, sseFrame } from './protocol.ts';

// Proxies and browsers drop idle connections after 30–100 s; a comment line every 15 s keeps SSE streams open.
const HEARTBEAT_MS = 15_000;

interface Subscriber {
  send(event: ConversationEvent): void;
  /** Close when this turn is done, after its last reply (a POST that streams its replies); undefined: stay open. */
  untilTurnId?: string;
  close(): void;
}

/** Live event delivery to the clients connected to one conversation. */
export class EventFanout {
  private readonly subscribers = new Set<Subscriber>();

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * An SSE response that first replays `backlog` and then follows live events. The caller reads the backlog and
   * subscribes in one synchronous step, so no event falls between the two. `turnDone`: the turn `untilTurnId` is
   * already over, so the stream ends with the backlog.
   */
  sse(backlog: readonly ConversationEvent[], untilTurnId?: string, turnDone = false): Response {
    const encoder = new TextEncoder();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    let closed = false;
    const write = (text: string) => {
      if (closed) return;
      writer.write(encoder.encode(text)).catch(() => subscriber.close());
    };
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
    const subscriber: Subscriber = {
      untilTurnId,
      send: (event) => write(sseFrame(event)),
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.subscribers.delete(subscriber);
        writer.close().catch(() => {});
      },
    };
    write('retry: 1000\n\n');
    for (const event of backlog) subscriber.send(event);
    if (untilTurnId && turnDone) subscriber.close();
    else this.subscribers.add(subscriber);
    return new Response(readable, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  }

  publish(event: ConversationEvent): void {
    for (const subscriber of this.subscribers) subscriber.send(event);
  }

  /**
   * A turn is over (its last reply completed, however it ended): streams waiting for it close. A pipeline may send
   * several replies, so a reply's completion alone no longer ends the turn.
   */
  endTurn(turnId: string): void {
    for (const subscriber of this.subscribers) if (subscriber.untilTurnId === turnId) subscriber.close();
  }
}
