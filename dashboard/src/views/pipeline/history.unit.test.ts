import { describe, expect, it } from 'vitest';
import { push, redo, replace, startHistory, undo } from './history';

describe('undo/redo history', () => {
  it('undoes and redoes steps, and a new edit clears redo', () => {
    let h = startHistory(1);
    h = push(push(h, 2), 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = undo(h);
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(2);
    h = push(h, 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('keeps a live drag out of the history until it is pushed', () => {
    let h = startHistory('a');
    h = replace(h, 'a-moving');
    expect(h.past).toEqual([]);
    h = push({ ...h, present: 'a' }, 'b');
    expect(undo(h).present).toBe('a');
  });

  it('caps the number of steps', () => {
    let h = startHistory(0);
    for (let i = 1; i <= 10; i++) h = push(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });
});
