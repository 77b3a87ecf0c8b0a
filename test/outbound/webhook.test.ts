// The signed webhook: the receiver recomputes HMAC-SHA256 over the raw bytes it got and compares in
// constant time, as GitHub's docs tell receivers to; the timestamp header matches the signed body.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookEvent } from '../../src/alerts/webhook.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { webhookSignature } from '../../src/outbound/webhook.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts } from '../alerts/inputs.ts';
import { localServers, memoryLogger, type LocalServer, type Received } from './support.ts';

const SECRET = 'whsec-7Jq2xV9pLm4R';
const policy = policyWithAlerts(ALL_SERVICES);
const serve = localServers();
let server: LocalServer | undefined;

/** What a receiver does, written from the documented scheme, not from maint's code. */
function verifies(received: Received, secret: string, now: number): boolean {
  const header = String(received.headers['x-maint-signature-256'] ?? '');
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(received.raw).digest('hex')}`);
  const given = Buffer.from(header);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const timestamp = Number(received.headers['x-maint-timestamp']);
  const sentAt = Date.parse(JSON.parse(received.body).sent_at) / 1000;
  return timestamp === sentAt && Math.abs(now / 1000 - timestamp) <= 300;
}

const event = (now: number, name: 'maintenance.start' | 'maintenance.end' = 'maintenance.start') => {
  const r = request('dns-move', { title: 'Move DNS — ünïcode ✓', services: '[dns]' });
  const built = webhookEvent(
    {
      request: r,
      occurrence: { start: r.startsAt, end: r.endsAt },
      policy,
      issueUrl: 'https://github.com/acme/ops/issues/5',
      now,
    },
    name,
  );
  if (built.kind !== 'request') throw new Error(built.reason);
  return built.request;
};

describe('webhookSignature', () => {
  it("matches the example of GitHub's webhook documentation", () => {
    expect(webhookSignature('Hello, World!', "It's a Secret to Everybody")).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });
});

describe('webhook adapter', () => {
  it('sends a body the receiver can verify, with its timestamp and delivery id', async () => {
    server = await serve(() => ({ status: 204 }));
    const now = Date.parse('2027-01-17T01:30:00Z');
    const logger = memoryLogger();
    const outbound = createOutbound({
      policy,
      credentials: { webhook: { secret: SECRET } },
      baseUrls: { webhook: `${server.url}/maint/events` },
      http: { logger },
    });
    expect(await outbound.send(event(now))).toMatchObject({ service: 'webhook', status: 204 });
    const received = server.received[0]!;
    expect(received.url).toBe('/maint/events');
    expect(received.headers['x-maint-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(received.headers['x-maint-timestamp']).toBe(String(now / 1000));
    expect(received.headers['x-maint-event']).toBe('maintenance.start');
    expect(received.headers['x-maint-delivery']).toBe('dns-move/2027-01-17T02:00:00Z/maintenance.start');
    expect(verifies(received, SECRET, now)).toBe(true);
    expect(JSON.parse(received.body).title).toBe('Move DNS — ünïcode ✓');
    expect(logger.lines.join('\n')).not.toContain(SECRET);
  });

  it.each([
    ['another secret', (r: Received) => r, 'not-the-secret', 0],
    [
      'a body changed in transit',
      (r: Received) => ({ ...r, raw: Buffer.from(r.body.replace('dns', 'db')) }),
      SECRET,
      0,
    ],
    ['a replay ten minutes later', (r: Received) => r, SECRET, 600_000],
    [
      'a fresh timestamp header on an old body',
      (r: Received) => ({
        ...r,
        headers: { ...r.headers, 'x-maint-timestamp': String(Number(r.headers['x-maint-timestamp']) + 600) },
      }),
      SECRET,
      600_000,
    ],
  ])('the receiver refuses %s', async (_name, tamper, secret, later) => {
    server = await serve(() => ({ status: 200 }));
    const now = Date.parse('2027-01-17T01:30:00Z');
    const outbound = createOutbound({
      policy,
      credentials: { webhook: { secret: SECRET } },
      baseUrls: { webhook: server.url },
    });
    await outbound.send(event(now));
    expect(verifies(tamper(server.received[0]!), secret, now + later)).toBe(false);
  });

  it('is never sent unsigned', async () => {
    server = await serve(() => ({ status: 200 }));
    const outbound = createOutbound({ policy, credentials: {}, baseUrls: { webhook: server.url } });
    await expect(outbound.send(event(0, 'maintenance.end'))).rejects.toMatchObject({ kind: 'configuration' });
    expect(server.received).toHaveLength(0);
  });
});
