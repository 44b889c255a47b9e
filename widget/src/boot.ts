/**
 * The contract between widget.js (main.tsx: the launcher, `window.Parley`, event handlers) and the chat UI it loads
 * on demand (app.tsx → widget-ui.js: Preact, the connection, the transcript). Types only: no code is shared at run
 * time except through `window.Parley._b`.
 */
import type { Identity } from './client';
import type { Key } from './i18n';

/** What the UI can do once loaded. */
export interface Ui {
  open(): void;
  close(): void;
  toggle(): void;
  send(text: string): Promise<void>;
  identify(who: Identity): Promise<void>;
  /** Re-renders after Parley.setLocale / setStrings. */
  repaint(): void;
  l10n(code: string, line: string): void;
}

export interface Boot {
  /** Origin of the Parley host that served widget.js. */
  api: string;
  key: string;
  /** data-locale or Parley.setLocale. */
  forced?: string;
  overrides: Partial<Record<Key, string>>;
  /** Parley.setContext's fields; the UI adopts this object as the one sent with every message. */
  context: { fields: Record<string, string | number | boolean> };
  /** The element in the shadow root the UI renders into (it holds the plain-DOM launcher until then). */
  root: HTMLElement;
  emit(name: string, payload?: unknown): void;
  /** Called by widget-ui.js when it has run: widget.js then starts it once the launcher is mounted. */
  arrive(init: (boot: Boot) => Ui): void;
}

export interface ParleyApi {
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
  _b: Boot;
}

declare global {
  interface Window {
    Parley: ParleyApi;
  }
}
