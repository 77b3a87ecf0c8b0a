// Injected failures (rate limits, 5xx, hangs, delays) as octokit's throttling and retry plugins see them, and
// requests GitHub's OpenAPI description does not allow: rejected like GitHub would and recorded as violations.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECONDARY_RATE_LIMIT_MESSAGE, startGitHubServer, type GitHubServer } from './github-server.ts';
import { quietLog, testOctokit } from './octokit.ts';

const Throttled = Octokit.plugin(throttling, retry);

let server: GitHubServer;
let octokit: Octokit;
const repo = { owner: 'acme', repo: 'app' };

function throttled(events: string[]): InstanceType<typeof Throttled> {
  return new Throttled({
    baseUrl: server.url,
    auth: 'ghs_test',
    log: quietLog,
    retry: { retryAfterBaseValue: 5 },
    throttle: {
      retryAfterBaseValue: 5,
      onRateLimit: (after: number, _options: unknown, _o: unknown, retryCount: number) => {
        events.push(`primary ${after}`);
        return retryCount < 2;
      },
      onSecondaryRateLimit: (after: number, _options: unknown, _o: unknown, retryCount: number) => {
        events.push(`secondary ${after}`);
        return retryCount < 2;
      },
    },
  });
}

beforeAll(async () => {
  server = await startGitHubServer();
  octokit = testOctokit(server, 'ghs_test');
  server.seed.repo('acme/app', { files: { 'README.md': '# app\n' } });
  server.seed.commit('acme/app', { branch: 'feature', files: { 'a.txt': 'a\n' } });
  server.seed.pullRequest('acme/app', { number: 1, head: 'feature' });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.resetLog();
  server.clearFaults();
});

describe('rate limits and server errors', () => {
  it('answers a primary rate limit that the throttling plugin waits out and retries', async () => {
    const events: string[] = [];
    const fault = server.fail({ route: 'pulls/get', status: 403, rateLimit: 'primary', retryAfter: 1 });
    const { data } = await throttled(events).rest.pulls.get({ ...repo, pull_number: 1 });
    expect(data.number).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^primary [12]$/);
    expect(fault).toMatchObject({ hits: 1, remaining: 0 });
    expect(server.requests.map((r) => [r.status, r.faulted])).toEqual([
      [403, true],
      [200, false],
    ]);
  });

  it.each([403, 429])(
    'answers a secondary rate limit (%i) with retry-after and the documented message',
    async (status) => {
      const events: string[] = [];
      server.fail({
        route: '/repos/{owner}/{repo}/pulls/{pull_number}',
        status,
        rateLimit: 'secondary',
        retryAfter: 3,
      });
      await throttled(events).rest.pulls.get({ ...repo, pull_number: 1 });
      expect(events).toEqual(['secondary 3']);
      server.fail({ route: 'pulls/get', status, rateLimit: 'secondary', retryAfter: 3 });
      const error = await octokit.rest.pulls.get({ ...repo, pull_number: 1 }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        status,
        response: { headers: { 'retry-after': '3' } },
        message: expect.stringContaining(SECONDARY_RATE_LIMIT_MESSAGE),
      });
    },
  );

  it('gives a 429 without more detail the secondary-limit shape', async () => {
    server.fail({ route: 'pulls/get', status: 429 });
    const error = await octokit.rest.pulls.get({ ...repo, pull_number: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, response: { headers: { 'retry-after': '1' } } });
  });

  it('fails twice with 502, then the retry plugin gets through', async () => {
    const events: string[] = [];
    server.fail({ method: 'GET', route: /\/pulls\/1$/, status: 502, times: 2 });
    const { data } = await throttled(events).rest.pulls.get({ ...repo, pull_number: 1 });
    expect(data.number).toBe(1);
    expect(server.count({ route: 'pulls/get' })).toBe(3);
    expect(server.count({ route: 'pulls/get', status: 502 })).toBe(2);
  });

  it('lets faults pass other routes and methods by', async () => {
    server.fail({ route: 'pulls/list-files', status: 500, times: Infinity });
    server.fail({ route: 'pulls/get', method: 'PATCH', status: 500, times: Infinity });
    await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    await expect(octokit.rest.pulls.listFiles({ ...repo, pull_number: 1 })).rejects.toMatchObject({
      status: 500,
    });
    await expect(octokit.rest.pulls.listFiles({ ...repo, pull_number: 1 })).rejects.toMatchObject({
      status: 500,
    });
  });
});

