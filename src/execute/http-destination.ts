// Where an `http:` check may connect: the URL's host, resolved to every address it has, each judged
// (net/address-kind.ts) against the policy's `checks.allow_hosts`. The connection then uses only these
// addresses (pinned through the request's `lookup`), so a second DNS answer cannot send it elsewhere.
import { lookup } from 'node:dns/promises';
import { addressKind, isMetadataName, parseAddress, type AddressKind } from '../net/address-kind.ts';
import { allows, canonicalHost, type AllowList } from '../net/allow-hosts.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address of a host name, in the resolver's order. */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/** The system resolver, as a connection would use it (getaddrinfo: /etc/hosts, then DNS). */
export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export type Destination =
  { allowed: true; addresses: ResolvedAddress[] } | { allowed: false; reason: string };

const FIELD = "the policy's `checks.allow_hosts`";

/** The addresses a check of this URL may connect to, or why it may not connect at all. */
export async function vetDestination(
  url: URL,
  allowList: AllowList,
  resolve: HostResolver,
): Promise<Destination> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { allowed: false, reason: `refused: ${url.protocol} is not http: or https:` };
  }
  const host = canonicalHost(url.hostname);
  const literal = parseAddress(host);
  if (literal) {
    const kind = addressKind(literal);
    if (!kind.internal || allows(allowList, host, kind)) {
      return { allowed: true, addresses: [{ address: host, family: literal.kind() === 'ipv4' ? 4 : 6 }] };
    }
    return { allowed: false, reason: refusal(host, host, kind, true) };
  }
  const metadataName = isMetadataName(host);
  if (metadataName && !allowList.some((entry) => entry.kind === 'name' && entry.name === host)) {
    return {
      allowed: false,
      reason: `refused: host ${host} names a cloud metadata service; ${FIELD} lets a check reach it only by listing exactly ${host}`,
    };
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) return { allowed: false, reason: `host ${host} resolves to no address` };
  for (const { address } of addresses) {
    const ip = parseAddress(address);
    if (!ip)
      return { allowed: false, reason: `host ${host} resolves to \`${address}\`, which is not an address` };
    const kind = addressKind(ip);
    if (kind.internal && !allows(allowList, host, kind, metadataName)) {
      return { allowed: false, reason: refusal(host, address, kind, false) };
    }
  }
  return { allowed: true, addresses };
}

/** Why a check may not reach this address; the fix names the entry that would allow it. */
function refusal(host: string, address: string, kind: AddressKind, literal: boolean): string {
  const what = literal ? `host ${host} is an internal address` : `host ${host} resolves to ${address}`;
  // An IPv4-mapped address is allowed by its IPv4 form.
  const entry = kind.ip.toString();
  const fix = kind.metadata
    ? `${FIELD} lets a check reach it only by listing exactly ${entry}`
    : `checks reach only public addresses unless ${FIELD} lists ${literal ? entry : `the host or its address (${host} or ${entry})`}`;
  return `refused: ${what} (${kind.internal}); ${fix}`;
}
