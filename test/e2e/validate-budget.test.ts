// End to end: the exact API requests a validation makes for common pull request shapes, and what
// happens when the event describes a head the branch has moved on from. Counts are exact: every
// request listed here is one the action needs (see README, "A validation makes these requests").
import { afterEach, describe, expect, it } from 'vitest';
import { requestYaml } from '../helpers/requests.ts';
import {
  check,
  comments,
  openPullRequest,
  push,
  REPO,
  startRepo,
  sundayAhead,
  validate,
  yearOf,
  type Repo,
} from './scenario.ts';

let repo: Repo;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
});

const start = sundayAhead(21);
const path = `maintenance/${yearOf(start)}/kernel-patch.yaml`;
/** The API requests of the last run, in order (the tarball's redirect to codeload is a download). */
const apiRequests = () =>
  repo.server.requests.filter((r) => r.route !== 'codeload').map((r) => `${r.method} ${r.route}`);
const approve = (pull: { number: number; head: string }, user: string, commit = pull.head) =>
  repo.server.seed.review(REPO, pull.number, { user, state: 'APPROVED', commit_id: commit });

describe('the API requests of a validation', () => {
  it('a PR that changes no request, policy or CODEOWNERS: nothing to check in 3 requests, no download', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { 'README.md': '# app\n\nNew words.\n' } });
    const run = await validate(repo, pull);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ conclusion: 'success', valid: 'true' });
    expect(repo.server.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
      'POST /repos/{owner}/{repo}/check-runs',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);
    expect(check(repo, pull.head)).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: expect.objectContaining({ title: 'No maintenance requests changed' }),
    });
    expect(comments(repo, pull.number)).toEqual([]);
  });

  it('one low-impact request approved on its latest commit: 8 requests', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ approved: 'true', conclusion: 'success' });
    expect(apiRequests()).toEqual([
      'POST /repos/{owner}/{repo}/check-runs',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      'GET /repos/{owner}/{repo}/tarball/{ref}',
      // Who may push, of the reviewer and the code owners the comment may name: one page for all.
      'GET /repos/{owner}/{repo}/collaborators',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);

    // Validated again once the comment exists: it is updated in place, in as many requests.
    approve(pull, 'dave');
    repo.server.resetLog();
    await validate(repo, pull);
    expect(apiRequests()).toHaveLength(8);
    expect(apiRequests()).toContain('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}');
    expect(comments(repo, pull.number)).toHaveLength(1);
  });

  it('approved on an older commit, then a commit to an unowned README: 10 requests, no history for the README', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    push(repo, pull, { 'README.md': '# app\n\nLater words.\n' });
    repo.server.resetLog();
    const run = await validate(repo, pull);
    // The approval still counts: the request did not change after it.
    expect(run.outputs).toMatchObject({ approved: 'true', conclusion: 'success' });
    expect(apiRequests()).toHaveLength(10);
    // One history lookup, for the request: nobody must approve the README.
    const history = repo.server.requests.filter((r) => r.route === '/repos/{owner}/{repo}/commits');
    expect(history.map((r) => r.query.path)).toEqual([path]);
    expect(repo.server.count({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/commits' })).toBe(1);
  });

  it('a change to an owned file after the approval is still looked up, and makes the approval stale', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    push(repo, pull, { [path]: requestYaml({ start, description: 'Changed after the review' }) });
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ approved: 'false', conclusion: 'action_required' });
    expect(repo.server.count({ route: '/repos/{owner}/{repo}/commits' })).toBe(1);
  });
});

describe('an event about a head the branch has moved on from', () => {
  it('fails closed on the commit it describes, and the run for the new head validates it', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    const described = { number: pull.number, head: pull.head };
    approve(pull, 'bob');
    // A push lands after the event fired, before the run reads the files.
    push(repo, pull, { 'README.md': '# app\n\nPushed meanwhile.\n' });
    const stale = await validate(repo, described);
    expect(stale.code).toBe(1);
    const old = check(repo, described.head);
    expect(old).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(old.output.summary).toMatch(/head moved from .* to .*; the run for .* checks it/);
    // Nothing was downloaded or decided on the other commit's files.
    expect(repo.server.count({ route: '/repos/{owner}/{repo}/tarball/{ref}' })).toBe(0);
    expect(repo.server.state.checkRuns(REPO, pull.head)).toEqual([]);

    const current = await validate(repo, pull);
    expect(current.outputs).toMatchObject({ approved: 'true', conclusion: 'success' });
  });

  it('a PR that only deletes files cannot say which commit it lists, so the live pull request is read', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { 'README.md': null } });
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ conclusion: 'success' });
    expect(apiRequests()).toEqual([
      'POST /repos/{owner}/{repo}/check-runs',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);
  });
});
