// The Datadog adapter against a local server that checks the documented v2 request (route, both key
// headers, the DowntimeCreateRequest shape with UTC times) and answers as Datadog documents it.
import { describe, expect, it } from 'vitest';
import { datadogCancel, datadogDowntime } from '../../src/alerts/datadog.ts';
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

const KEYS = {
  apiKey: '0123456789abcdef0123456789abcdef',
  applicationKey: 'fedcba9876543210fedcba9876543210fedcba98',
};
const checkBody = schemaCheck('datadog-downtime.request.schema.json');
const policy = policyWithAlerts(ALL_SERVICES);
const forbidden = { status: 403, body: jsonFixture('datadog-error-forbidden.json') };

function refusal(req: Received): Reply | undefined {
  if (req.headers['dd-api-key'] !== KEYS.apiKey || req.headers['dd-application-key'] !== KEYS.applicationKey)
    return forbidden;
  if (req.method === 'POST') {
    const problems = checkBody(JSON.parse(req.body));
    if (problems.length > 0) return { status: 400, body: { errors: problems } };
  }
  return undefined;
}

const serve = localServers();
let server: LocalServer | undefined;

const downtime = () => {
  const r = request('kernel', {
    services: '[api, web]',
    start: '2027-01-17T03:00',
    timezone: 'Europe/Berlin',
  });
  const built = datadogDowntime({
    request: r,
    occurrence: { start: r.startsAt, end: r.endsAt },
    policy,
    now: Date.parse('2027-01-10T00:00:00Z'),
  });
  if (built.kind !== 'request') throw new Error(built.reason);
  return built.request;
};
const outbound = (keys = KEYS) =>
  createOutbound({ policy, credentials: { datadog: keys }, baseUrls: { datadog: server!.url } });

describe('Datadog adapter', () => {
  it('schedules a downtime and returns its id', async () => {
    server = await serve((req) => {
      if (req.method !== 'POST' || req.url !== '/api/v2/downtime')
        return { status: 404, body: { errors: ['Not found'] } };
      return refusal(req) ?? { status: 200, body: jsonFixture('datadog-downtime-created.json') };
    });
    const result = await outbound().send(downtime());
    expect(result).toMatchObject({
      service: 'datadog',
      status: 200,
      id: '1dcb33f8-b23a-11ed-ae65-da7ad0900002',
    });
    const attributes = JSON.parse(server.received[0]!.body).data.attributes;
    expect(attributes.schedule).toEqual({ start: '2027-01-17T01:30:00Z', end: '2027-01-17T03:00:00Z' });
    expect(server.received[0]!.headers['content-type']).toBe('application/json');
  });

  it.each([
    ['a cancel answers 204', 204, { status: 204 }],
    ['a downtime that is gone is not an error', 404, { status: 404, alreadyEnded: true }],
  ])('%s', async (_name, status, expected) => {
    server = await serve((req) => {
      if (req.method !== 'DELETE' || req.url !== '/api/v2/downtime/1dcb33f8-b23a-11ed-ae65-da7ad0900002')
        return { status: 400, body: { errors: ['Bad Request'] } };
      return (
        refusal(req) ?? { status, ...(status === 404 ? { body: { errors: ['Downtime not found'] } } : {}) }
      );
    });
    expect(await outbound().send(datadogCancel('1dcb33f8-b23a-11ed-ae65-da7ad0900002'))).toMatchObject(
      expected,
    );
  });

  it('a refused key is a typed 403 without the keys in it', async () => {
    server = await serve((req) => refusal(req) ?? { status: 200, body: {} });
    const error = (await outbound({ apiKey: 'bad-api-key-000', applicationKey: 'bad-app-key-000' })
      .send(downtime())
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({
      name: 'OutboundError',
      kind: 'http',
      status: 403,
      excerpt: '{"errors":["Forbidden"]}',
    });
    expect(error.message).not.toMatch(/bad-api-key|bad-app-key/);
  });

  it('the server refuses a body that is not the documented shape', async () => {
    server = await serve((req) => refusal(req) ?? { status: 200, body: {} });
    const local = {
      ...downtime(),
      body: JSON.stringify({
        data: {
          type: 'downtime',
          attributes: {
            scope: 'env:x',
            monitor_identifier: { monitor_tags: ['*'] },
            schedule: { start: '2027-01-17T02:30:00+01:00' },
          },
        },
      }),
    };
    await expect(outbound().send(local)).rejects.toMatchObject({
      status: 400,
      excerpt: expect.stringContaining('/data/attributes/schedule/start'),
    });
  });

  it('the site of the policy picks the API host', async () => {
    // A fetch that answers with the URL it was asked for, as the downtime id.
    const eu = createOutbound({
      policy,
      credentials: { datadog: KEYS },
      http: {
        fetch: async (url) => new Response(JSON.stringify({ data: { id: String(url) } }), { status: 200 }),
      },
    });
    expect((await eu.send(downtime())).id).toBe('https://api.datadoghq.eu/api/v2/downtime');
  });
});
