import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { Env } from '../env.ts';
import { refusedHost } from './address.ts';

/** Redirects followed before giving up (browsers allow 20; an API call that needs more than 5 is misconfigured). */
export const MAX_REDIRECTS = 5;

/** A fetch the guard refused: not retryable, and its message names the URL and the rule. */
export class OutboundRefused extends NodeError {
  constructor(message: string) {
    super(message, false);
    this.name = 'OutboundRefused';
  }
}

/**
 * Fetch for calls made on a team's behalf (HTTP nodes, the code node's `http`, custom actions). Unless the
 * deployment is local (`ALLOW_PRIVATE_OUTBOUND=true`, which `npm start`, the e2e harness and the test config set so
 * fake servers on 127.0.0.1 answer), it refuses non-HTTP schemes and private, loopback, link-local and internal
 * hosts (./address.ts). Redirects are followed by hand, at most MAX_REDIRECTS, and every hop is checked again: a
 * public URL that redirects to `http://169.254.169.254/` is refused like the address itself. `Authorization` and
 * `Cookie` are dropped when a redirect leaves the origin, as browsers do.
 */
export function outboundFetch(env: Env): typeof fetch {
  const allowPrivate = env.ALLOW_PRIVATE_OUTBOUND === 'true';
  return async (input, init) => {
    let request: Request = new Request(input, init);
    const follow = init?.redirect ?? (input instanceof Request ? input.redirect : 'follow');
    for (let hop = 0; ; hop++) {
      checkUrl(request.url, allowPrivate);
      const response = await fetch(request.clone() as Request, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null || follow === 'manual') return response;
      if (follow === 'error')
        throw new OutboundRefused(`${describeUrl(request.url)} redirected, and redirects were refused`);
      if (hop >= MAX_REDIRECTS)
        throw new OutboundRefused(`${describeUrl(request.url)} redirected more than ${MAX_REDIRECTS} times`);
      await response.body?.cancel();
      request = redirected(request, new URL(location, request.url), response.status);
    }
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function checkUrl(raw: string, allowPrivate: boolean): void {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefused(`refused to fetch ${describeUrl(raw)}: only http and https URLs may be fetched`);
  if (allowPrivate) return;
  const why = refusedHost(url.hostname);
  if (why)
    throw new OutboundRefused(
      `refused to fetch ${describeUrl(raw)}: ${url.hostname} is ${why}; private and internal addresses are not reachable from a deployed chatbot`,
    );
}

/** The next hop: 303 (and 301/302 after a POST, as browsers do) turn into a GET without a body. */
function redirected(previous: Request, next: URL, status: number): Request {
  const headers = new Headers(previous.headers);
  if (next.origin !== new URL(previous.url).origin) {
    headers.delete('authorization');
    headers.delete('cookie');
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  if (toGet) {
    headers.delete('content-type');
    headers.delete('content-length');
    return new Request(next, { method: previous.method === 'HEAD' ? 'HEAD' : 'GET', headers, signal: previous.signal });
  }
  return new Request(next, { method: previous.method, headers, body: previous.body, signal: previous.signal });
}

/** The URL without its query and credentials: a query may carry a secret (`?api_key=`), and errors are stored. */
function describeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'the URL';
  }
}
