// The test server's conditional requests and what a hub reads: ETags and 304s on GETs, a commit's
// `sha` media type with its SHA as ETag, an organisation's repositories with topics (private ones only
// for a token that may see them), and Pages sites with their validators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from './github-server.ts';

let server: GitHubServer;
let head: string;

beforeAll(async () => {
  server = await startGitHubServer({ checkResponses: true });
  server.seed.org('acme');
  server.seed.repo('acme/public', { files: { 'a.txt': 'a' }, topics: ['maintenance'] });
  server.seed.repo('acme/secret', { files: { 'a.txt': 'a' }, private: true, topics: ['maintenance'] });
  server.seed.repo('acme/old', { files: { 'a.txt': 'a' }, archived: true });
  server.seed.token('ghs_app', { repositories: ['acme/public'] });
  server.seed.token('ghs_wide', {});
  head = server.state.repo('acme/public').refs.get('refs/heads/main')!;
});
afterAll(async () => {
  expect(server.violations).toEqual([]);
  await server.close();
});

const get = (path: string, headers: Record<string, string> = {}, token = 'ghs_wide') =>
  fetch(`${server.url}${path}`, { headers: { authorization: `token ${token}`, ...headers } });

describe('conditional requests', () => {
  it('gives every JSON answer an ETag and answers 304, without a body, when it is asked again', async () => {
    const first = await get('/repos/acme/public');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const again = await get('/repos/acme/public', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get('/repos/acme/public', { 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  it("answers a commit's sha media type with the SHA, whose ETag is the SHA itself", async () => {
    const answer = await get('/repos/acme/public/commits/main', { accept: 'application/vnd.github.sha' });
    expect(await answer.text()).toBe(head);
    expect(answer.headers.get('etag')).toBe(`"${head}"`);
    const same = await get('/repos/acme/public/commits/main', {
      accept: 'application/vnd.github.sha',
      'if-none-match': `"${head}"`,
    });
    expect(same.status).toBe(304);
    server.seed.commit('acme/public', { files: { 'b.txt': 'b' } });
    const moved = await get('/repos/acme/public/commits/main', {
      accept: 'application/vnd.github.sha',
      'if-none-match': `"${head}"`,
    });
    expect(moved.status).toBe(200);
    expect(await moved.text()).not.toBe(head);
  });
});

describe('GET /orgs/{org}/repos', () => {
  const names = async (token: string) =>
    (
      (await (await get('/orgs/acme/repos?sort=full_name', {}, token)).json()) as {
        full_name: string;
        topics: string[];
        archived: boolean;
      }[]
    ).map((r) => [r.full_name, r.topics.join(','), r.archived]);

  it('lists the repositories with their topics; private ones only for a token that may see them', async () => {
    expect(await names('ghs_wide')).toEqual([
      ['acme/old', '', true],
      ['acme/public', 'maintenance', false],
      ['acme/secret', 'maintenance', false],
    ]);
    expect(await names('ghs_app')).toEqual([
      ['acme/old', '', true],
      ['acme/public', 'maintenance', false],
    ]);
  });

  it('hides a private repository from an App token not installed on it, as GitHub does', async () => {
    expect((await get('/repos/acme/secret', {}, 'ghs_app')).status).toBe(404);
    expect((await get('/repos/acme/secret', {}, 'ghs_wide')).status).toBe(200);
  });
});

describe('Pages sites', () => {
  it('serves what was deployed with its validators, 304 when unchanged, 404 when taken down', async () => {
    server.pages.deploy('acme/public', { 'schedule.json': '{"version":1}' });
    const url = server.pagesUrl.replace('{owner}', 'acme').replace('{repo}', 'public');
    const first = await fetch(`${url}schedule.json`);
    expect(await first.text()).toBe('{"version":1}');
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const etag = first.headers.get('etag')!;
    const modified = first.headers.get('last-modified')!;
    expect((await fetch(`${url}schedule.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${url}schedule.json`, { headers: { 'if-modified-since': modified } })).status).toBe(
      304,
    );
    server.pages.deploy('acme/public', { 'schedule.json': '{"version":1,"x":1}' });
    expect((await fetch(`${url}schedule.json`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    server.pages.remove('acme/public');
    expect((await fetch(`${url}schedule.json`)).status).toBe(404);
    expect(server.count({ route: 'pages' })).toBe(5);
  });
});
