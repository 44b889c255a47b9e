/** The widget's single state object (one widget per page); every change re-renders the shadow root. */
import type { WidgetAppearance, WidgetChatbot } from '../../worker/widget/api-schemas.ts';
import { type Attachment, empty, type Transcript } from './reducer';

/** The chatbot as the session presents it, every widget setting filled in (worker/widget/settings.ts). */
export type Bot = WidgetChatbot;
export type Look = WidgetAppearance;

export interface State {
  open: boolean;
  t: Transcript;
  net: 'idle' | 'connecting' | 'online' | 'offline';
  bot: Bot | null;
  /** A transient problem to show above the composer (rate limit, upload refused…). */
  notice: string;
  files: Attachment[];
  uploading: boolean;
  /** What the ARIA live region announces: each bot reply once it is complete. */
  live: string;
  locale: string;
}

export let state: State = {
  open: false,
  t: empty,
  net: 'idle',
  bot: null,
  notice: '',
  files: [],
  uploading: false,
  live: '',
  locale: 'en',
};

let paint: () => void = () => {};
export const onPaint = (fn: () => void) => {
  paint = fn;
};

export function set(change: Partial<State>): void {
  state = { ...state, ...change };
  paint();
}

/** Emits a `Parley.on` event; the handlers live in widget.js (main.tsx), which hands this over at boot. */
export let emit: (name: string, payload?: unknown) => void = () => {};
export const setEmit = (fn: typeof emit) => {
  emit = fn;
};
