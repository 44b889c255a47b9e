import { signal } from '@preact/signals';
import styles from './widget.css';

const PANEL_ID = 'parley-panel';

/** One widget per page, so its state can live at module level. */
const open = signal(false);

const toggle = () => {
  open.value = !open.value;
};

const close = () => {
  open.value = false;
};

function onKeyDown(event: KeyboardEvent): void {
  if (event.key === 'Escape') close();
}

function ChatIcon() {
  return (
    <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
      <path
        fill="currentColor"
        d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.5 3.6A.5.5 0 0 1 4 21.2V18a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z"
      />
    </svg>
  );
}

function CloseIcon({ size }: { size: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path stroke="currentColor" stroke-width="2.4" stroke-linecap="round" d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}

export function Widget({ widgetKey }: { widgetKey: string }) {
  const isOpen = open.value;
  return (
    <div class="parley">
      <style>{styles}</style>
      <section id={PANEL_ID} class="panel" role="dialog" aria-label="Chat" hidden={!isOpen} onKeyDown={onKeyDown}>
        <header class="head">
          <span class="title">Chat</span>
          <button type="button" class="close" aria-label="Close chat" onClick={close}>
            <CloseIcon size={18} />
          </button>
        </header>
        <div class="body">
          <p class="placeholder">The chatbot will appear here.</p>
        </div>
        <footer class="foot">
          {widgetKey ? (
            <>
              Widget key <code>{widgetKey}</code>
            </>
          ) : (
            <span class="warn">No data-key on the widget's script tag.</span>
          )}
        </footer>
      </section>
      <button
        type="button"
        class="launcher"
        aria-label={isOpen ? 'Close chat' : 'Open chat'}
        aria-expanded={isOpen}
        aria-controls={PANEL_ID}
        onClick={toggle}
        onKeyDown={onKeyDown}
      >
        {isOpen ? <CloseIcon size={24} /> : <ChatIcon />}
      </button>
    </div>
  );
}
