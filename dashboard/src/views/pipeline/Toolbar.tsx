/** The editor's toolbar: history, view, layout, save state, publish with a note, and the side-panel switch. */
import { useState } from 'preact/hooks';
import type { SaveStatus } from './draft-sync';

export type PanelMode = 'edit' | 'test' | 'compare';

const statusText: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  invalid: 'Not saved: fix the marked nodes',
  conflict: 'Changed elsewhere',
  error: 'Not saved (kept on this device)',
};

export interface ToolbarProps {
  canUndo: boolean;
  canRedo: boolean;
  readOnly: boolean;
  canChat: boolean;
  status: SaveStatus;
  /** Problems the server listed for the draft (it is saved with them; publishing refuses it). */
  problems: number;
  mode: PanelMode;
  onMode: (mode: PanelMode) => void;
  onUndo: () => void;
  onRedo: () => void;
  onFit: () => void;
  onZoom: (factor: number) => void;
  onLayout: () => void;
  onPublish: (note: string) => Promise<boolean>;
  /** The last edit's outcome ("Connected a to b.", why a connection was refused), announced politely. */
  message: string | null;
}

export function Toolbar(props: ToolbarProps) {
  const [note, setNote] = useState('');
  const [publishing, setPublishing] = useState(false);
  return (
    <div class="pl-toolbar" role="toolbar" aria-label="Pipeline editor">
      <div class="pl-tool-group">
        <button
          type="button"
          class="button subtle small"
          onClick={props.onUndo}
          disabled={!props.canUndo || props.readOnly}
          aria-keyshortcuts="Control+Z"
        >
          Undo
        </button>
        <button
          type="button"
          class="button subtle small"
          onClick={props.onRedo}
          disabled={!props.canRedo || props.readOnly}
          aria-keyshortcuts="Control+Shift+Z"
        >
          Redo
        </button>
      </div>
      <div class="pl-tool-group">
        <button type="button" class="button subtle small" onClick={() => props.onZoom(1 / 1.2)} aria-label="Zoom out">
          −
        </button>
        <button type="button" class="button subtle small" onClick={() => props.onZoom(1.2)} aria-label="Zoom in">
          +
        </button>
        <button type="button" class="button subtle small" onClick={props.onFit} aria-keyshortcuts="F">
          Fit
        </button>
        <button type="button" class="button subtle small" onClick={props.onLayout} disabled={props.readOnly}>
          Auto-layout
        </button>
      </div>
      <div class="pl-tool-group">
        {(['edit', 'test', 'compare'] as const)
          .filter((mode) => mode !== 'test' || props.canChat)
          .map((mode) => (
            <button
              key={mode}
              type="button"
              class={`button small ${props.mode === mode ? 'primary' : 'subtle'}`}
              aria-pressed={props.mode === mode}
              onClick={() => props.onMode(mode)}
            >
              {mode === 'edit' ? 'Edit' : mode === 'test' ? 'Test' : 'Compare versions'}
            </button>
          ))}
      </div>
      <span class={`pl-save-status status-${props.status}`} role="status">
        {statusText[props.status]}
        {props.status === 'saved' && props.problems > 0 && (
          <span class="pl-problems">
            {' '}
            · {props.problems} {props.problems === 1 ? 'problem' : 'problems'} to fix before publishing
          </span>
        )}
      </span>
      <span class="pl-message muted small" role="status" aria-live="polite">
        {props.message}
      </span>
      {!props.readOnly && (
        <form
          class="pl-tool-group pl-publish"
          aria-label="Publish"
          onSubmit={async (e) => {
            e.preventDefault();
            setPublishing(true);
            if (await props.onPublish(note)) setNote('');
            setPublishing(false);
          }}
        >
          <input
            aria-label="Publish note"
            placeholder="What changed"
            maxLength={1000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="submit" class="button primary small" disabled={publishing}>
            {publishing ? 'Publishing…' : 'Publish'}
          </button>
        </form>
      )}
    </div>
  );
}
