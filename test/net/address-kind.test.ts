// Which addresses `http:` checks treat as internal: a table of the ranges and their tricky spellings
// (as URLs write them, normalised by the WHATWG parser as the request would be), then many addresses
// compared with Python's `ipaddress` (IANA's special-purpose registry), a second implementation.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addressKind, isMetadataName, parseAddress } from '../../src/net/address-kind.ts';
import { canonicalHost } from '../../src/net/allow-hosts.ts';

/** The kind of the host a URL connects to, as http-destination.ts reads it. */
function kindOfUrl(url: string) {
  const ip = parseAddress(canonicalHost(new URL(url).hostname));
  if (!ip) throw new Error(`${url} does not write an address`);
  return addressKind(ip);
}

describe('addresses checks may not reach', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback', '127.0.0.1'],
    ['http://127.255.1.2/', 'loopback', '127.255.1.2'],
    ['http://2130706433/', 'loopback', '127.0.0.1'],
    ['http://0x7f.1/', 'loopback', '127.0.0.1'],
    ['http://0x7f000001/', 'loopback', '127.0.0.1'],
    ['http://017700000001/', 'loopback', '127.0.0.1'],
    ['http://127.1/', 'loopback', '127.0.0.1'],
    ['http://%31%32%37.0.0.1/', 'loopback', '127.0.0.1'],
    ['http://[::1]/', 'loopback', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback', '::1'],
    ['http://[::ffff:127.0.0.1]/', 'loopback', '127.0.0.1'],
    ['http://[::ffff:7f00:1]/', 'loopback', '127.0.0.1'],
    ['http://0.0.0.0/', 'unspecified', '0.0.0.0'],
    ['http://0/', 'unspecified', '0.0.0.0'],
    ['http://[::]/', 'unspecified', '::'],
    ['http://169.254.1.1/', 'link-local', '169.254.1.1'],
    ['http://[fe80::1]/', 'link-local', 'fe80::1'],
    ['http://[febf::1]/', 'link-local', 'febf::1'],
    ['http://10.0.0.1/', 'private, RFC 1918', '10.0.0.1'],
    ['http://167772161/', 'private, RFC 1918', '10.0.0.1'],
    ['http://172.16.0.1/', 'private, RFC 1918', '172.16.0.1'],
    ['http://172.31.255.255/', 'private, RFC 1918', '172.31.255.255'],
    ['http://192.168.1.1/', 'private, RFC 1918', '192.168.1.1'],
    ['http://[::ffff:10.0.0.1]/', 'private, RFC 1918', '10.0.0.1'],
    ['http://100.64.0.1/', 'shared address space, RFC 6598', '100.64.0.1'],
    ['http://100.127.255.254/', 'shared address space, RFC 6598', '100.127.255.254'],
    ['http://[fc00::1]/', 'unique local, fc00::/7', 'fc00::1'],
    ['http://[fdff::1]/', 'unique local, fc00::/7', 'fdff::1'],
    ['http://[fec0::1]/', 'site-local, fec0::/10', 'fec0::1'],
    ['http://224.0.0.1/', 'multicast', '224.0.0.1'],
    ['http://[ff02::1]/', 'multicast', 'ff02::1'],
    ['http://255.255.255.255/', 'broadcast', '255.255.255.255'],
    ['http://[::7f00:1]/', 'IPv4-compatible, ::/96', '::7f00:1'],
    ['http://[2002:7f00:1::]/', '6to4, 2002::/16', '2002:7f00:1::'],
    ['http://[64:ff9b::a00:1]/', 'NAT64 form of 10.0.0.1: private, RFC 1918', '64:ff9b::a00:1'],
    ['http://[64:ff9b::127.0.0.1]/', 'NAT64 form of 127.0.0.1: loopback', '64:ff9b::7f00:1'],
    ['http://240.0.0.1/', 'reserved for special use: reserved', '240.0.0.1'],
  ])('%s is %s', (url, internal, address) => {
    const kind = kindOfUrl(url);
    expect(kind.internal).toBe(internal);
    expect(kind.ip.toString()).toBe(address);
    expect(kind.metadata).toBe(false);
  });

  it.each([
    'http://169.254.169.254/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://169.254.170.2/',
    'http://100.100.100.200/',
    'http://168.63.129.16/',
  ])('%s is a cloud metadata endpoint', (url) => {
    const kind = kindOfUrl(url);
    expect(kind.metadata).toBe(true);
    expect(kind.internal).toMatch(/cloud metadata/);
  });

  it.each(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data'])(
    '%s names a metadata service',
    (name) => expect(isMetadataName(canonicalHost(name))).toBe(true),
  );

  it.each([
    'http://8.8.8.8/',
    'http://140.82.112.3/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::808:808]/', // NAT64 of a public address: how DNS64 networks reach it
    'http://100.63.255.255/',
    'http://100.128.0.0/',
    'http://172.15.255.255/',
    'http://172.32.0.0/',
    'http://169.253.255.255/',
    'http://11.0.0.0/',
  ])('%s is public', (url) => {
    const kind = kindOfUrl(url);
    expect(kind.internal).toBeUndefined();
    expect(kind.metadata).toBe(false);
  });

  it('names are not addresses', () => {
    expect(parseAddress('localhost')).toBeUndefined();
    expect(parseAddress('health.example')).toBeUndefined();
  });
});

