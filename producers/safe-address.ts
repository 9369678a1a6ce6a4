import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

/**
 * Where a crawl may connect. A crawler fetches URLs strangers wrote, so it must not be turned on
 * the network it runs in: every host is resolved and an address in a loopback, private, link-local
 * (169.254.169.254 is the cloud metadata service), unique-local, CGNAT, multicast or reserved range
 * is refused, unless an allow-list entry names the host (or `host:port`). The check runs in the
 * connection's own DNS lookup, so the address checked is the address connected to (no rebinding).
 */

/** Comma-separated allow-list: `intranet.example.org`, `10.0.0.7`, `127.0.0.1:8080`. */
export const CRAWL_ALLOW_ENV = 'DOCQ_CRAWL_ALLOW_HOSTS';

/** Ranges ipaddr.js names that are not the public internet. */
const REFUSED_RANGES = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
  'uniqueLocal',
  'ipv4Mapped',
  'rfc6145',
  'rfc6052',
  '6to4',
  'teredo',
  'benchmarking',
  'amt',
  'as112',
  'deprecated',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
]);

export function allowList(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return (env[CRAWL_ALLOW_ENV] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** Why an address is refused, or null when it is a public one. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return REFUSED_RANGES.has(range) ? range : null;
}

function isAllowed(host: string, port: string, allow: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allow.includes(h) || allow.includes(`${h}:${port}`);
}

/** Thrown by the lookup when a host resolves to a refused address; fetch reports it as its cause. */
export class RefusedAddressError extends Error {
  constructor(host: string, address: string, range: string) {
    super(`${host} resolves to ${address} (${range}), which a crawl may not reach; ${CRAWL_ALLOW_ENV} can allow it`);
    this.name = 'RefusedAddressError';
  }
}

/** A refusal of the URL's host before any connection (IP literals, allow-list), or null. */
export function refuseLiteral(url: URL, allow: readonly string[] = allowList()): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} is not http or https`;
  if (isAllowed(host, port, allow) || !ipaddr.isValid(host)) return null;
  const range = refusedRange(host);
  return range === null ? null : new RefusedAddressError(host, host, range).message;
}

/** An undici dispatcher whose DNS lookups refuse non-public addresses not on the allow-list. */
export function safeDispatcher(fixed?: readonly string[]): Agent {
  const lookup = ((hostname: string, options: LookupOptions, callback: LookupCallback) => {
    const allow = fixed ?? allowList(); // read per lookup: the setting may change while a process runs
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      // The port is not known here: a host allowed with any port passes, `host:port` entries are checked before.
      const allowedHost = allow.some((a) => a === hostname.toLowerCase() || a.startsWith(`${hostname.toLowerCase()}:`));
      for (const a of addresses) {
        const range = allowedHost ? null : refusedRange(a.address);
        if (range !== null) return callback(new RefusedAddressError(hostname, a.address, range), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname}: no address`), []);
    });
  }) as unknown as LookupFunction;
  return new Agent({ connect: { lookup } });
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
