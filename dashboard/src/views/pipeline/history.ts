/**
 * Undo/redo as three stacks of immutable values. A drag updates `present` in place (`replace`) and is committed once
 * at the end (`push`), so one drag is one undo step, as in every drawing tool.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

/** 200 steps: a long editing session, at a few KB per graph, stays well under a megabyte. */
export const HISTORY_LIMIT = 200;

export const startHistory = <T>(present: T): History<T> => ({ past: [], present, future: [] });

/** A new step; redo is gone, as the edit branches history. */
export function push<T>(history: History<T>, next: T, limit = HISTORY_LIMIT): History<T> {
  if (next === history.present) return history;
  return { past: [...history.past, history.present].slice(-limit), present: next, future: [] };
}

/** Changes the present without a step (live drag); `base` is kept as the value the step will undo to. */
export const replace = <T>(history: History<T>, next: T): History<T> => ({ ...history, present: next });

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
