import { describe, expect, it, vi } from 'vitest';
import { addLocal, empty, loadHistory, reduce, type ServerEvent, type ServerMessage, type Transcript } from './reducer';

const user: ServerMessage = { id: 'm1', role: 'user', content: 'hi', status: 'complete', clientMessageId: 'c1' };
const reply: ServerMessage = { id: 'm2', role: 'assistant', content: '', status: 'streaming' };
const events: ServerEvent[] = [
  { type: 'message.created', seq: 1, message: user },
  { type: 'message.created', seq: 2, message: reply },
  { type: 'delta', seq: 3, messageId: 'm2', text: 'Hel' },
  { type: 'delta', seq: 4, messageId: 'm2', text: 'lo ' },
  { type: 'delta', seq: 5, messageId: 'm2', text: 'there' },
  { type: 'message.completed', seq: 6, message: { ...reply, content: 'Hello there', status: 'complete' } },
];
const run = (list: ServerEvent[], from: Transcript = empty) => list.reduce(reduce, from);

describe('event reducer', () => {
  it('assembles deltas into the reply', () => {
    const mid = run(events.slice(0, 4));
    expect(mid.msgs.map((m) => [m.role, m.text, m.status])).toEqual([
      ['user', 'hi', 'complete'],
      ['assistant', 'Hello ', 'streaming'],
    ]);
    const done = run(events);
    expect(done.seq).toBe(6);
    expect(done.msgs[1]).toMatchObject({ text: 'Hello there', status: 'complete' });
  });

  it('dedupes by seq: a replay after reconnect neither loses nor doubles text', () => {
    const first = run(events.slice(0, 4));
    // The reconnect asks for after=4 but a proxy replays from 2: 2–4 must be ignored.
    const resumed = run(events.slice(1), first);
    expect(resumed.msgs[1]?.text).toBe('Hello there');
    // These fixtures carry no createdAt, so `at` falls back to Date.now(): pin it, or the two runs may differ by 1 ms.
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      expect(run([...events, ...events])).toEqual(run(events));
    } finally {
      now.mockRestore();
    }
  });

  it('replaces the optimistic user message when the server acknowledges it', () => {
    const local = addLocal(empty, { id: 'c1', cid: 'c1', role: 'user', text: 'hi', status: 'sending', at: 1 });
    const acked = reduce(local, events[0] as ServerEvent);
    expect(acked.msgs).toHaveLength(1);
    expect(acked.msgs[0]).toMatchObject({ id: 'm1', status: 'complete', at: 1 });
  });

  it('resumes from history: loaded messages plus later deltas, pending local messages kept', () => {
    const history = loadHistory(
      addLocal(empty, { id: 'c9', cid: 'c9', role: 'user', text: 'later', status: 'sending', at: 5 }),
      [user, { ...reply, content: 'Hello ' }],
      4,
    );
    expect(history.seq).toBe(4);
    const next = run(events, history);
    expect(next.msgs.map((m) => m.text)).toEqual(['hi', 'Hello there', 'later']);
  });

  it('keeps streamed text when a late message.created arrives and ignores unknown events', () => {
    const t = run([events[2] as ServerEvent, { type: 'typing', seq: 7 } as ServerEvent]);
    expect(t.msgs[0]).toMatchObject({ id: 'm2', text: 'Hel', status: 'streaming' });
    expect(t.seq).toBe(7);
  });

  it('keeps a tool call waiting for approval, then its decision; the history brings back pending ones', () => {
    const approval = {
      id: 'tap_1',
      callId: 'call_1',
      name: 'current_time',
      arguments: '{"timeZone":"Europe/Paris"}',
      nodeId: 'llm',
      messageId: 'm2',
      requestedAt: 1,
      expiresAt: 2,
    };
    const asked = run([...events.slice(0, 2), { type: 'tool.approval_requested', seq: 3, messageId: 'm2', approval }]);
    expect(asked.asks).toEqual([{ id: 'tap_1', name: 'current_time', args: approval.arguments, st: '' }]);
    const decided = reduce(asked, {
      type: 'tool.approval_decided',
      seq: 4,
      messageId: 'm2',
      approvalId: 'tap_1',
      callId: 'call_1',
      name: 'current_time',
      decision: 'denied',
      by: 'user',
    });
    expect(decided.asks[0]).toMatchObject({ st: 'denied', by: 'user' });
    // A replayed request (seq already seen) changes nothing.
    expect(reduce(decided, { type: 'tool.approval_requested', seq: 3, messageId: 'm2', approval })).toBe(decided);
    expect(loadHistory(empty, [user], 3, [approval]).asks).toHaveLength(1);
  });
});
