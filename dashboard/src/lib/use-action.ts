/**
 * What a view needs around a button that calls the API: the error to show, a notice after success, and whether it
 * is running. `run(action, done?)` clears both, runs it, then shows `done` (if any) or the error.
 */
import { useState } from 'preact/hooks';
import type { ApiError } from './http';
import { toApiError } from './resource';

export function useAction() {
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<unknown>, done: string | null = null): Promise<boolean> {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      await action();
      setNotice(done);
      return true;
    } catch (caught) {
      setError(toApiError(caught));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, notice, busy, run, setNotice };
}
