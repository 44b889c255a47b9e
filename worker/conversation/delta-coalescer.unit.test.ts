import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DELTA_INTERVAL_MS, DeltaCoalescer, MAX_DELTA_CHARS } from './delta-coalescer.ts';
import type { ConversationEventBody } from './protocol.ts';

type Delta = Extract<ConversationEventBody, { type: 'delta' }>;
const delta = (text: string, messageId = 'msg_a'): Delta => ({ type: 'delta', messageId, text });

function setup() {
  const sent: Delta[] = [];
  const coalescer = new DeltaCoalescer(
    (body) => sent.push(body),
    () => Date.now(),
  );
  return { sent, coalescer };
}

describe('DeltaCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first token at once and the rest of the interval as one delta when it ends', () => {
    const { sent, coalescer } = setup();
    coalescer.push(delta('Hello'));
    expect(sent).toEqual([delta('Hello')]);
    for (const token of [' wide', ' wide', ' world']) {
      vi.advanceTimersByTime(5);
      coalescer.push(delta(token));
    }
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(DELTA_INTERVAL_MS);
    expect(sent).toEqual([delta('Hello'), delta(' wide wide world')]);
    // A token a whole interval after the last delta left goes at once again.
    vi.advanceTimersByTime(DELTA_INTERVAL_MS);
    coalescer.push(delta('!'));
    expect(sent.at(-1)).toEqual(delta('!'));
  });

  it('never waits longer than the interval after the last delta left', () => {
    const { sent, coalescer } = setup();
    coalescer.push(delta('a'));
    vi.advanceTimersByTime(40);
    coalescer.push(delta('b'));
    vi.advanceTimersByTime(DELTA_INTERVAL_MS - 40 - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([delta('a'), delta('b')]);
  });

  it('lets held text go before another event, and the next token is not delayed after it', () => {
    const { sent, coalescer } = setup();
    coalescer.push(delta('a'));
    coalescer.push(delta('b'));
    coalescer.push(delta('c'));
    coalescer.beforeOtherEvent();
    expect(sent).toEqual([delta('a'), delta('bc')]);
    coalescer.push(delta('d'));
    expect(sent.at(-1)).toEqual(delta('d'));
    // Nothing is left to fire later.
    vi.advanceTimersByTime(DELTA_INTERVAL_MS * 2);
    expect(sent).toHaveLength(3);
  });

  it('keeps replies apart and sends a long run before it outgrows a frame', () => {
    const { sent, coalescer } = setup();
    coalescer.push(delta('a', 'msg_a'));
    coalescer.push(delta('b', 'msg_a'));
    coalescer.push(delta('c', 'msg_b'));
    expect(sent).toEqual([delta('a', 'msg_a'), delta('b', 'msg_a')]);
    coalescer.flush();
    expect(sent.at(-1)).toEqual(delta('c', 'msg_b'));
    const big = 'x'.repeat(MAX_DELTA_CHARS / 2);
    coalescer.push(delta(big, 'msg_b'));
    coalescer.push(delta(big, 'msg_b'));
    expect(sent.at(-1)).toEqual(delta(big + big, 'msg_b'));
  });

  it('flush with nothing held sends nothing', () => {
    const { sent, coalescer } = setup();
    coalescer.flush();
    coalescer.beforeOtherEvent();
    expect(sent).toEqual([]);
  });
});
