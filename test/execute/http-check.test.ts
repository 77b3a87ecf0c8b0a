// `http:` checks against a local node:http server, which the policy's `checks.allow_hosts` lets them
// reach: passing and failing statuses, expect_status, a hang that times out, redirects reported but
// never followed, a refused connection, and a failing body shown as a short masked line. Then the
// destinations refused before any connection: internal addresses however written, names resolving to
// them, redirects to them, and the pinned address that a second DNS answer cannot change; over HTTPS,
// the pinned connection still asks TLS for the host name.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinnedLookup, runHttpCheck, type HttpCheck } from '../../src/execute/http-check.ts';
import { systemResolver, type HostResolver } from '../../src/execute/http-destination.ts';
import { secretPatterns } from '../../src/execute/mask.ts';
import { allowList } from '../../src/net/allow-hosts.ts';

const SECRET = 's3cr3t-t0ken-value';
let server: Server;
let port: number;
let base: string;
const seen: { method: string; url: string; host: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '' });
    switch (req.url) {
      case '/ok':
        return res.writeHead(200).end('ok');
      case '/created':
        return res.writeHead(201).end();
      case '/fail':
        return res.writeHead(500, { 'content-type': 'text/plain' }).end('database unreachable');
      case '/leaky':
        return res
          .writeHead(503)
          .end(
            `error:\n  token=${SECRET}\n  again=${Buffer.from(`x${SECRET}`).toString('base64')}\n${'detail '.repeat(2000)}`,
          );
      case '/moved':
        return res.writeHead(302, { location: 'https://elsewhere.example/health' }).end();
      case '/to-loopback':
        return res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
      case '/to-metadata':
        return res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      case '/hang':
        return; // never answers
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

/** A resolver that knows a few names, as DNS would answer them. */
function fakeResolver(names: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const addresses = names[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
  };
  return Object.assign(resolve, { asked });
}

function checkUrl(
  url: string,
  extra: Partial<HttpCheck> = {},
  options: { allow?: string[]; resolve?: HostResolver; timeoutMs?: number } = {},
) {
  return runHttpCheck(
    { url, ...extra },
    {
      timeoutMs: options.timeoutMs ?? 300,
      now: Date.now,
      allowList: allowList(options.allow ?? ['127.0.0.1']),
      resolve: options.resolve ?? systemResolver,
      patterns: secretPatterns([SECRET]),
    },
  );
}

const check = (path: string, extra: Partial<HttpCheck> = {}) => checkUrl(`${base}${path}`, extra);

describe('http checks to an allowed host', () => {
  it.each([
    ['200 passes (any 2xx by default)', '/ok', {}, 'passed', 200, /^HTTP 200 in \d+ ms$/],
    ['500 fails', '/fail', {}, 'failed', 500, /^HTTP 500 in \d+ ms, expected 2xx$/],
    ['expect_status 201 is met', '/created', { expect_status: 201 }, 'passed', 201, /^HTTP 201/],
    ['expect_status 201 is not met by a 200', '/ok', { expect_status: 201 }, 'failed', 200, /expected 201$/],
    [
      'a redirect is reported, not followed',
      '/moved',
      {},
      'failed',
      302,
      /^HTTP 302 \(redirect to https:\/\/elsewhere\.example\/health, not followed\) in \d+ ms, expected 2xx$/,
    ],
    ['an expected redirect passes', '/moved', { expect_status: 302 }, 'passed', 302, /^HTTP 302/],
  ] as const)('%s', async (_name, path, extra, status, httpStatus, detail) => {
    const result = await check(path, extra);
    expect(result).toMatchObject({ status, httpStatus });
    expect(result.detail).toMatch(detail);
    expect(seen.map(({ method, url }) => ({ method, url }))).toEqual([{ method: 'GET', url: path }]);
  });

  it("shows a failing answer's body", async () => {
    expect((await check('/fail')).output).toBe('database unreachable');
  });

  it('shows a failing body as one short line, its secrets masked (also base64-encoded)', async () => {
    const { output } = await check('/leaky');
    expect(output).toMatch(/^error: token=\*\*\* again=\S*\*\*\*\S* detail detail/);
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(/\n/);
    expect(output!.length).toBeLessThanOrEqual(200);
    expect(output).toMatch(/…$/);
  });

  it('sends the given method', async () => {
    await check('/ok', { method: 'HEAD' });
    await check('/ok', { method: 'POST' });
    expect(seen.map((s) => s.method)).toEqual(['HEAD', 'POST']);
  });

  it('times out a server that never answers', async () => {
    const started = Date.now();
    const result = await check('/hang');
    expect(result).toMatchObject({ status: 'timed-out', detail: `no complete answer from ${base}/hang` });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails on a refused connection and says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await checkUrl(`http://127.0.0.1:${closedPort}/`);
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/ECONNREFUSED/);
  });

  it('reaches a listed name at the address it resolved, sending the name as Host', async () => {
    const resolve = fakeResolver({ 'health.internal': ['127.0.0.1'] });
    const result = await checkUrl(
      `http://health.internal:${port}/ok`,
      {},
      { allow: ['health.internal'], resolve },
    );
    expect(result.status).toBe('passed');
    expect(seen).toEqual([{ method: 'GET', url: '/ok', host: `health.internal:${port}` }]);
  });

  it('connects to the address it checked: a second DNS answer is never asked for', async () => {
    // DNS rebinding: the first answer passes the check, a later one would point inside. The
    // connection uses the checked answer; the resolver is asked once.
    let calls = 0;
    const rebinding: HostResolver = async () => {
      calls++;
      return calls === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.255.255.1', family: 4 }];
    };
    const result = await checkUrl(
      `http://rebind.example:${port}/ok`,
      {},
      { allow: ['127.0.0.1'], resolve: rebinding },
    );
    expect(result.status).toBe('passed');
    expect(calls).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe('destinations refused before any connection', () => {
  // Each URL reaches the local server if connected to; the server must see nothing.
  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${port}/ok`, 'host 127.0.0.1 is an internal address (loopback)'],
    ['decimal', () => `http://2130706433:${port}/ok`, 'host 127.0.0.1 is an internal address (loopback)'],
    ['hex and short', () => `http://0x7f.1:${port}/ok`, 'host 127.0.0.1 is an internal address (loopback)'],
    ['octal', () => `http://017700000001:${port}/ok`, 'host 127.0.0.1 is an internal address (loopback)'],
    [
      'IPv4-mapped IPv6',
      () => `http://[::ffff:127.0.0.1]:${port}/ok`,
      'host ::ffff:7f00:1 is an internal address (loopback)',
    ],
    ['unspecified', () => `http://0.0.0.0:${port}/ok`, 'host 0.0.0.0 is an internal address (unspecified)'],
  ])('%s', async (_name, url, reason) => {
    const result = await checkUrl(url(), {}, { allow: [] });
    expect(result.status).toBe('failed');
    expect(result.detail).toContain(`refused: ${reason}`);
    expect(result.detail).toContain("the policy's `checks.allow_hosts`");
    expect(seen).toEqual([]);
  });

  it.each([
    [
      'http://[::1]/health',
      'host ::1 is an internal address (loopback); checks reach only public addresses unless',
    ],
    ['http://10.0.0.1/health', 'host 10.0.0.1 is an internal address (private, RFC 1918)'],
    ['http://192.168.1.10/health', 'host 192.168.1.10 is an internal address (private, RFC 1918)'],
    ['http://100.64.0.1/health', 'host 100.64.0.1 is an internal address (shared address space, RFC 6598)'],
    ['http://[fd12::1]/health', 'host fd12::1 is an internal address (unique local, fc00::/7)'],
    ['http://[fe80::1]/health', 'host fe80::1 is an internal address (link-local)'],
    ['http://169.254.1.1/health', 'host 169.254.1.1 is an internal address (link-local)'],
    [
      'http://169.254.169.254/latest/meta-data/',
      'host 169.254.169.254 is an internal address (cloud metadata)',
    ],
    [
      'http://[fd00:ec2::254]/latest/meta-data/',
      'host fd00:ec2::254 is an internal address (cloud metadata)',
    ],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'host metadata.google.internal names a cloud metadata service',
    ],
  ])('%s', async (url, reason) => {
    const resolve = fakeResolver({});
    const result = await checkUrl(url, {}, { allow: ['127.0.0.1', '10.0.0.2', 'fd00::/16'], resolve });
    expect(result).toEqual({ status: 'failed', detail: expect.stringContaining(`refused: ${reason}`) });
    expect(result.detail).toContain('`checks.allow_hosts`');
    expect(resolve.asked).toEqual([]);
  });

  it('refuses a name that resolves to loopback (localhost, by the system resolver)', async () => {
    const result = await checkUrl(`http://localhost:${port}/ok`, {}, { allow: [] });
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(
      /refused: host localhost resolves to (127\.0\.0\.1|::1) \(loopback\); checks reach only public addresses unless the policy's `checks\.allow_hosts` lists the host or its address \(localhost or (127\.0\.0\.1|::1)\)/,
    );
    expect(seen).toEqual([]);
  });

  it('refuses a name when any one of its addresses is internal', async () => {
    const resolve = fakeResolver({ 'api.example.com': ['93.184.215.14', '2606:2800:21f::1', '10.0.0.7'] });
    const result = await checkUrl('http://api.example.com/health', {}, { allow: [], resolve });
    expect(result.detail).toContain('refused: host api.example.com resolves to 10.0.0.7 (private, RFC 1918)');
  });

  it('refuses the metadata address although a wider listed range holds it', async () => {
    const result = await checkUrl(
      'http://169.254.169.254/latest/meta-data/',
      {},
      { allow: ['169.254.0.0/16'] },
    );
    expect(result.detail).toContain('refused: host 169.254.169.254 is an internal address (cloud metadata)');
  });

  it('refuses a name that resolves to a metadata address, even when the name is listed', async () => {
    const resolve = fakeResolver({ 'health.internal': ['169.254.169.254'] });
    const result = await checkUrl('http://health.internal/', {}, { allow: ['health.internal'], resolve });
    expect(result.detail).toContain(
      "refused: host health.internal resolves to 169.254.169.254 (cloud metadata); the policy's `checks.allow_hosts` lets a check reach it only by listing exactly 169.254.169.254",
    );
  });

  it('lets a loopback server through when allow_hosts lists it', async () => {
    expect((await checkUrl(`http://localhost:${port}/ok`, {}, { allow: ['localhost'] })).status).toBe(
      'passed',
    );
    expect(
      (await checkUrl(`http://[::ffff:127.0.0.1]:${port}/ok`, {}, { allow: ['127.0.0.0/8'] })).status,
    ).toBe('passed');
    expect(seen).toHaveLength(2);
  });

  it('fails a redirect from an allowed host to loopback, even when the redirect was expected, and never follows it', async () => {
    const resolve = fakeResolver({ 'status.example.com': ['127.0.0.1'] });
    for (const [extra, suffix] of [
      [{}, ', expected 2xx'],
      [{ expect_status: 302 }, ''],
    ] as const) {
      const result = await checkUrl(`http://status.example.com:${port}/to-loopback`, extra, {
        allow: ['status.example.com'],
        resolve,
      });
      expect(result.status).toBe('failed');
      expect(result.detail).toMatch(
        new RegExp(
          `^HTTP 302 \\(redirect to http://127\\.0\\.0\\.1:${port}/ok, not followed; its target is refused: host 127\\.0\\.0\\.1 is an internal address \\(loopback\\); .*\`checks\\.allow_hosts\`.*\\) in \\d+ ms${suffix}$`,
        ),
      );
    }
    expect(seen.map((s) => s.url)).toEqual(['/to-loopback', '/to-loopback']);
  });

  it('fails a redirect to the metadata service', async () => {
    const result = await check('/to-metadata', { expect_status: 301 });
    expect(result.status).toBe('failed');
    expect(result.detail).toContain(
      'its target is refused: host 169.254.169.254 is an internal address (cloud metadata)',
    );
  });

  it('refuses another scheme', async () => {
    const result = await checkUrl('ftp://files.example.com/x');
    expect(result.detail).toContain('refused: ftp: is not http: or https:');
  });
});

describe('the pinned lookup', () => {
  const addresses = [
    { address: '192.0.2.10', family: 4 },
    { address: '2001:db8::10', family: 6 },
  ] as const;
  const ask = (options: Record<string, unknown>) =>
    new Promise<unknown[]>((resolve) =>
      pinnedLookup(addresses)('any.example', options, (error, address, family) =>
        resolve([error?.code ?? null, address, family]),
      ),
    );

  it.each([
    ['one address', {}, [null, '192.0.2.10', 4]],
    ['all addresses (as net asks when it races families)', { all: true }, [null, addresses, undefined]],
    ['IPv6 only', { family: 6 }, [null, '2001:db8::10', 6]],
    ['IPv4 by name', { family: 'IPv4' }, [null, '192.0.2.10', 4]],
    ['all of IPv6', { family: 6, all: true }, [null, [addresses[1]], undefined]],
  ])('answers %s from the checked addresses only', async (_name, options, expected) => {
    expect(await ask(options)).toEqual(expected);
  });

  it('has no answer for a family that was not checked', async () => {
    const only4 = pinnedLookup([{ address: '192.0.2.10', family: 4 }]);
    const code = await new Promise((resolve) =>
      only4('any.example', { family: 6 }, (error) => resolve(error?.code)),
    );
    expect(code).toBe('ENOTFOUND');
  });
});

describe('https checks', () => {
  let tlsServer: HttpsServer;
  let tlsPort: number;
  const serverNames: string[] = [];

  beforeAll(async () => {
    // A throwaway self-signed certificate: the check refuses it, but only after connecting, so the
    // TLS handshake shows where the connection went and which name it asked for.
    const dir = mkdtempSync(join(tmpdir(), 'maint-tls-'));
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=secure.internal'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } },
    );
    expect(made.status, made.stderr).toBe(0);
    const key = readFileSync(join(dir, 'privkey.pem'));
    const cert = made.stdout;
    rmSync(dir, { recursive: true, force: true });
    const context = createSecureContext({ key, cert });
    tlsServer = createHttpsServer(
      {
        key,
        cert,
        SNICallback: (name, done) => {
          serverNames.push(name);
          done(null, context);
        },
      },
      (_req, res) => res.writeHead(200).end('ok'),
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });

  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((resolve) => tlsServer.close(resolve));
  });

  it('connects to the checked address and asks TLS for the host name', async () => {
    const resolve = fakeResolver({ 'secure.internal': ['127.0.0.1'] });
    const result = await checkUrl(
      `https://secure.internal:${tlsPort}/ok`,
      {},
      { allow: ['secure.internal'], resolve, timeoutMs: 5000 },
    );
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/SELF_SIGNED|self[- ]signed/i);
    expect(serverNames).toEqual(['secure.internal']);
    expect(resolve.asked).toEqual(['secure.internal']);
  });
});
