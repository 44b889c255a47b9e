/** What this needs of a Hono app: the routes it registered. */
interface Routed {
  routes: readonly { method: string; path: string }[];
}

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

/** A Hono path (`/api/v1/chatbots/:idOrSlug`, `/webhooks/*`) as a regular expression over request paths. */
function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

const patterns = new WeakMap<object, RoutePattern[]>();

/**
 * The methods `app` answers on `path` (for a 405's `Allow`, RFC 9110 §15.5.6), derived from its registered routes:
 * middleware (`ALL`) is left out, and HEAD comes with GET as Hono answers it. Empty when no route has the path.
 */
export function allowedMethods(app: Routed, path: string): string[] {
  let routes = patterns.get(app);
  if (!routes) {
    routes = app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ method: route.method.toUpperCase(), pattern: toPattern(route.path) }));
    patterns.set(app, routes);
  }
  const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
