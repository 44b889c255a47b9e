/** Shown when autosave meets a newer draft (409 draft_conflict): take theirs or keep mine. Nothing is replaced until one is chosen. */
import { useEffect, useRef } from 'preact/hooks';

export function ConflictDialog({ onReload, onOverwrite }: { onReload: () => void; onOverwrite: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div class="pl-dialog-backdrop">
      <div
        class="pl-dialog card"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="pl-conflict-title"
        aria-describedby="pl-conflict-text"
      >
        <h2 id="pl-conflict-title">This draft was changed elsewhere</h2>
        <p id="pl-conflict-text">
          Someone saved the draft after you opened it. Reload to take their version and drop your unsaved edits, or
          overwrite theirs with yours.
        </p>
        <div class="row">
          <button ref={first} type="button" class="button" onClick={onReload}>
            Reload their version
          </button>
          <button type="button" class="button danger" onClick={onOverwrite}>
            Overwrite with mine
          </button>
        </div>
      </div>
    </div>
  );
}
