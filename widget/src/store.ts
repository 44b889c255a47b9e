/** The widget's single state object (one widget per page); every change re-renders the shadow root. */
import { type Attachment, empty, type Transcript } from './reducer';

export interface Look {
  title?: string;
  subtitle?: string;
  avatarUrl?: string;
  primaryColor?: string;
  position?: 'bottom-right' | 'bottom-left';
  launcherIcon?: 'chat' | 'help' | 'sparkles';
  theme?: 'light' | 'dark' | 'auto';
  locale?: string;
}

export interface Bot {
  id: string;
  name: string;
  welcomeMessage?: string;
  starterQuestions?: string[];
  widget?: Look;
}

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
