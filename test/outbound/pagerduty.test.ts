// The PagerDuty adapter against a local server that checks the documented request (route, headers,
// token auth, From, body schema) and answers as PagerDuty documents: 201 with the window, 204 or
// 405 on DELETE, {error} bodies on refusals.
import { describe, expect, it } from 'vitest';
import { pagerdutyEnd, pagerdutyWindow } from '../../src/alerts/pagerduty.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts } from '../alerts/inputs.ts';
import {
  jsonFixture,
  localServers,
  schemaCheck,
  type LocalServer,
  type Received,
  type Reply,
} from './support.ts';

const TOKEN = 'y_NbAkKc66ryYTWUXYEu';
const FROM = 'maint-bot@acme.example';
const checkBody = schemaCheck('pagerduty-maintenance-window.request.schema.json');
const policy = policyWithAlerts(ALL_SERVICES);
const NOW = Date.parse('2027-01-10T00:00:00Z');

/** What a PagerDuty server would refuse in this request, or undefined. */
function refusal(req: Received): Reply | undefined {
  if (req.headers.authorization !== `Token token=${TOKEN}`)
    return { status: 401, body: jsonFixture('pagerduty-error-unauthorized.json') };
  if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2')
    return { status: 400, body: { error: { message: `bad Accept ${req.headers.accept}`, code: 2001 } } };
  if (req.method === 'POST') {
    if (req.headers.from !== FROM)
      return { status: 400, body: { error: { message: 'From header', code: 2001 } } };
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return { status: 400, body: { error: { message: 'Content-Type', code: 2001 } } };
    const problems = checkBody(JSON.parse(req.body));
    if (problems.length > 0)
      return {
        status: 400,
        body: { error: { message: 'Invalid Input Provided', code: 2001, errors: problems } },
      };
    const { start_time, end_time } = JSON.parse(req.body).maintenance_window;
    if (Date.parse(end_time) <= Date.parse(start_time) || Date.parse(end_time) <= NOW)
      return { status: 400, body: jsonFixture('pagerduty-error-invalid-input.json') };
  }
  return undefined;
}

const serve = localServers();
let server: LocalServer | undefined;

const window = (services = '[api, web]') => {
  const r = request('db-upgrade', { services });
  const built = pagerdutyWindow({
    request: r,
    occurrence: { start: r.startsAt, end: r.endsAt },
    policy,
    now: NOW,
  });
  if (built.kind !== 'request') throw new Error(built.reason);
  return built.request;
};
const outbound = (credentials = { token: TOKEN, from: FROM }) =>
  createOutbound({ policy, credentials: { pagerduty: credentials }, baseUrls: { pagerduty: server!.url } });

describe('PagerDuty adapter', () => {
  it('creates a maintenance window and returns its id', async () => {
    server = await serve((req) => {
      if (req.method !== 'POST' || req.url !== '/maintenance_windows') return { status: 404, body: {} };
      return refusal(req) ?? { status: 201, body: jsonFixture('pagerduty-maintenance-window-created.json') };
    });
    const result = await outbound().send(window());
    expect(result).toEqual({
      service: 'pagerduty',
      operation: 'create',
      status: 201,
      attempts: 1,
      id: 'PMW4K2Q',
    });
    expect(server.received).toHaveLength(1);
    expect(JSON.parse(server.received[0]!.body).maintenance_window.services).toEqual([
      { id: 'PIJ90N7', type: 'service_reference' },
      { id: 'PWEB123', type: 'service_reference' },
    ]);
  });

  it.each([
    ['an on-going window ends', 204, { status: 204, attempts: 1 }],
    ['a window that already ended is not an error', 405, { status: 405, alreadyEnded: true }],
    ['nor is one PagerDuty no longer knows', 404, { status: 404, alreadyEnded: true }],
  ])('DELETE: %s', async (_name, status, expected) => {
    server = await serve((req) => {
      if (req.method !== 'DELETE' || req.url !== '/maintenance_windows/PMW4K2Q')
        return { status: 400, body: {} };
      return (
        refusal(req) ?? {
          status,
          ...(status === 204 ? {} : { body: { error: { message: 'x', code: 2100 } } }),
        }
      );
    });
    expect(await outbound().send(pagerdutyEnd('PMW4K2Q'))).toMatchObject({ operation: 'end', ...expected });
    expect(server.received[0]!.headers.authorization).toBe(`Token token=${TOKEN}`);
  });

  it('a wrong token is a typed 401 that neither retries nor shows the token', async () => {
    server = await serve((req) => refusal(req) ?? { status: 201, body: {} });
    const error = await outbound({ token: 'wrong-token-123', from: FROM })
      .send(window())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'OutboundError',
      service: 'pagerduty',
      kind: 'http',
      status: 401,
      attempts: 1,
    });
    expect(String((error as Error).message)).toContain('Unauthorized');
    expect(String((error as Error).message)).not.toContain('wrong-token-123');
    expect(server.received).toHaveLength(1);
  });

  it('the server refuses a body that is not the documented shape', async () => {
    server = await serve((req) => refusal(req) ?? { status: 201, body: {} });
    const bad = {
      ...window(),
      body: JSON.stringify({ maintenance_window: { type: 'maintenance_window', services: [] } }),
    };
    await expect(outbound().send(bad)).rejects.toMatchObject({
      status: 400,
      excerpt: expect.stringContaining('start_time'),
    });
  });

  it('a 201 without a window id is an error, not a silent success', async () => {
    server = await serve(() => ({ status: 201, body: { maintenance_window: {} } }));
    await expect(outbound().send(window())).rejects.toMatchObject({ kind: 'response', status: 201 });
  });

  it('without credentials nothing is sent', async () => {
    server = await serve(() => ({ status: 201, body: {} }));
    const none = createOutbound({ policy, credentials: {}, baseUrls: { pagerduty: server.url } });
    await expect(none.send(window())).rejects.toMatchObject({ kind: 'configuration' });
    expect(server.received).toHaveLength(0);
  });
});
