import type { Env } from '../env.ts';

/**
 * Fetch for calls made on a team's behalf (HTTP nodes, custom actions): in production it refuses private, loopback
 * and link-local addresses and re-checks every redirect. Placeholder: passes through until the guard lands.
 */
export function outboundFetch(_env: Env): typeof fetch {
  return (input, init) => fetch(input, init);
}
