import type { McpServerRow } from './auth-types.ts';
import type { AuthorizationCode } from './oauth-provider.ts';

/** What one refresh gave: the access token, the auth it came with and the row as it was stored (or left) after it. */
export interface Refreshed {
  token: string;
  auth: AuthorizationCode;
  row: McpServerRow;
}

/**
 * Servers rotate refresh tokens (OAuth 2.1 §4.3.1): a refresh token works once, so two refreshes with the same one
 * have the second refused. Every connection of this isolate that holds the same refresh token therefore shares one
 * exchange (a single flight, keyed by team, server and that refresh token), and one that comes after it adopts what
 * it gave instead of presenting the spent token. Memory only, never stored or logged, like the client credentials'
 * token cache; bounded because an isolate serves many teams.
 */
const flights = new Map<string, Promise<Refreshed>>();
const spent = new Map<string, Refreshed>();
/** Refreshes remembered per isolate: one per server in use, as many as the token cache keeps (oauth.ts). */
const MAX_REMEMBERED = 500;

const keyOf = (row: McpServerRow, refreshToken: string) => `${row.teamId}:${row.id}:${refreshToken}`;

/** Runs `exchange` unless this isolate is already exchanging `refreshToken` for this server: then joins it. */
export function singleFlight(
  row: McpServerRow,
  refreshToken: string,
  exchange: () => Promise<Refreshed>,
): Promise<Refreshed> {
  const key = keyOf(row, refreshToken);
  const running = flights.get(key);
  if (running) return running;
  const flight = exchange().finally(() => flights.delete(key));
  flights.set(key, flight);
  flight.then(
    (result) => {
      if (!spent.has(key) && spent.size >= MAX_REMEMBERED) spent.delete(spent.keys().next().value as string);
      spent.set(key, result);
    },
    () => {},
  );
  return flight;
}

/** What an earlier refresh of this isolate gave for a refresh token that is spent now, if one did. */
export function refreshedFrom(row: McpServerRow, refreshToken: string): Refreshed | undefined {
  return spent.get(keyOf(row, refreshToken));
}

/** Forgets every refresh (tests: another isolate, which shares nothing with this one but the stored row). */
export function forgetRefreshes(): void {
  flights.clear();
  spent.clear();
}
