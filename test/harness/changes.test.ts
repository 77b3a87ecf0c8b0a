// The test server's routes that change a repository, through @octokit/rest and checked against
// GitHub's OpenAPI description both ways: branches, one-file commits, pull requests opened and edited.
import type { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from './github-server.ts';
import { testOctokit } from './octokit.ts';

let server: GitHubServer;
let octokit: Octokit;
let main: string;
const repo = { owner: 'acme', repo: 'app' };
const status = (error: unknown) => (error as { status?: number }).status;

beforeAll(async () => {
  server = await startGitHubServer({ checkResponses: true });
  octokit = testOctokit(server, 'ghs_write');
  server.seed.repo('acme/app', { files: { 'README.md': '# app\n' } });
  main = server.state.repo('acme/app').refs.get('refs/heads/main')!;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.resetLog());
afterEach(() => {
  expect(server.violations).toEqual([]);
});

describe('branches, files and pull requests', () => {
  it('a branch made from a commit is read back by name, slashes and all; making it twice is refused', async () => {
    const made = await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/maint/intake-1', sha: main });
    expect(made.status).toBe(201);
    const read = await octokit.rest.git.getRef({ ...repo, ref: 'heads/maint/intake-1' });
    expect(read.data.object.sha).toBe(main);
    await expect(
      octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/maint/intake-1', sha: main }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(octokit.rest.git.getRef({ ...repo, ref: 'heads/none' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('a file is created, then replaced only with the sha of what it replaces', async () => {
    const path = 'maintenance/2027/a.yaml';
    const put = (content: string, sha?: string) =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        branch: 'maint/intake-1',
        message: 'Add a',
        content: Buffer.from(content).toString('base64'),
        ...(sha ? { sha } : {}),
      });
    const created = await put('title: a\n');
    expect(created.status).toBe(201);
    expect(created.data.commit.parents?.[0]?.sha).toBe(main);
    expect(created.data.commit.author?.name).toBe('github-actions[bot]');
    await expect(put('title: b\n')).rejects.toMatchObject({ status: 422 });
    await expect(put('title: b\n', 'f'.repeat(40))).rejects.toMatchObject({ status: 409 });
    const updated = await put('title: b\n', created.data.content!.sha);
    expect(updated.status).toBe(200);
    const file = await octokit.rest.repos.getContent({ ...repo, path, ref: 'maint/intake-1' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString()).toBe('title: b\n');
    expect(server.state.repo('acme/app').refs.get('refs/heads/main')).toBe(main);
  });

  it('a pull request is opened once per head, follows its branch, closes and reopens', async () => {
    const opened = await octokit.rest.pulls.create({
      ...repo,
      head: 'maint/intake-1',
      base: 'main',
      title: 'T',
      body: 'Closes #9',
    });
    expect(opened.status).toBe(201);
    expect(opened.data).toMatchObject({
      state: 'open',
      user: { login: 'github-actions[bot]' },
      body: 'Closes #9',
    });
    await expect(
      octokit.rest.pulls.create({ ...repo, head: 'maint/intake-1', base: 'main', title: 'again' }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/empty', sha: main });
    await expect(
      octokit.rest.pulls.create({ ...repo, head: 'empty', base: 'main', title: 'x' }),
    ).rejects.toMatchObject({
      status: 422,
    });

    const files = await octokit.rest.pulls.listFiles({ ...repo, pull_number: opened.data.number });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([['maintenance/2027/a.yaml', 'added']]);
    const before = opened.data.head.sha;
    const { data: file } = await octokit.rest.repos.getContent({
      ...repo,
      path: 'maintenance/2027/a.yaml',
      ref: 'maint/intake-1',
    });
    await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'maintenance/2027/a.yaml',
      branch: 'maint/intake-1',
      message: 'Update a',
      content: Buffer.from('title: c\n').toString('base64'),
      sha: (file as { sha: string }).sha,
    });
    const moved = await octokit.rest.pulls.get({ ...repo, pull_number: opened.data.number });
    expect(moved.data.head.sha).not.toBe(before);
    expect(moved.data.commits).toBe(3);

    await octokit.rest.pulls.update({
      ...repo,
      pull_number: opened.data.number,
      state: 'closed',
      title: 'T2',
    });
    const listed = await octokit.rest.pulls.list({ ...repo, state: 'all', head: 'acme:maint/intake-1' });
    expect(listed.data.map((p) => [p.number, p.state, p.title])).toEqual([
      [opened.data.number, 'closed', 'T2'],
    ]);
    await octokit.rest.pulls.update({ ...repo, pull_number: opened.data.number, state: 'open' });
    expect(server.state.issue('acme/app', opened.data.number)?.state).toBe('open');
  });

  it('writes need a token that may write', async () => {
    server.seed.token('ghs_read', { readOnly: true });
    const reader = testOctokit(server, 'ghs_read');
    const error = await reader.rest.git
      .createRef({ ...repo, ref: 'refs/heads/x', sha: main })
      .catch((e: unknown) => e);
    expect(status(error)).toBe(403);
  });
});
