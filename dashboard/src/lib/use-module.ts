/**
 * Loads a lazily imported component inside a view (a tab, a picker) without Suspense: Preact's Suspense left the
 * previous tab's DOM in place when a lazy child suspended inside a fragment (seen with the pipeline tab).
 */
import { useEffect, useState } from 'preact/hooks';

export function useModule<T>(load: () => Promise<T>): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    load().then((loaded) => live && setValue(() => loaded));
    return () => {
      live = false;
    };
  }, []);
  return value;
}