describe('hangs and delays', () => {
  it('accepts a request and never answers, so client timeouts fire', async () => {
    server.fail({ route: 'pulls/get', hang: true });
    await expect(
      octokit.rest.pulls.get({ ...repo, pull_number: 1, request: { signal: AbortSignal.timeout(200) } }),
    ).rejects.toThrow();
    expect(server.requests).toEqual([
      expect.objectContaining({ route: '/repos/{owner}/{repo}/pulls/{pull_number}', faulted: true }),
    ]);
    expect(server.requests[0]?.status).toBeUndefined();
  });

  it('answers late when asked to', async () => {
    server.fail({ route: 'pulls/get', delayMs: 150 });
    const started = performance.now();
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(data.number).toBe(1);
  });
});

describe('requests GitHub would not accept', () => {
  // Untyped on purpose: these are the requests octokit's types would stop.
  const send = (route: string, params: Record<string, unknown>): Promise<unknown> =>
    octokit.request(route, { ...repo, ...params });
  const cases: [string, string, Record<string, unknown>, number, string][] = [
    ['an unknown route', 'GET /repos/{owner}/{repo}/nope', {}, 404, 'unknown-route'],
    ['a method the route does not have', 'PUT /repos/{owner}/{repo}/pulls/1', {}, 404, 'unknown-route'],
    ['a path parameter of the wrong type', 'GET /repos/{owner}/{repo}/pulls/abc', {}, 404, 'path-param'],
    ['an unknown query parameter', 'GET /repos/{owner}/{repo}/pulls', { status: 'open' }, 422, 'query-param'],
    [
      'a query value outside its enum',
      'GET /repos/{owner}/{repo}/pulls',
      { state: 'opened' },
      422,
      'query-param',
    ],
    [
      'a query value of the wrong type',
      'GET /repos/{owner}/{repo}/pulls',
      { per_page: 'many' },
      422,
      'query-param',
    ],
    [
      'an unknown body field',
      'POST /repos/{owner}/{repo}/issues',
      { title: 'x', titel: 'x' },
      422,
      'unknown-body-property',
    ],
    [
      'an unknown nested body field',
      'POST /repos/{owner}/{repo}/check-runs',
      { name: 'n', head_sha: 'abc1234', output: { title: 't', summary: 's', annotaions: [] } },
      422,
      'unknown-body-property',
    ],
    [
      'a body field of the wrong type',
      'POST /repos/{owner}/{repo}/issues',
      { title: 'x', labels: 'bug' },
      422,
      'body',
    ],
    [
      'a missing required body',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: 1 },
      422,
      'body',
    ],
    [
      'a documented route the server does not implement',
      'GET /repos/{owner}/{repo}/releases',
      {},
      501,
      'unimplemented',
    ],
  ];

  it.each(cases)('rejects %s and records a violation', async (_name, route, params, status, kind) => {
    await expect(send(route, params)).rejects.toMatchObject({ status });
    expect(server.violations).toEqual([expect.objectContaining({ kind })]);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await fetch(`${server.url}/repos/acme/app/issues`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' });
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'body' })]);
  });

  it('accepts what GitHub documents: encoded paths, nullable fields, the /repositories/{id} form', async () => {
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...repo,
      issue_number: 1,
      body: null,
    });
    await octokit.rest.repos.getContent({ ...repo, path: 'README.md' });
    await octokit.request(`GET /repositories/${server.state.repo('acme/app').id}/pulls/1`);
    expect(server.violations).toEqual([]);
  });
});

describe('request log', () => {
  it('counts requests by method, route and status', async () => {
    await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    await octokit.rest.pulls.listFiles({ ...repo, pull_number: 1 });
    await octokit.rest.pulls.get({ ...repo, pull_number: 99 }).catch(() => undefined);
    expect(server.count()).toBe(4);
    expect(server.count({ route: 'pulls/get' })).toBe(3);
    expect(server.count({ method: 'GET', route: 'pulls/get', status: 200 })).toBe(2);
    expect(server.count({ route: /\/files$/ })).toBe(1);
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      path: '/repos/acme/app/pulls/1',
      route: '/repos/{owner}/{repo}/pulls/{pull_number}',
      operationId: 'pulls/get',
      token: 'ghs_test',
      status: 200,
    });
  });
});

describe('reset', () => {
  it('forgets state, log, violations and faults', async () => {
    const own = await startGitHubServer();
    try {
      own.seed.repo('acme/app', { files: { a: 'a' } });
      own.fail({ status: 502, times: Infinity });
      const client = testOctokit(own);
      await expect(client.rest.repos.get(repo)).rejects.toMatchObject({ status: 502 });
      await client.request('GET /nope').catch(() => undefined);
      expect(own.violations).toHaveLength(1);
      own.reset();
      expect([own.requests.length, own.violations.length, own.state.repos.size]).toEqual([0, 0, 0]);
      await expect(client.rest.repos.get(repo)).rejects.toMatchObject({ status: 404 });
      own.seed.repo('acme/app');
      expect((await client.rest.repos.get(repo)).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
