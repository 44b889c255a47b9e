/**
 * widget-ui.js: the chat UI that widget.js (main.tsx) loads on demand. It takes over the launcher's element in the
 * shadow root, renders the Preact UI there (in one task, so no frame shows it empty) and resumes a saved
 * conversation. See boot.ts for what the two scripts share.
 */
import { render } from 'preact';
import type { Boot, Ui } from './boot';
import { configure, context, identify, restore, send, start } from './client';
import { addLocale, hasStrings, pickLocale } from './i18n';
import { emit, onPaint, set, setEmit, state } from './store';
import { refs, Widget } from './Widget';

function init(boot: Boot): Ui {
  configure(boot.api, boot.key, boot.forced);
  setEmit(boot.emit);
  // One context object from now on: what Parley.setContext set before, and sets later, is sent with messages.
  context.fields = boot.context.fields;
  boot.context = context;
  const requested: Record<string, 1> = {};

  /** The UI language; a translation other than English loads once, on demand, from /widget-l10n/<code>.js. */
  function locale(): string {
    const code = pickLocale([boot.forced, state.bot?.widget?.locale, ...navigator.languages]);
    if (!hasStrings(code) && !requested[code]) {
      requested[code] = 1;
      const tag = document.createElement('script');
      tag.src = `${boot.api}/widget-l10n/${code}.js`;
      tag.async = true;
      document.head.appendChild(tag);
    }
    return code;
  }

  function open(): void {
    if (state.open) return;
    set({ open: true });
    refs.input?.focus();
    emit('open');
    start();
  }

  function close(): void {
    if (!state.open) return;
    set({ open: false });
    refs.launcher?.focus();
    emit('close');
  }

  const actions = { toggle: () => (state.open ? close() : open()), close };
  const root = boot.root;
  const hadFocus = !!(root.getRootNode() as ShadowRoot).activeElement;
  root.replaceChildren();
  onPaint(() => {
    const log = refs.log;
    const stick = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    state.locale = locale();
    render(<Widget actions={actions} overrides={boot.overrides} />, root);
    if (stick && log) log.scrollTop = log.scrollHeight;
  });
  set({});
  // A keyboard user on the plain-DOM launcher stays on the launcher that replaced it.
  if (hadFocus) refs.launcher?.focus();
  performance.mark('parley:ready');
  if (restore()) start();
  return {
    open,
    close,
    toggle: actions.toggle,
    send: (text) => {
      open();
      return send(text);
    },
    identify,
    repaint: () => set({}),
    l10n: (code, line) => {
      addLocale(code, line);
      set({});
    },
  };
}

window.Parley?._b?.arrive(init);
