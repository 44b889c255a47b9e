import { type ConversationEvent, sseFrame } from './protocol.ts';

// Proxies and browsers drop idle connections after 30–100 s; a comment line every 15 s keeps SSE streams open.
const HEARTBEAT_MS = 15_000;

interface Subscriber {
  send(event: ConversationEvent): void;
  /** Close after the reply of this turn completes (a POST that streams one reply); undefined: stay open. */
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
   * subscribes in one synchronous step, so no event falls between the two.
   */
  sse(backlog: readonly ConversationEvent[], untilTurnId?: string): Response {
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
    if (untilTurnId && backlog.some((event) => endsTurn(event, untilTurnId))) subscriber.close();
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
    for (const subscriber of this.subscribers) {
      subscriber.send(event);
      if (subscriber.untilTurnId && endsTurn(event, subscriber.untilTurnId)) subscriber.close();
    }
  }
}

/** A turn ends when its assistant reply is completed, however it ended (complete, stopped or error). */
export function endsTurn(event: ConversationEvent, turnId: string): boolean {
  return event.type === 'message.completed' && event.message.role === 'assistant' && event.message.turnId === turnId;
}
