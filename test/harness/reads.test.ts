// The test server's read routes through @octokit/rest: pull requests, files (pages and the 3000 cap),
// reviews, commits, compare, contents, tarball, teams and permissions; every answer checked against the schema.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from './github-server.ts';
import { testOctokit } from './octokit.ts';

let server: GitHubServer;
let octokit: Octokit;
const app = { owner: 'acme', repo: 'app' };
let mainSha: string;
let featureSha: string;

function files(count: number, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${prefix}/f${String(i).padStart(4, '0')}.txt`, `${i}\n`]),
  );
}

beforeAll(async () => {
  server = await startGitHubServer({ checkResponses: true });
  octokit = testOctokit(server, 'ghs_test');
  const { seed } = server;
  seed.org('acme');
  seed.repo('acme/app', {
    files: {
      'README.md': '# app\n',
      'src/a.ts': 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n',
      'docs/old-name.md': 'same bytes\n',
      'gone.txt': 'bye\n',
    },
  });
  mainSha = server.state.resolveRef(server.state.repo('acme/app'), 'main') as string;
  seed.commit('acme/app', {
    branch: 'feature',
    parent: mainSha,
    files: { 'src/a.ts': null },
    message: 'drop a',
  });
  featureSha = seed.commit('acme/app', {
    branch: 'feature',
    files: {
      'src/a.ts': 'line 1\nline 2\nline 3\nline 4 changed\nline 5\nline 6\nline 7\nline 8\nline 9\n',
      'docs/old-name.md': null,
      'docs/new-name.md': 'same bytes\n',
      'gone.txt': null,
      'added.txt': 'new\n',
    },
    author: 'alice',
    message: 'rework',
  });
  // main moves on after the branch point: the PR's files still come from the merge base.
  seed.commit('acme/app', { files: { 'README.md': '# app v2\n' }, message: 'readme' });
  seed.pullRequest('acme/app', {
    number: 7,
    head: 'feature',
    title: 'Rework',
    user: 'alice',
    labels: ['maint'],
  });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

describe('startup', () => {
  it('starts well under 2 s, OpenAPI description included', () => {
    expect(server.startupMillis).toBeLessThan(2000);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('pull requests', () => {
  it('reads a pull request with head, base, counts and labels', async () => {
    const { data } = await octokit.rest.pulls.get({ ...app, pull_number: 7 });
    expect(data).toMatchObject({
      number: 7,
      title: 'Rework',
      state: 'open',
      draft: false,
      user: { login: 'alice', type: 'User' },
      head: { ref: 'feature', sha: featureSha, repo: { full_name: 'acme/app', fork: false } },
      base: { ref: 'main' },
      changed_files: 4,
      commits: 2,
      labels: [{ name: 'maint' }],
    });
  });

  it('lists files as added, modified, removed and renamed, with patches', async () => {
    const { data } = await octokit.rest.pulls.listFiles({ ...app, pull_number: 7 });
    expect(data.map((f) => [f.filename, f.status, f.previous_filename])).toEqual([
      ['added.txt', 'added', undefined],
      ['docs/new-name.md', 'renamed', 'docs/old-name.md'],
      ['gone.txt', 'removed', undefined],
      ['src/a.ts', 'modified', undefined],
    ]);
    const modified = data.find((f) => f.filename === 'src/a.ts');
    expect(modified).toMatchObject({ additions: 1, deletions: 1, changes: 2 });
    expect(modified?.patch).toBe(
      '@@ -1,7 +1,7 @@\n line 1\n line 2\n line 3\n-line 4\n+line 4 changed\n line 5\n line 6\n line 7',
    );
  });

  it('lists the pull request commits oldest first, and the pull requests of a commit', async () => {
    const commits = await octokit.rest.pulls.listCommits({ ...app, pull_number: 7 });
    expect(commits.data.map((c) => c.commit.message)).toEqual(['drop a', 'rework']);
    expect(commits.data[1]?.author?.login).toBe('alice');
    const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...app,
      commit_sha: featureSha,
    });
    expect(pulls.data.map((p) => p.number)).toEqual([7]);
  });

  it('filters the pull request list by state and head', async () => {
    const open = await octokit.rest.pulls.list({
      ...app,
      state: 'open',
      head: 'acme:feature',
    });
    expect(open.data.map((p) => p.number)).toEqual([7]);
    const other = await octokit.rest.pulls.list({ ...app, head: 'acme:nope' });
    expect(other.data).toEqual([]);
    const closed = await octokit.rest.pulls.list({ ...app, state: 'closed' });
    expect(closed.data).toEqual([]);
  });

  it('pages files with GitHub Link headers that octokit follows', async () => {
    const repo = server.state.repo('acme/app');
    server.seed.commit('acme/app', { branch: 'many', parent: mainSha, files: files(350, 'gen') });
    const pull = server.seed.pullRequest('acme/app', { head: 'many' });
    const first = await octokit.rest.pulls.listFiles({
      ...app,
      pull_number: pull.number,
      per_page: 100,
    });
    const link = `${server.url}/repositories/${repo.id}/pulls/${pull.number}/files?per_page=100`;
    expect(first.headers.link).toBe(`<${link}&page=2>; rel="next", <${link}&page=4>; rel="last"`);
    const second = await octokit.rest.pulls.listFiles({
      ...app,
      pull_number: pull.number,
      per_page: 100,
      page: 2,
    });
    expect(second.headers.link).toBe(
      `<${link}&page=1>; rel="prev", <${link}&page=3>; rel="next", <${link}&page=4>; rel="last", <${link}&page=1>; rel="first"`,
    );
    server.resetLog();
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...app,
      pull_number: pull.number,
      per_page: 100,
    });
    expect(all).toHaveLength(350);
    expect(new Set(all.map((f) => f.filename)).size).toBe(350);
    expect(server.count({ route: 'pulls/list-files' })).toBe(4);
    expect(server.requests.map((r) => r.path)).toContain(
      `/repositories/${repo.id}/pulls/${pull.number}/files`,
    );
  });

  it('answers 30 per page by default and never more than 100', async () => {
    const pull = server.seed.pullRequest('acme/app', { head: 'many' });
    const byDefault = await octokit.rest.pulls.listFiles({
      ...app,
      pull_number: pull.number,
    });
    expect(byDefault.data).toHaveLength(30);
    expect(byDefault.headers.link).toContain('page=12>; rel="last"');
    const capped = await octokit.rest.pulls.listFiles({
      ...app,
      pull_number: pull.number,
      per_page: 500,
    });
    expect(capped.data).toHaveLength(100);
  });

  it('lists at most 3000 files however many the pull request changes', async () => {
    server.seed.commit('acme/app', { branch: 'huge', parent: mainSha, files: files(3050, 'huge') });
    const pull = server.seed.pullRequest('acme/app', { head: 'huge' });
    const { data } = await octokit.rest.pulls.get({ ...app, pull_number: pull.number });
    expect(data.changed_files).toBe(3050);
    server.resetLog();
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...app,
      pull_number: pull.number,
      per_page: 100,
    });
    expect(all).toHaveLength(3000);
    expect(server.count({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/files' })).toBe(30);
  });
});

describe('reviews', () => {
  it('lists reviews with user type, state and commit, DISMISSED included', async () => {
    server.seed.review('acme/app', 7, {
      user: 'bob',
      state: 'APPROVED',
      submitted_at: '2027-01-04T10:00:00Z',
    });
    server.seed.review('acme/app', 7, { user: 'renovate[bot]', state: 'COMMENTED', body: 'beep' });
    server.seed.review('acme/app', 7, { user: 'carol', state: 'DISMISSED', commit_id: mainSha });
    const { data } = await octokit.rest.pulls.listReviews({ ...app, pull_number: 7 });
    expect(data.map((r) => [r.user?.login, r.user?.type, r.state, r.commit_id === featureSha])).toEqual([
      ['bob', 'User', 'APPROVED', true],
      ['renovate[bot]', 'Bot', 'COMMENTED', true],
      ['carol', 'User', 'DISMISSED', false],
    ]);
    expect(data[0]?.submitted_at).toBe('2027-01-04T10:00:00Z');
  });
});

describe('history', () => {
  it('lists the commits touching a path, newest first', async () => {
    const sha = server.seed.commit('acme/app', {
      branch: 'feature',
      files: { 'src/a.ts': 'again\n' },
      message: 'again',
    });
    const { data } = await octokit.rest.repos.listCommits({
      ...app,
      sha: 'feature',
      path: 'src/a.ts',
    });
    expect(data.map((c) => c.commit.message)).toEqual(['again', 'rework', 'drop a', 'Initial commit']);
    expect(data[0]?.sha).toBe(sha);
    const docs = await octokit.rest.repos.listCommits({
      ...app,
      sha: 'feature',
      path: 'docs',
      per_page: 1,
    });
    expect(docs.data.map((c) => c.commit.message)).toEqual(['rework']);
    server.seed.branch('acme/app', 'feature', featureSha);
  });

  it('compares base...head with ahead/behind counts and files', async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...app,
      basehead: 'main...feature',
    });
    expect(data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1, total_commits: 2 });
    expect(data.merge_base_commit.sha).toBe(mainSha);
    expect(data.files?.map((f) => f.filename)).toEqual([
      'added.txt',
      'docs/new-name.md',
      'gone.txt',
      'src/a.ts',
    ]);
    expect(server.count({ route: 'repos/compare-commits-with-basehead' })).toBeGreaterThan(0);
  });

  it('reads a branch ref', async () => {
    const { data } = await octokit.rest.git.getRef({ ...app, ref: 'heads/feature' });
    expect(data).toMatchObject({ ref: 'refs/heads/feature', object: { type: 'commit', sha: featureSha } });
  });

  it('reads a pull request from a fork', async () => {
    server.seed.repo('mallory/app', { parent: 'acme/app' });
    const forkSha = server.seed.commit('mallory/app', {
      branch: 'patch',
      parent: mainSha,
      files: { 'x.txt': 'x\n' },
    });
    const pull = server.seed.pullRequest('acme/app', {
      head: { ref: 'patch', repo: 'mallory/app' },
      user: 'mallory',
    });
    const { data } = await octokit.rest.pulls.get({ ...app, pull_number: pull.number });
    expect(data.head).toMatchObject({
      label: 'mallory:patch',
      sha: forkSha,
      repo: { full_name: 'mallory/app', fork: true },
    });
    const compare = await octokit.rest.repos.compareCommitsWithBasehead({
      ...app,
      basehead: `${mainSha}...mallory:patch`,
    });
    expect(compare.data.files?.map((f) => f.filename)).toEqual(['x.txt']);
  });
});

describe('contents', () => {
  it('returns base64 content at a ref, wrapped like GitHub', async () => {
    const { data } = await octokit.rest.repos.getContent({
      ...app,
      path: 'src/a.ts',
      ref: 'main',
    });
    if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file');
    expect(data.encoding).toBe('base64');
    expect(Buffer.from(data.content, 'base64').toString()).toContain('line 4\n');
    const atSha = await octokit.rest.repos.getContent({
      ...app,
      path: 'added.txt',
      ref: featureSha,
    });
    expect(Array.isArray(atSha.data) ? undefined : atSha.data.path).toBe('added.txt');
  });

  it('answers 404 for a missing file or ref', async () => {
    for (const [path, ref] of [
      ['nope.txt', 'main'],
      ['src/a.ts', 'no-such-branch'],
      ['gone.txt', 'feature'],
    ] as const) {
      await expect(octokit.rest.repos.getContent({ ...app, path, ref })).rejects.toMatchObject({
        status: 404,
      });
    }
  });

  it('sends encoding "none" and no content over 1 MB, and raw bytes on request', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    server.seed.commit('acme/app', { branch: 'big', parent: mainSha, files: { 'big.txt': big } });
    const { data } = await octokit.rest.repos.getContent({
      ...app,
      path: 'big.txt',
      ref: 'big',
    });
    expect(data).toMatchObject({ encoding: 'none', content: '', size: big.length });
    const raw = await octokit.rest.repos.getContent({
      ...app,
      path: 'big.txt',
      ref: 'big',
      mediaType: { format: 'raw' },
    });
    expect(String(raw.data).length).toBe(big.length);
  });

  it('lists a folder and the root', async () => {
    const docs = await octokit.rest.repos.getContent({
      ...app,
      path: 'docs',
      ref: 'main',
    });
    expect(Array.isArray(docs.data) && docs.data.map((e) => [e.name, e.type])).toEqual([
      ['old-name.md', 'file'],
    ]);
    const root = await octokit.rest.repos.getContent({ ...app, path: '', ref: 'main' });
    expect(Array.isArray(root.data) && root.data.map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:README.md',
      'dir:docs',
      'file:gone.txt',
      'dir:src',
    ]);
  });
});

describe('tarball', () => {
  it('redirects to codeload and serves a gzip tar with one {owner}-{repo}-{shortsha}/ folder', async () => {
    const response = await octokit.rest.repos.downloadTarballArchive({
      ...app,
      ref: 'feature',
    });
    expect(response.status).toBe(200);
    expect(server.requests.slice(-2).map((r) => [r.route, r.status])).toEqual([
      ['/repos/{owner}/{repo}/tarball/{ref}', 302],
      ['codeload', 200],
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'maint-tarball-'));
    try {
      await writeFile(join(dir, 'repo.tar.gz'), Buffer.from(response.data as ArrayBuffer));
      const out = join(dir, 'out');
      await mkdir(out);
      await tar.x({ file: join(dir, 'repo.tar.gz'), cwd: out });
      const root = `acme-app-${featureSha.slice(0, 7)}`;
      expect(await readdir(out)).toEqual([root]);
      expect((await readdir(join(out, root))).sort()).toEqual(['README.md', 'added.txt', 'docs', 'src']);
      expect(await readFile(join(out, root, 'docs', 'new-name.md'), 'utf8')).toBe('same bytes\n');
      expect(await readFile(join(out, root, 'src', 'a.ts'), 'utf8')).toContain('line 4 changed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('people', () => {
  it('lists team members, and answers 403 or 404 for a team the token cannot read', async () => {
    server.seed.team('acme', 'sre', { members: ['alice', { login: 'bob', role: 'maintainer' }] });
    server.seed.team('acme', 'secret', { members: ['eve'], access: 404 });
    server.seed.team('acme', 'hidden', { members: ['eve'], access: 403 });
    const { data } = await octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'sre' });
    expect(data.map((u) => u.login)).toEqual(['alice', 'bob']);
    const maintainers = await octokit.rest.teams.listMembersInOrg({
      org: 'acme',
      team_slug: 'sre',
      role: 'maintainer',
    });
    expect(maintainers.data.map((u) => u.login)).toEqual(['bob']);
    await expect(
      octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'secret' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'hidden' }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
  });

  it('answers 403 "Resource not accessible by integration" to a token without members: read', async () => {
    server.seed.token('ghs_actions', { readTeams: false });
    const actions = testOctokit(server, 'ghs_actions');
    await expect(
      actions.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'sre' }),
    ).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
  });

  it('answers single team memberships and collaborator checks', async () => {
    const membership = await octokit.rest.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'sre',
      username: 'bob',
    });
    expect(membership.data).toMatchObject({ role: 'maintainer', state: 'active' });
    await expect(
      octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'eve' }),
    ).rejects.toMatchObject({ status: 404 });
    server.seed.collaborator('acme/app', 'wes', 'write');
    const yes = await octokit.rest.repos.checkCollaborator({ ...app, username: 'wes' });
    expect(yes.status).toBe(204);
    await expect(octokit.rest.repos.checkCollaborator({ ...app, username: 'alice' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('reports collaborator permissions with GitHub legacy names', async () => {
    server.seed.collaborator('acme/app', 'mia', 'maintain');
    server.seed.user('stranger');
    const mia = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...app,
      username: 'mia',
    });
    expect(mia.data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'mia' } });
    const stranger = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...app,
      username: 'stranger',
    });
    expect(stranger.data.permission).toBe('read');
    await expect(
      octokit.rest.repos.getCollaboratorPermissionLevel({
        ...app,
        username: 'nobody-at-all',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('lists collaborators with their permissions, filtered by role and paged', async () => {
    server.seed.collaborator('acme/app', 'tom', 'triage');
    server.seed.collaborator('acme/app', 'ada', 'admin');
    const everyone = await octokit.paginate(octokit.rest.repos.listCollaborators, { ...app, per_page: 2 });
    const byLogin = new Map(everyone.map((c) => [c.login, c]));
    expect(byLogin.get('tom')).toMatchObject({
      role_name: 'triage',
      permissions: { push: false, triage: true },
    });
    expect(byLogin.get('ada')?.permissions).toMatchObject({ admin: true, push: true });
    expect(byLogin.get('wes')?.permissions?.push).toBe(true);
    const pushers = await octokit.rest.repos.listCollaborators({ ...app, permission: 'push', per_page: 100 });
    expect(pushers.data.map((c) => c.login)).not.toContain('tom');
    expect(pushers.data.map((c) => c.login)).toEqual(expect.arrayContaining(['ada', 'wes', 'mia']));
  });
});
