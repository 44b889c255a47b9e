/**
 * The dashboard's credentials until sign-in exists: an API key, taken from the URL fragment (`#key=prl_…`, which
 * browsers never send to servers) or typed in, then kept in sessionStorage for this tab only.
 */
import { signal } from '@preact/signals';

export const API_KEY_PREFIX = 'prl_';
const STORAGE_KEY = 'parley.apiKey';

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // Storage disabled: the key lives in memory until the tab closes.
  }
}

function store(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // See readStored.
  }
}

/** Takes `key` out of the fragment and the address bar (and so out of the history and of screenshots). */
function takeKeyFromFragment(): string | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('key')?.trim();
  if (!params.has('key')) return null;
  params.delete('key');
  const rest = params.toString();
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  return key || null;
}

function initialKey(): string | null {
  const fromFragment = takeKeyFromFragment();
  if (fromFragment) store(fromFragment);
  return fromFragment ?? readStored();
}

export const apiKey = signal<string | null>(initialKey());

// A new `#key=` link opened in a tab that already shows the dashboard changes only the fragment: no reload.
addEventListener('hashchange', () => {
  const key = takeKeyFromFragment();
  if (key) setKey(key);
});

/** Why the key form is showing again (a rejected key), if there is a reason. */
export const signInProblem = signal<string | null>(null);

/** Returns a message when `key` cannot be an API key, so the form can say so without a round trip. */
export function checkKeyFormat(key: string): string | null {
  if (!key) return 'Enter an API key.';
  if (!key.startsWith(API_KEY_PREFIX)) return `Parley API keys start with "${API_KEY_PREFIX}".`;
  if (/\s/.test(key)) return 'API keys contain no spaces.';
  return null;
}

export function setKey(key: string): void {
  store(key);
  signInProblem.value = null;
  apiKey.value = key;
}

export function forgetKey(problem: string | null = null): void {
  store(null);
  signInProblem.value = problem;
  apiKey.value = null;
}

/** `prl_abc123…`: enough to tell keys apart, never the whole secret on screen. */
export function maskKey(key: string): string {
  return `${key.slice(0, API_KEY_PREFIX.length + 6)}…`;
}
