/**
 * widget.js, the script a host page embeds:
 *
 *   <script src="https://<parley-host>/widget.js" data-key="wk_…" async></script>
 *
 * It mounts a `<parley-widget>` element at the end of <body> with an open shadow root (host CSS cannot reach it),
 * draws the launcher from plain DOM and exposes `window.Parley` (see widget/README.md). The chat UI itself (Preact,
 * the connection) is widget-ui.js (app.tsx), loaded when the visitor shows intent (pointer over or focus on the
 * launcher), opens the chat, calls the API, or already has a conversation in this browser: the launcher is on screen
 * without waiting for it, and pages where nobody chats never download it (bench/README.md, launcher cold load).
 */
import type { Boot, ParleyApi, Ui } from './boot';
import { DEFAULT_ACCENT, inkOn } from './contrast';
import { pickLocale, strings } from './i18n';
import { paths } from './icon-paths';
import styles from './widget.css';

performance.mark('parley:start');
const script = (document.currentScript ??
  document.querySelector('script[data-key][src*="widget.js"]')) as HTMLScriptElement | null;
const data = script?.dataset ?? {};
const api = script?.src ? new URL(script.src).origin : location.origin;
const handlers: Record<string, Set<(payload: unknown) => void>> = {};

let mounted!: () => void;
let arrived!: (init: (boot: Boot) => Ui) => void;
const whenMounted = new Promise<void>((ok) => {
  mounted = ok;
});
const whenArrived = new Promise<(boot: Boot) => Ui>((ok) => {
  arrived = ok;
});
let ui: Promise<Ui> | undefined;

const boot: Boot = {
  api,
  key: data.key?.trim() ?? '',
  forced: data.locale,
  overrides: {},
  context: { fields: {} },
  root: document.createElement('div'),
  emit(name, payload) {
    for (const fn of handlers[name] ?? []) fn(payload);
  },
  arrive: (init) => arrived(init),
};

/** Loads the chat UI once; it starts when both it has arrived and the launcher is mounted. */
function load(): Promise<Ui> {
  if (!ui) {
    const tag = document.createElement('script');
    tag.src = `${api}/widget-ui.js`;
    tag.async = true;
    document.head.appendChild(tag);
    ui = Promise.all([whenArrived, whenMounted]).then(([init]) => init(boot));
  }
  return ui;
}

const Parley: ParleyApi = {
  open: () => void load().then((u) => u.open()),
  close: () => void ui?.then((u) => u.close()),
  toggle: () => void load().then((u) => u.toggle()),
  sendMessage: (text) => load().then((u) => u.send(text)),
  identify: (who) => load().then((u) => u.identify(who)),
  setContext: (fields) => {
    boot.context.fields = { ...boot.context.fields, ...fields };
  },
  setLocale: (value) => {
    boot.forced = value;
    ui?.then((u) => u.repaint());
  },
  setStrings: (value) => {
    boot.overrides = value;
    ui?.then((u) => u.repaint());
  },
  on: (name, fn) => {
    handlers[name] ??= new Set();
    handlers[name].add(fn);
    return () => handlers[name]?.delete(fn);
  },
  l10n: (code, line) => void ui?.then((u) => u.l10n(code, line)),
  _b: boot,
};
window.Parley = Parley;

/** A conversation kept in this browser (client.ts saves it) is resumed at load, as before the split. */
function resume(): void {
  try {
    if ((JSON.parse(localStorage.getItem(`parley:${boot.key}`) ?? '{}') as { c?: string }).c) load();
  } catch {}
}

function mount(): void {
  // Embedding the snippet twice must not produce two launchers.
  if (document.querySelector('parley-widget')) return;
  const host = document.createElement('parley-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  // The same markup and stylesheet the Preact UI renders before any session (Widget.tsx), so the swap is invisible.
  const label = strings(pickLocale([boot.forced, ...navigator.languages])).open;
  shadow.innerHTML = `<style>${styles}</style><div><div class="p" style="--a:${DEFAULT_ACCENT};--i:${inkOn(DEFAULT_ACCENT)}"><button type="button" class="launcher" aria-label="${label}" aria-expanded="false" aria-controls="pp"><svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="${paths.chat}"/></svg></button></div></div>`;
  boot.root = shadow.lastChild as HTMLElement;
  const button = shadow.querySelector('button') as HTMLButtonElement;
  button.onclick = Parley.toggle;
  button.onpointerenter = button.onfocus = () => void load();
  document.body.appendChild(host);
  performance.mark('parley:launcher');
  mounted();
  // localStorage waits until after the frame that paints the launcher: a page's first access can block for ms.
  requestAnimationFrame(() => setTimeout(resume));
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
