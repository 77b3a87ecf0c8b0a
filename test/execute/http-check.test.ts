// `http:` checks against a local node:http server: passing and failing statuses, expect_status, a hang
// that times out, redirects reported but never followed, and a refused connection.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHttpCheck, type HttpCheck } from '../../src/execute/http-check.ts';

let server: Server;
let base: string;
const seen: { method: string; url: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    switch (req.url) {
      case '/ok':
        return res.writeHead(200).end('ok');
      case '/created':
        return res.writeHead(201).end();
      case '/fail':
        return res.writeHead(500, { 'content-type': 'text/plain' }).end('database unreachable');
      case '/moved':
        return res.writeHead(302, { location: 'https://elsewhere.example/health' }).end();
      case '/hang':
        return; // never answers
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

function check(path: string, extra: Partial<HttpCheck> = {}) {
  return runHttpCheck({ url: `${base}${path}`, ...extra }, { timeoutMs: 300, fetch, now: Date.now });
}

describe('http checks', () => {
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
    expect(seen).toEqual([{ method: 'GET', url: path }]);
  });

  it("shows a failing answer's body", async () => {
    expect((await check('/fail')).output).toBe('database unreachable');
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
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runHttpCheck(
      { url: `http://127.0.0.1:${port}/` },
      { timeoutMs: 300, fetch, now: Date.now },
    );
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/ECONNREFUSED/);
  });
});
