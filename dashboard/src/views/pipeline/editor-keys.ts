/** The canvas's keyboard shortcuts (also listed in the editor's help text and docs/pipeline-editor.md). */
export type KeyAction =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'cut'
  | 'delete'
  | 'select-all'
  | 'open'
  | 'deselect'
  | 'fit'
  | 'zoom-in'
  | 'zoom-out'
  | { move: [dx: number, dy: number] };

/** Arrow keys nudge by a grid step; with Shift by five. */
export const NUDGE = 10;

export function keyAction(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): KeyAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'c') return 'copy';
  if (mod && key === 'v') return 'paste';
  if (mod && key === 'x') return 'cut';
  if (mod && key === 'a') return 'select-all';
  if (mod || e.altKey) return null;
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === 'Enter') return 'open';
  if (key === 'Escape') return 'deselect';
  if (key === 'f') return 'fit';
  if (key === '+' || key === '=') return 'zoom-in';
  if (key === '-') return 'zoom-out';
  const step = e.shiftKey ? NUDGE * 5 : NUDGE;
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [-step, 0],
    ArrowRight: [step, 0],
    ArrowUp: [0, -step],
    ArrowDown: [0, step],
  };
  const move = moves[key];
  return move ? { move } : null;
}
