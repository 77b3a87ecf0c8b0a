// What kind of destination an IP address is: public, or one of the internal kinds `http:` checks must
// not reach unless the policy allows them (loopback, link-local, private, unique local, cloud metadata).
// The ranges are ipaddr.js's; IPv4 written inside IPv6 (mapped, NAT64) is judged as that IPv4 address.
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface AddressKind {
  /** The address as judged: IPv4-mapped IPv6 as its IPv4 form. */
  ip: IpAddress;
  /** Undefined for a public address; otherwise what it is, for messages (`private, RFC 1918`). */
  internal?: string;
  /** A cloud metadata endpoint: the policy allows it only by naming it exactly. */
  metadata: boolean;
}

/** Instance metadata and platform endpoints of the clouds runners live in (AWS, ECS/EKS, Alibaba, Azure). */
const METADATA_ADDRESSES = new Set(
  [
    '169.254.169.254',
    '169.254.170.2',
    '169.254.170.23',
    'fd00:ec2::254',
    'fd00:ec2::23',
    '100.100.100.200',
    '168.63.129.16', // Azure's wire server: a public-looking address that answers only inside Azure VMs
  ].map((text) => ipaddr.parse(text).toNormalizedString()),
);

/** Names of metadata services, refused before they are even resolved (GCE, AWS). */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'shared address space, RFC 6598',
  private: 'private, RFC 1918',
  uniqueLocal: 'unique local, fc00::/7',
  deprecatedSiteLocal: 'site-local, fec0::/10',
  rfc6145: 'IPv4-translated, ::ffff:0:0:0/96',
  '6to4': '6to4, 2002::/16',
  teredo: 'Teredo, 2001::/32',
};

const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** The address of a URL host or a resolver answer (`[::1]` brackets allowed); undefined for a name. */
export function parseAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // ipaddr.js also reads `0x7f.1` and `2130706433`; URLs arrive normalised, names never parse here.
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

export function addressKind(address: IpAddress): AddressKind {
  const ip = isIpv6(address) && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
  if (isIpv6(ip) && ip.match(NAT64)) {
    // DNS64 networks reach public IPv4 hosts this way: judge the IPv4 address it carries.
    const embedded = addressKind(ipaddr.fromByteArray(ip.toByteArray().slice(12)));
    const internal = embedded.internal && `NAT64 form of ${embedded.ip.toString()}: ${embedded.internal}`;
    return { ip, metadata: embedded.metadata, ...(internal ? { internal } : {}) };
  }
  const metadata = METADATA_ADDRESSES.has(ip.toNormalizedString());
  const internal = metadata ? 'cloud metadata' : internalRange(ip);
  return { ip, metadata, ...(internal ? { internal } : {}) };
}

export function isMetadataName(host: string): boolean {
  return METADATA_NAMES.has(host);
}

function isIpv6(ip: IpAddress): ip is ipaddr.IPv6 {
  return ip.kind() === 'ipv6';
}

function internalRange(ip: IpAddress): string | undefined {
  const range = ip.range();
  if (range === 'unicast') {
    return isIpv6(ip) && ip.match(IPV4_COMPATIBLE) ? 'IPv4-compatible, ::/96' : undefined;
  }
  return RANGE_WORDS[range] ?? `reserved for special use: ${range}`;
}
