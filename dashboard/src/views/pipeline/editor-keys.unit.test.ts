import { describe, expect, it } from 'vitest';
import { keyAction, NUDGE } from './editor-keys';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
  keyAction({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('canvas shortcuts', () => {
  it('maps the editing shortcuts', () => {
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('Z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('c', { ctrlKey: true })).toBe('copy');
    expect(key('v', { metaKey: true })).toBe('paste');
    expect(key('Delete')).toBe('delete');
    expect(key('Enter')).toBe('open');
    expect(key('f')).toBe('fit');
    expect(key('f', { ctrlKey: true })).toBeNull();
    expect(key('q')).toBeNull();
  });

  it('nudges with the arrows, five steps with Shift', () => {
    expect(key('ArrowLeft')).toEqual({ move: [-NUDGE, 0] });
    expect(key('ArrowDown', { shiftKey: true })).toEqual({ move: [0, NUDGE * 5] });
  });
});
