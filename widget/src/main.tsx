/**
 * The embeddable chat widget. A host page adds:
 *
 *   <script src="https://<parley-host>/widget.js" data-key="wk_…" async></script>
 *
 * It mounts itself in a shadow root on a `<parley-widget>` element at the end of <body> (host CSS cannot reach it),
 * talks to the script's own origin, and exposes `window.Parley` (see widget/README.md).
 */
import { render } from 'preact';
import { configure, context, type Identity, identify, send, start } from './client';
import { addLocale, hasStrings, type Key, pickLocale } from './i18n';
import { emit, on, onPaint, set, state } from './store';
import { refs, Widget } from './Widget';

performance.mark('parley:start');
const script = (document.currentScript ??
  document.querySelector('script[data-key][src*="widget.js"]')) as HTMLScriptElement | null;
const data = script?.dataset ?? {};
let overrides: Partial<Record<Key, string>> = {};
let forced = data.locale;

const api = script?.src ? new URL(script.src).origin : location.origin;
const requested: Record<string, 1> = {};

/** The UI language; a translation other than English loads once, on demand, from /widget-l10n/<code>.js. */
function locale(): string {
  const code = pickLocale([forced, state.bot?.widget?.locale, ...navigator.languages]);
  if (!hasStrings(code) && !requested[code]) {
    requested[code] = 1;
    const tag = document.createElement('script');
    tag.src = `${api}/widget-l10n/${code}.js`;
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

function mount(): void {
  // Embedding the snippet twice must not produce two launchers.
  if (document.querySelector('parley-widget')) return;
  const host = document.createElement('parley-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  document.body.appendChild(host);
  onPaint(() => {
    const log = refs.log;
    const stick = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    state.locale = locale();
    render(<Widget actions={actions} overrides={overrides} />, shadow);
    if (stick && log) log.scrollTop = log.scrollHeight;
  });
  set({});
  performance.mark('parley:launcher');
  if (configure(api, data.key?.trim() ?? '', forced)) start();
}

window.Parley = {
  open,
  close,
  toggle: actions.toggle,
  sendMessage: (text: string) => {
    open();
    return send(text);
  },
  identify,
  setContext: (fields: Record<string, string | number | boolean>) => {
    context.fields = { ...context.fields, ...fields };
  },
  setLocale: (value: string) => {
    forced = value;
    set({});
  },
  setStrings: (value: Partial<Record<Key, string>>) => {
    overrides = value;
    set({});
  },
  on,
  l10n: (code: string, line: string) => {
    addLocale(code, line);
    set({});
  },
};

declare global {
  interface Window {
    Parley: {
      open(): void;
      close(): void;
      toggle(): void;
      sendMessage(text: string): Promise<void>;
      identify(identity: Identity): Promise<void>;
      setContext(fields: Record<string, string | number | boolean>): void;
      setLocale(locale: string): void;
      setStrings(strings: Partial<Record<Key, string>>): void;
      on(event: 'message' | 'open' | 'close', fn: (payload: unknown) => void): () => void;
      /** Called by /widget-l10n/<code>.js. */
      l10n(code: string, line: string): void;
    };
  }
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
