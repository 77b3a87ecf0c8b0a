// The policy's `checks.allow_hosts`: which entries parse (and the message for those that do not), and
// which internal destinations each lets through, metadata endpoints only when named exactly.
import { describe, expect, it } from 'vitest';
import { addressKind, isMetadataName, parseAddress } from '../../src/net/address-kind.ts';
import { allowList, allows, canonicalHost, parseAllowEntry } from '../../src/net/allow-hosts.ts';

describe('allow_hosts entries', () => {
  it.each([
    ['health.internal.example', { kind: 'name', name: 'health.internal.example' }],
    ['Health.Internal.Example.', { kind: 'name', name: 'health.internal.example' }],
    ['localhost', { kind: 'name', name: 'localhost' }],
    ['*.svc.cluster.local', { kind: 'domain', suffix: 'svc.cluster.local' }],
    ['10.0.0.5', { kind: 'range', bits: 32 }],
    ['10.0.0.0/8', { kind: 'range', bits: 8 }],
    ['fd00::1', { kind: 'range', bits: 128 }],
    ['[::1]', { kind: 'range', bits: 128 }],
    ['fd00::/8', { kind: 'range', bits: 8 }],
    ['0.0.0.0/0', { kind: 'range', bits: 0 }],
  ])('%s parses', (text, expected) => {
    expect(parseAllowEntry(text)).toMatchObject(expected);
  });

  it.each([
    ['https://health.example', /without scheme, port or path/],
    ['health.example:8080', /without scheme, port or path/],
    ['[::1]:8080', /without scheme, port or path/],
    ['health.example/path', /not a CIDR range/],
    ['10.0.0.0/33', /not a CIDR range/],
    ['10.0/8', /not a CIDR range/],
    ['fd00::/129', /not a CIDR range/],
    ['2130706433', /reads as an IPv4 address: write it as four decimal numbers/],
    ['0x7f.1', /reads as an IPv4 address/],
    ['10.1', /reads as an IPv4 address/],
    ['fe80::1%eth0', /not an IPv6 address/],
    ['-bad-.example', /is not a host name \(health\.internal\.example\), \*\. and a domain/],
    ['*', /is not a host name/],
    ['a..b', /is not a host name/],
    ['user@host', /without scheme, port or path/],
  ])('%s is refused with a fix', (text, message) => {
    const parsed = parseAllowEntry(text);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toMatch(message);
  });
});

/** Whether `list` lets a check of `host` connect to `address`. */
function lets(list: string[], host: string, address: string): boolean {
  const canonical = canonicalHost(host);
  return allows(allowList(list), canonical, addressKind(parseAddress(address)!), isMetadataName(canonical));
}

describe('what an allow list lets through', () => {
  it.each([
    ['a name, at any address it resolves to', ['health.internal'], 'health.internal', '10.1.2.3', true],
    ['a name, written with a final dot', ['health.internal'], 'HEALTH.internal.', '10.1.2.3', true],
    ['not another name at that address', ['health.internal'], 'other.internal', '10.1.2.3', false],
    ['a domain: its subdomains', ['*.svc.local'], 'api.svc.local', '10.1.2.3', true],
    ['a domain: deeper subdomains', ['*.svc.local'], 'a.b.svc.local', '10.1.2.3', true],
    ['a domain: not the domain itself', ['*.svc.local'], 'svc.local', '10.1.2.3', false],
    ['a domain: not a name that only ends alike', ['*.svc.local'], 'evilsvc.local', '10.1.2.3', false],
    ['an address: under any name', ['127.0.0.1'], 'localhost', '127.0.0.1', true],
    ['an address: not its neighbour', ['127.0.0.1'], 'localhost', '127.0.0.2', false],
    ['a range: inside', ['10.0.0.0/8'], '10.9.9.9', '10.9.9.9', true],
    ['a range: outside', ['10.0.0.0/8'], '11.0.0.1', '172.16.0.1', false],
    [
      'an IPv4 range for an IPv4-mapped address',
      ['127.0.0.0/8'],
      '::ffff:127.0.0.1',
      '::ffff:127.0.0.1',
      true,
    ],
    ['an IPv6 range does not match IPv4', ['::/0'], '10.0.0.1', '10.0.0.1', false],
    ['an IPv6 address', ['::1'], '[::1]', '::1', true],
    ['a name does not let its address through under another', ['localhost'], '127.0.0.1', '127.0.0.1', false],
    ['metadata: not by a wider range', ['169.254.0.0/16'], '169.254.169.254', '169.254.169.254', false],
    ['metadata: not by everything', ['0.0.0.0/0'], '169.254.169.254', '169.254.169.254', false],
    ['metadata: by its exact address', ['169.254.169.254'], '169.254.169.254', '169.254.169.254', true],
    [
      'metadata: not by a name that resolves to it',
      ['health.internal'],
      'health.internal',
      '169.254.169.254',
      false,
    ],
    [
      'metadata: not by a wildcard',
      ['*.google.internal'],
      'metadata.google.internal',
      '169.254.169.254',
      false,
    ],
    [
      'metadata: by its exact metadata name',
      ['metadata.google.internal'],
      'metadata.google.internal',
      '169.254.169.254',
      true,
    ],
    [
      'a wider range still lets other link-local through',
      ['169.254.0.0/16'],
      '169.254.1.1',
      '169.254.1.1',
      true,
    ],
    ['nothing listed: nothing internal', [], 'localhost', '127.0.0.1', false],
  ])('%s', (_name, list, host, address, expected) => {
    expect(lets(list, host, address)).toBe(expected);
  });

  it('leaves out an entry that does not parse (the policy has reported it)', () => {
    expect(allowList(['https://x', '10.0.0.0/8'])).toHaveLength(1);
  });
});
