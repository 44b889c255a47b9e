/**
 * Client-side routing on the URL fragment (`/dashboard/#/chatbots/abc`): the Worker serves one static
 * index.html, and a fragment never reaches the server, so every deep link works without server routes.
 */
import { signal } from '@preact/signals';

export interface Route {
  /** Path segments after `#/`: `#/chatbots/abc` → ['chatbots', 'abc']. */
  segments: string[];
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

export const route = signal<Route>(parse(location.hash));

addEventListener('hashchange', () => {
  route.value = parse(location.hash);
});

/** `href` for a dashboard location: href('chatbots', id) → '#/chatbots/<id>'. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(target: string): void {
  if (location.hash === target) route.value = parse(target);
  else location.hash = target;
}

/** Replaces the query part of the current location (filters), without a new history entry per keystroke. */
export function setParams(params: Record<string, string | null | undefined>): void {
  const next = new URLSearchParams(route.value.params);
  for (const [key, value] of Object.entries(params)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const path = route.value.segments.map(encodeURIComponent).join('/');
  const search = next.toString();
  history.replaceState(history.state, '', `#/${path}${search ? `?${search}` : ''}`);
  route.value = parse(location.hash);
}
