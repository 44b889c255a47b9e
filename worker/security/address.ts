/**
 * Which hosts a fetch made on a team's behalf may not reach: loopback, private, link-local, CGNAT, unique-local,
 * multicast and reserved addresses, and names that only mean something inside a network (`localhost`, `*.local`,
 * `*.internal` such as `metadata.google.internal`). IP literals are judged after the WHATWG URL parser has
 * normalised them, so `http://2130706433/`, `http://0x7f.1/` and `http://017700000001/` all arrive as `127.0.0.1`,
 * and IPv6 as its compressed form (`[::ffff:7f00:1]`). An address inside IPv6 (IPv4-mapped, NAT64, 6to4) is judged
 * as the IPv4 address it carries.
 *
 * What this cannot see: a public name whose DNS answer is private (Workers have no resolver API). Deployed, a
 * Worker's subrequests leave from Cloudflare's network, where RFC 1918 space is not routable, so that gap matters
 * only for a Worker run inside a private network (local dev), where the guard is off anyway.
 */

/** Null when the host may be fetched; otherwise why not. `hostname` as `URL.hostname` gives it. */
export function refusedHost(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) return refusedIpv6(host.slice(1, -1));
  const v4 = parseIpv4(host);
  if (v4) return refusedIpv4(v4);
  if (host === '') return 'an empty host';
  if (!host.includes('.')) return `a single-label host name (${host}) that only resolves inside a network`;
  for (const suffix of INTERNAL_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return `an internal host name (*.${suffix})`;
  }
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata host';
  return null;
}

// RFC 6761/6762/8375 special-use names, plus the suffixes clouds use for instance-internal names.
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'intranet', 'lan', 'corp'];
const METADATA_HOSTS = new Set(['metadata.goog', 'metadata.azure.com', 'instance-data.ec2.internal']);

type Ipv4 = readonly [number, number, number, number];

function parseIpv4(host: string): Ipv4 | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  return octets as unknown as Ipv4;
}

// [first address, prefix length, why]: IANA's special-purpose registry (RFC 6890 and successors).
const V4_BLOCKS: readonly [Ipv4, number, string][] = [
  [[0, 0, 0, 0], 8, 'a "this network" address'],
  [[10, 0, 0, 0], 8, 'a private address'],
  [[100, 64, 0, 0], 10, 'a carrier-grade NAT address'],
  [[127, 0, 0, 0], 8, 'a loopback address'],
  [[169, 254, 0, 0], 16, 'a link-local address (cloud metadata lives here)'],
  [[172, 16, 0, 0], 12, 'a private address'],
  [[192, 0, 0, 0], 24, 'an IETF protocol address'],
  [[192, 0, 2, 0], 24, 'a documentation address'],
  [[192, 88, 99, 0], 24, 'a 6to4 relay address'],
  [[192, 168, 0, 0], 16, 'a private address'],
  [[198, 18, 0, 0], 15, 'a benchmarking address'],
  [[198, 51, 100, 0], 24, 'a documentation address'],
  [[203, 0, 113, 0], 24, 'a documentation address'],
  [[224, 0, 0, 0], 4, 'a multicast address'],
  [[240, 0, 0, 0], 4, 'a reserved address'],
];

function refusedIpv4(address: Ipv4): string | null {
  const value = toUint32(address);
  for (const [base, prefix, why] of V4_BLOCKS) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((value & mask) >>> 0 === toUint32(base)) return why;
  }
  return null;
}

function toUint32([a, b, c, d]: Ipv4): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Eight 16-bit groups, or null when it is not an IPv6 address. */
function parseIpv6(text: string): number[] | null {
  let source = text.replace(/%.*$/, '');
  // A trailing dotted IPv4 (`::ffff:1.2.3.4`) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (dotted?.[1]) {
    const v4 = parseIpv4(dotted[1]);
    if (!v4) return null;
    source = `${source.slice(0, -dotted[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = source.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string | undefined) => (half ? half.split(':') : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => Number.parseInt(group, 16));
}

function refusedIpv6(text: string): string | null {
  const groups = parseIpv6(text);
  if (!groups) return 'an address that is not valid IPv6';
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded: Ipv4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  const firstSix = [g0, g1, g2, g3, g4, g5];
  if (groups.every((group) => group === 0)) return 'the unspecified address';
  if (firstSix.every((group) => group === 0) && g6 === 0 && g7 === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (deprecated compatible), 64:ff9b::a.b.c.d (NAT64): judge the IPv4 inside.
  const mapped = [g0, g1, g2, g3, g4].every((group) => group === 0) && (g5 === 0xffff || g5 === 0);
  const nat64 = g0 === 0x64 && g1 === 0xff9b && [g2, g3, g4, g5].every((group) => group === 0);
  if (mapped || nat64) return refusedIpv4(embedded) ?? null;
  if (g0 === 0x2002) return refusedIpv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]);
  if ((g0 & 0xfe00) === 0xfc00) return 'a unique-local address';
  if ((g0 & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g0 & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((g0 & 0xff00) === 0xff00) return 'a multicast address';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'a documentation address';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'a discard-only address';
  return null;
}