/** Addresses near the edges of every special range, and spread over the whole space. */
function sampleAddresses(): string[] {
  const v4 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
  const edges4 = [
    '0.0.0.0',
    '10.0.0.0',
    '100.64.0.0',
    '127.0.0.0',
    '169.254.0.0',
    '172.16.0.0',
    '192.0.0.0',
    '192.0.2.0',
    '192.88.99.0',
    '192.168.0.0',
    '198.18.0.0',
    '198.51.100.0',
    '203.0.113.0',
    '224.0.0.0',
    '240.0.0.0',
  ];
  const out = new Set<string>();
  for (const edge of edges4) {
    const base = edge.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    for (const delta of [-1, 0, 1, 255, 256, 65_535, 65_536, 4_194_303, 4_194_304, 16_777_215, 16_777_216]) {
      const n = base + delta;
      if (n >= 0 && n < 2 ** 32) out.add(v4(n));
    }
  }
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 2000; i++) out.add(v4(Math.floor(random() * 2 ** 32)));
  const hex = () => Math.floor(random() * 65_536).toString(16);
  const prefixes6 = [
    'fe80',
    'fc00',
    'fd00',
    'fec0',
    'ff02',
    '2001:db8',
    '2606:4700',
    '2a00:1450',
    '2404',
    '3000',
  ];
  for (const prefix of [...prefixes6, '64:ff9b', '2002', '2001:0', '100']) {
    for (let i = 0; i < 20; i++) out.add(`${prefix}::${hex()}:${hex()}`);
  }
  for (const v4address of ['127.0.0.1', '10.1.2.3', '8.8.8.8', '192.168.0.1', '100.64.1.1']) {
    out.add(`::ffff:${v4address}`);
  }
  out.add('::1');
  out.add('::');
  return [...out];
}

/** Where we are deliberately stricter than IANA's "globally reachable": ranges that reach inside a host. */
const STRICTER = [
  /^6to4, /, // 2002::/16 carries an IPv4 address to a relay
  /^IPv4-compatible/,
  /^NAT64 form of /, // judged by the IPv4 address it carries, which may be internal
  /^site-local/, // deprecated, still routed inside sites
  /^reserved for special use/, // 192.0.0.0/24, 192.88.99.0/24 and the like: nothing to check there
  /^cloud metadata/, // 168.63.129.16 is public in the registry, a host endpoint on Azure
  /^multicast/, // Python counts multicast as global; no HTTP server answers there
];

/** Python 3.11 judges `::ffff:a.b.c.d` by its IPv6 ranges: ask it about the IPv4 address meant. */
const asPythonReads = (address: string) => address.replace(/^::ffff:(?=\d+\.)/, '');

describe("compared with Python's ipaddress (IANA special-purpose registry)", () => {
  it('refuses every address that is not globally reachable, and public ones only for the reasons listed', () => {
    const addresses = sampleAddresses();
    const python = spawnSync(
      'python3',
      [
        '-c',
        'import ipaddress,sys\nfor a in sys.stdin.read().split(): print(ipaddress.ip_address(a).is_global)',
      ],
      { input: addresses.map(asPythonReads).join('\n'), encoding: 'utf8' },
    );
    expect(python.status, python.stderr).toBe(0);
    const global = python.stdout
      .trim()
      .split('\n')
      .map((line) => line === 'True');
    expect(global).toHaveLength(addresses.length);
    const disagreements: string[] = [];
    addresses.forEach((address, i) => {
      const kind = addressKind(parseAddress(address)!);
      if (!global[i] && !kind.internal) disagreements.push(`${address}: not global, yet public to us`);
      if (global[i] && kind.internal && !STRICTER.some((reason) => reason.test(kind.internal!))) {
        disagreements.push(`${address}: global, yet ${kind.internal} to us`);
      }
    });
    expect(disagreements).toEqual([]);
    // The sample reaches both sides of the line.
    expect(global.filter(Boolean).length).toBeGreaterThan(100);
    expect(global.filter((g) => !g).length).toBeGreaterThan(100);
  });
});
