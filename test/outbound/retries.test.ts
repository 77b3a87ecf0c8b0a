// Retries, timeouts and the time budget, against local servers with a fake clock: 502 and 429 are
// retried (Retry-After honoured to the millisecond), other 4xx never, a POST that may have arrived
// is not repeated, and no wait runs past the budget.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  slackPost,
  statuspageCreateIncident,
  statuspageUpdateIncident,
} from '../../src/outbound/messages.ts';
import { createOutbound, type OutboundConfig } from '../../src/outbound/port.ts';
import type { RetryPolicy } from '../../src/outbound/retry.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { fakeClock, localServers, memoryLogger, type LocalServer, type Reply } from './support.ts';

const RETRY: Partial<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  totalMs: 60_000,
};
const serve = localServers();
let server: LocalServer | undefined;

/** A server that gives the replies in turn, then 200s. */
async function scripted(...replies: Reply[]): Promise<LocalServer> {
  let n = 0;
  server = await serve(() => replies[n++] ?? { status: 200, body: { id: 'inc-1' } });
  return server;
}

function outboundFor(url: string, over: Partial<NonNullable<OutboundConfig['http']>> = {}) {
  const clock = fakeClock();
  const logger = memoryLogger();
  const outbound = createOutbound({
    policy: defaultPolicy(),
    credentials: { webhookUrl: () => `${url}/hook`, statuspage: { apiKey: 'sp-key-123456' } },
    baseUrls: { statuspage: url },
    http: { clock, logger, random: () => 0.5, retry: RETRY, ...over },
  });
  return { outbound, clock, logger };
}

describe('retries', () => {
  it('502 twice, then success: backoff with jitter between attempts', async () => {
    const s = await scripted({ status: 502, body: 'Bad Gateway' }, { status: 502, body: 'Bad Gateway' });
    const { outbound, clock, logger } = outboundFor(s.url);
    const result = await outbound.send(slackPost({ text: 'hi' }));
    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(s.received).toHaveLength(3);
    // Equal jitter with random() = 0.5: 3/4 of 1 s, then of 2 s.
    expect(clock.sleeps).toEqual([750, 1_500]);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn: slack post: HTTP 502; retrying in 750 ms (attempt 2 of 4)',
      'warn: slack post: HTTP 502; retrying in 1500 ms (attempt 3 of 4)',
    ]);
  });

  it('the jitter stays within half to all of the step', async () => {
    for (const random of [0, 0.999]) {
      const s = await scripted({ status: 503 }, { status: 503 }, { status: 503 });
      const { outbound, clock } = outboundFor(s.url, { random: () => random });
      await outbound.send(slackPost({ text: 'hi' }));
      clock.sleeps.forEach((ms, i) => {
        const step = 1_000 * 2 ** i;
        expect(ms).toBeGreaterThanOrEqual(step / 2);
        expect(ms).toBeLessThanOrEqual(step);
      });
      await s.close();
    }
  });

  it('429 with Retry-After waits exactly that long', async () => {
    const s = await scripted({ status: 429, headers: { 'Retry-After': '7' }, body: 'rate_limited' });
    const { outbound, clock } = outboundFor(s.url);
    expect(await outbound.send(slackPost({ text: 'hi' }))).toMatchObject({ status: 200, attempts: 2 });
    expect(clock.sleeps).toEqual([7_000]);
  });

  it('Retry-After as an HTTP date', async () => {
    const at = new Date(fakeClock().now() + 12_000).toUTCString();
    const s = await scripted({ status: 503, headers: { 'Retry-After': at } });
    const { outbound, clock } = outboundFor(s.url);
    await outbound.send(slackPost({ text: 'hi' }));
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('Statuspage 420 is its rate limit', async () => {
    const s = await scripted({
      status: 420,
      headers: { 'Retry-After': '1' },
      body: { error: 'Enhance your calm' },
    });
    const { outbound, clock } = outboundFor(s.url);
    const created = await outbound.send(statuspageCreateIncident('page1', { incident: { name: 'x' } }));
    expect(created).toMatchObject({ id: 'inc-1', attempts: 2 });
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('a Retry-After longer than the time left fails at once, saying so', async () => {
    const s = await scripted({ status: 429, headers: { 'Retry-After': '3600' }, body: 'rate_limited' });
    const { outbound, clock } = outboundFor(s.url);
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 3_600_000,
      message: expect.stringContaining('Retry-After 3600 s exceeds the time left (60 s)'),
    });
    expect(clock.sleeps).toEqual([]);
  });

  it('5xx to the last attempt is a typed error with the count', async () => {
    const s = await scripted(...Array.from({ length: 10 }, () => ({ status: 500, body: 'boom' }) as Reply));
    const { outbound } = outboundFor(s.url);
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({
      kind: 'http',
      status: 500,
      attempts: 4,
      excerpt: 'boom',
    });
    expect(s.received).toHaveLength(4);
  });

  it('the waits never add up past the total budget', async () => {
    const s = await scripted(...Array.from({ length: 10 }, () => ({ status: 503 }) as Reply));
    const { outbound, clock } = outboundFor(s.url, { retry: { ...RETRY, maxAttempts: 10, totalMs: 5_000 } });
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({
      kind: 'http',
      status: 503,
    });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
    expect(clock.sleeps).toEqual([750, 1_500]); // the third wait (3 s) would pass 5 s
  });

  it.each([400, 401, 403, 404, 422])('never retries %i', async (status) => {
    const s = await scripted({ status, body: 'no' });
    const { outbound, clock } = outboundFor(s.url);
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({ status, attempts: 1 });
    expect(s.received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not follow a redirect (it would carry the body and credentials elsewhere)', async () => {
    const s = await scripted({ status: 307, headers: { Location: 'http://127.0.0.1:9/elsewhere' } });
    const { outbound } = outboundFor(s.url);
    await expect(outbound.send(statuspageCreateIncident('p', {}))).rejects.toMatchObject({
      status: 307,
      message: expect.stringContaining('redirect, not followed'),
    });
    expect(s.received).toHaveLength(1);
  });
});

describe('timeouts and network errors', () => {
  const fast = { ...RETRY, attemptTimeoutMs: 150 };

  it('a POST that timed out is not repeated: it may have been created', async () => {
    server = await serve(() => 'hang');
    const { outbound } = outboundFor(server.url, { retry: fast });
    await expect(outbound.send(statuspageCreateIncident('p', {}))).rejects.toMatchObject({
      kind: 'timeout',
      attempts: 1,
      message: expect.stringContaining('not retried, as the service may have acted on it'),
    });
    expect(server.received).toHaveLength(1);
  });

  it('an update that timed out is repeated', async () => {
    let n = 0;
    server = await serve(() => (n++ === 0 ? 'hang' : { status: 200, body: { id: 'inc-1' } }));
    const { outbound } = outboundFor(server.url, { retry: fast });
    const updated = await outbound.send(statuspageUpdateIncident('p', 'inc-1', {}));
    expect(updated).toMatchObject({ status: 200, attempts: 2 });
  });

  it('a dropped connection on a POST is not repeated either', async () => {
    server = await serve(() => 'reset');
    const { outbound } = outboundFor(server.url);
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({
      kind: 'network',
      attempts: 1,
    });
  });

  it('a refused connection never reached the service, so even a POST is retried', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { outbound, clock } = outboundFor(`http://127.0.0.1:${port}`);
    await expect(outbound.send(slackPost({ text: 'hi' }))).rejects.toMatchObject({
      kind: 'network',
      attempts: 4,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(clock.sleeps).toHaveLength(3);
  });
});
