// The policy's `checks.allow_hosts`: which internal destinations `http:` checks may reach. An entry is a
// host name (`health.internal.example`), every name under a domain (`*.svc.cluster.local`), an IP
// address (`10.0.0.5`, `fd00::1`) or a CIDR range (`10.0.0.0/8`). Names match the host as the check's
// URL writes it; addresses and ranges match every address it resolves to. A cloud metadata endpoint is
// let through only by an entry naming exactly its address (or its metadata host name), never by a
// wider range, a wildcard or another name that happens to resolve to it.
import ipaddr from 'ipaddr.js';
import type { AddressKind, IpAddress } from './address-kind.ts';

export type AllowEntry =
  | { kind: 'name'; name: string }
  | { kind: 'domain'; suffix: string }
  | { kind: 'range'; network: IpAddress; bits: number };

export type AllowList = readonly AllowEntry[];

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
/** What WHATWG URLs read as an IPv4 address when it ends a host: `10`, `0x0a`, `1.2.3`. */
const NUMERIC_LABEL = /^(0x[0-9a-f]*|\d+)$/;

const FORMS =
  'a host name (health.internal.example), *. and a domain (*.svc.cluster.local), an IP address (10.0.0.5, fd00::1) or a CIDR range (10.0.0.0/8)';

/** A host as URLs and entries compare: lower case, without a final dot or IPv6 brackets. */
export function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[') && lower.endsWith(']')) return lower.slice(1, -1);
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** One entry as written, or why it is not one. */
export function parseAllowEntry(text: string): AllowEntry | { problem: string } {
  const entry = text.trim();
  if (/:\/\/|[?#@]/.test(entry) || /^[^:]*:\d+$/.test(entry) || /^\[.*\]:\d+$/.test(entry)) {
    return { problem: `\`${text}\` is not a host: write the host alone, without scheme, port or path` };
  }
  if (entry.includes('/')) return rangeEntry(entry, text);
  const bare = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
  if (bare.includes(':')) {
    return ipaddr.IPv6.isValid(bare) && !bare.includes('%')
      ? { kind: 'range', network: ipaddr.IPv6.parse(bare), bits: 128 }
      : { problem: `\`${text}\` is not an IPv6 address (write fd00::1, without a zone)` };
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(entry)) {
    return { kind: 'range', network: ipaddr.IPv4.parse(entry), bits: 32 };
  }
  const wildcard = entry.startsWith('*.');
  const name = canonicalHost(wildcard ? entry.slice(2) : entry);
  const labels = name.split('.');
  if (NUMERIC_LABEL.test(labels[labels.length - 1]!)) {
    return { problem: `\`${text}\` reads as an IPv4 address: write it as four decimal numbers (10.0.0.5)` };
  }
  if (name.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return { problem: `\`${text}\` is not ${FORMS}` };
  }
  return wildcard ? { kind: 'domain', suffix: name } : { kind: 'name', name };
}

function rangeEntry(entry: string, text: string): AllowEntry | { problem: string } {
  const valid = entry.includes(':')
    ? ipaddr.IPv6.isValidCIDR(entry)
    : ipaddr.IPv4.isValidCIDRFourPartDecimal(entry);
  if (!valid) return { problem: `\`${text}\` is not a CIDR range such as 10.0.0.0/8 or fd00::/8` };
  const [network, bits] = ipaddr.parseCIDR(entry);
  return { kind: 'range', network, bits };
}

/** The entries of a list already checked by the policy (an entry that is not one is left out). */
export function allowList(entries: readonly string[]): AllowList {
  return entries.flatMap((text) => {
    const entry = parseAllowEntry(text);
    return 'problem' in entry ? [] : [entry];
  });
}

/**
 * Whether the list lets a check reach this internal address under this host name. `host` is canonical
 * (canonicalHost); for a URL that writes an address, it is that address and only addresses apply.
 */
export function allows(list: AllowList, host: string, address: AddressKind, hostIsMetadata = false): boolean {
  if (address.metadata || hostIsMetadata) {
    return list.some(
      (entry) =>
        (entry.kind === 'name' && hostIsMetadata && entry.name === host) ||
        (entry.kind === 'range' && entry.bits === fullBits(entry.network) && inRange(entry, address.ip)),
    );
  }
  return list.some((entry) => {
    switch (entry.kind) {
      case 'name':
        return entry.name === host;
      case 'domain':
        return host.endsWith(`.${entry.suffix}`);
      case 'range':
        return inRange(entry, address.ip);
    }
  });
}

function fullBits(ip: IpAddress): number {
  return ip.kind() === 'ipv4' ? 32 : 128;
}

function inRange(entry: { network: IpAddress; bits: number }, ip: IpAddress): boolean {
  return entry.network.kind() === ip.kind() && ip.match(entry.network, entry.bits);
}
