// The test server's write routes through @octokit/rest: check runs and annotations, comments, issues and
// labels, workflow dispatches and runs, and what read-only and anonymous callers get.
import type { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from './github-server.ts';
import { testOctokit } from './octokit.ts';

let server: GitHubServer;
let octokit: Octokit;
let head: string;

const repo = { owner: 'acme', repo: 'app' };

function annotations(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    path: 'maintenance/a.yaml',
    start_line: from + i + 1,
    end_line: from + i + 1,
    annotation_level: 'warning' as const,
    message: `finding ${from + i}`,
  }));
}

beforeAll(async () => {
  server = await startGitHubServer({
    checkResponses: true,
    autoCompleteRuns: { afterPolls: 2, conclusion: 'success' },
  });
  octokit = testOctokit(server, 'ghs_write');
  server.seed.org('acme');
  server.seed.repo('acme/app', { files: { 'README.md': '# app\n' } });
  head = server.seed.commit('acme/app', { branch: 'feature', files: { 'maintenance/a.yaml': 'title: a\n' } });
  server.seed.commit('acme/app', { branch: 'main', files: {} });
  server.seed.pullRequest('acme/app', { number: 1, head: 'feature', user: 'alice' });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.resetLog();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

describe('check runs', () => {
  it('creates, updates with appended annotations, completes and lists a check run', async () => {
    const created = await octokit.rest.checks.create({
      ...repo,
      name: 'maint / validate',
      head_sha: head,
      status: 'in_progress',
      output: { title: 'Validating', summary: 'running', annotations: annotations(50) },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      status: 'in_progress',
      conclusion: null,
      app: { slug: 'github-actions' },
    });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([1]);
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: '2 errors', summary: 'see annotations', annotations: annotations(30, 50) },
    });
    const [run] = server.state.checkRuns('acme/app', head);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 errors' } });
    expect(run?.annotations).toHaveLength(80);
    expect(run?.annotations[79]?.message).toBe('finding 79');
    const listed = await octokit.rest.checks.listForRef({ ...repo, ref: 'feature' });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]?.output.annotations_count).toBe(80);
    const stored = await octokit.paginate(octokit.rest.checks.listAnnotations, {
      ...repo,
      check_run_id: created.data.id,
      per_page: 100,
    });
    expect(stored).toHaveLength(80);
  });

  it('rejects 51 annotations in one request with 422 and records the violation', async () => {
    await expect(
      octokit.rest.checks.create({
        ...repo,
        name: 'too many',
        head_sha: head,
        output: { title: 't', summary: 's', annotations: annotations(51) },
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(server.violations).toEqual([
      expect.objectContaining({ kind: 'body', message: expect.stringContaining('more than 50 items') }),
    ]);
    expect(server.state.checkRuns('acme/app').map((r) => r.name)).not.toContain('too many');
    server.resetLog();
  });

  it('lists only the latest run per name unless filter=all', async () => {
    await octokit.rest.checks.create({ ...repo, name: 'again', head_sha: head, conclusion: 'success' });
    await octokit.rest.checks.create({ ...repo, name: 'again', head_sha: head, conclusion: 'neutral' });
    const latest = await octokit.rest.checks.listForRef({ ...repo, ref: head, check_name: 'again' });
    expect(latest.data.check_runs.map((r) => r.conclusion)).toEqual(['neutral']);
    const all = await octokit.rest.checks.listForRef({
      ...repo,
      ref: head,
      check_name: 'again',
      filter: 'all',
    });
    expect(all.data.total_count).toBe(2);
  });
});

describe('comments', () => {
  it('creates, lists, updates and deletes comments as github-actions[bot]', async () => {
    server.seed.comment('acme/app', 1, { body: 'human note', user: 'bob' });
    const created = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: '<!-- maint -->\nv1',
    });
    expect(created.data.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect(created.data.html_url).toContain('/pull/1#issuecomment-');
    const listed = await octokit.rest.issues.listComments({ ...repo, issue_number: 1 });
    expect(listed.data.map((c) => c.body)).toEqual(['human note', '<!-- maint -->\nv1']);
    await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: created.data.id,
      body: '<!-- maint -->\nv2',
    });
    expect(server.state.comments('acme/app', 1).map((c) => c.body)).toEqual([
      'human note',
      '<!-- maint -->\nv2',
    ]);
    await octokit.rest.issues.deleteComment({ ...repo, comment_id: created.data.id });
    expect(server.state.comments('acme/app', 1)).toHaveLength(1);
    await expect(
      octokit.rest.issues.updateComment({ ...repo, comment_id: created.data.id, body: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('issues and labels', () => {
  it('creates issues with labels, filters them, and closes one as not planned', async () => {
    server.seed.label('acme/app', { name: 'maintenance', color: '0e8a16', description: 'Planned work' });
    const first = await octokit.rest.issues.create({
      ...repo,
      title: 'Maintenance results 2027-W01',
      body: 'results',
      labels: ['maintenance', 'maint:results'],
    });
    expect(first.status).toBe(201);
    expect(first.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
      'maintenance',
      'maint:results',
    ]);
    await octokit.rest.issues.create({ ...repo, title: 'Other', labels: ['maintenance'] });
    const both = await octokit.rest.issues.listForRepo({
      ...repo,
      labels: 'maintenance,maint:results',
      state: 'all',
    });
    expect(both.data.map((i) => i.title)).toEqual(['Maintenance results 2027-W01']);
    const anyState = await octokit.rest.issues.listForRepo({ ...repo, labels: 'maintenance' });
    expect(anyState.data.map((i) => i.number)).toEqual([first.data.number + 1, first.data.number]);
    const withPulls = await octokit.rest.issues.listForRepo({ ...repo, state: 'open', per_page: 100 });
    expect(withPulls.data.find((i) => i.number === 1)?.pull_request).toBeDefined();

    const closed = await octokit.rest.issues.update({
      ...repo,
      issue_number: first.data.number,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.data.closed_at).not.toBeNull();
    const open = await octokit.rest.issues.listForRepo({ ...repo, labels: 'maintenance' });
    expect(open.data.map((i) => i.title)).toEqual(['Other']);
    expect(server.state.issue('acme/app', first.data.number)?.state_reason).toBe('not_planned');
  });

  it('adds and removes labels, answering 404 for a label the issue does not have', async () => {
    const issue = server.seed.issue('acme/app', { title: 'labels', labels: ['a'] });
    const added = await octokit.rest.issues.addLabels({
      ...repo,
      issue_number: issue.number,
      labels: ['b', 'c'],
    });
    expect(added.data.map((l) => l.name)).toEqual(['a', 'b', 'c']);
    const removed = await octokit.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'b' });
    expect(removed.data.map((l) => l.name)).toEqual(['a', 'c']);
    await expect(
      octokit.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'b' }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Label does not exist'),
    });
    const got = await octokit.rest.issues.get({ ...repo, issue_number: issue.number });
    expect(got.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['a', 'c']);
  });

  it('lists issues updated since a time', async () => {
    server.seed.issue('acme/app', {
      title: 'old',
      updated_at: '2020-01-01T00:00:00Z',
      created_at: '2020-01-01T00:00:00Z',
    });
    const recent = await octokit.paginate(octokit.rest.issues.listForRepo, {
      ...repo,
      since: '2024-01-01T00:00:00Z',
    });
    expect(recent.map((i) => i.title)).not.toContain('old');
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo });
    expect(all.map((i) => i.title)).toContain('old');
  });

  it('creates repository labels once and lists them', async () => {
    await octokit.rest.issues.createLabel({ ...repo, name: 'maint:blocked', color: 'b60205' });
    await expect(octokit.rest.issues.createLabel({ ...repo, name: 'MAINT:blocked' })).rejects.toMatchObject({
      status: 422,
    });
    const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, repo);
    expect(labels.find((l) => l.name === 'maint:blocked')).toMatchObject({ color: 'b60205' });
  });
});

describe('workflow dispatches and runs', () => {
  it('dispatches a workflow, lists the run by event and creation time, and completes it after two polls', async () => {
    server.seed.workflow('acme/app', { path: 'deploy.yml', name: 'Deploy' });
    const before = new Date(Date.now() - 1000).toISOString();
    const dispatched = await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs: { request: 'db-upgrade' },
    });
    expect(dispatched.status).toBe(204);
    expect(server.state.dispatches('acme/app')).toEqual([
      expect.objectContaining({ ref: 'main', inputs: { request: 'db-upgrade' } }),
    ]);
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({
      ...repo,
      event: 'workflow_dispatch',
      created: `>=${before}`,
      per_page: 10,
    });
    expect(runs.data.total_count).toBe(1);
    const id = runs.data.workflow_runs[0]?.id as number;
    const first = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: id });
    expect(first.data.status).toBe('in_progress');
    const second = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: id });
    expect(second.data).toMatchObject({ status: 'completed', conclusion: 'success' });
    const none = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, created: '<2020-01-01' });
    expect(none.data.total_count).toBe(0);
  });

  it('lets the test complete a run with a conclusion', async () => {
    const workflow = server.seed.workflow('acme/app', { path: '.github/workflows/ops.yml' });
    const dispatched = await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: workflow.id,
      ref: 'main',
      return_run_details: true,
    });
    const runId = (dispatched.data as unknown as { workflow_run_id: number }).workflow_run_id;
    server.completeRun('acme/app', runId, 'failure');
    const run = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    expect(run.data).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      path: '.github/workflows/ops.yml',
    });
  });

  it('answers 422 for an unknown ref or a workflow without workflow_dispatch', async () => {
    server.seed.workflow('acme/app', { path: 'push-only.yml', dispatchable: false });
    await expect(
      octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'deploy.yml', ref: 'nope' }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('No ref found for: nope') });
    await expect(
      octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'push-only.yml', ref: 'main' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('tokens', () => {
  it('answers writes with a read-only token 403 "Resource not accessible by integration", reads work', async () => {
    server.seed.token('ghs_fork', { readOnly: true });
    const fork = testOctokit(server, 'ghs_fork');
    await expect(
      fork.rest.issues.createComment({ ...repo, issue_number: 1, body: 'x' }),
    ).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
    await expect(fork.rest.checks.create({ ...repo, name: 'x', head_sha: head })).rejects.toMatchObject({
      status: 403,
    });
    const pull = await fork.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(pull.status).toBe(200);
  });

  it('answers anonymous writes 401 and hides private repositories', async () => {
    server.seed.repo('acme/secret', { private: true, files: { a: 'a' } });
    const anonymous = testOctokit(server, null);
    await expect(anonymous.rest.issues.create({ ...repo, title: 'x' })).rejects.toMatchObject({
      status: 401,
    });
    await expect(anonymous.rest.repos.get({ owner: 'acme', repo: 'secret' })).rejects.toMatchObject({
      status: 404,
    });
    const named = await octokit.rest.repos.get({ owner: 'acme', repo: 'secret' });
    expect(named.data.private).toBe(true);
  });

  it('attributes writes to the token login', async () => {
    server.seed.token('ghs_app', { login: 'maint-app[bot]' });
    const app = testOctokit(server, 'ghs_app');
    const issue = await app.rest.issues.create({ ...repo, title: 'from the app' });
    expect(issue.data.user).toMatchObject({ login: 'maint-app[bot]', type: 'Bot' });
  });
});

describe('reviews and review comments', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line${i + 1}: ${i + 1}`);
  const text = (change: Record<number, string>) => `${lines.map((l, i) => change[i + 1] ?? l).join('\n')}\n`;
  let reviewHead: string;

  beforeAll(() => {
    const base = server.seed.commit('acme/app', { branch: 'main', files: { 'long.yaml': text({}) } });
    // Lines 2 and 25 change: hunks show lines 1-5 and 22-28 of the head.
    reviewHead = server.seed.commit('acme/app', {
      branch: 'review-me',
      parent: base,
      files: { 'long.yaml': text({ 2: 'line2: two', 25: 'line25: twenty-five' }) },
    });
    server.seed.pullRequest('acme/app', { number: 7, head: 'review-me', user: 'alice' });
  });

  const suggestion = (line: number, start?: number) => ({
    path: 'long.yaml',
    line,
    side: 'RIGHT',
    ...(start !== undefined ? { start_line: start, start_side: 'RIGHT' } : {}),
    body: '```suggestion\nx\n```',
  });

  it('submits a comment-only review on lines of the diff; its comments list with their lines and hunks', async () => {
    const review = await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: 7,
      commit_id: reviewHead,
      event: 'COMMENT',
      body: '',
      comments: [suggestion(2), suggestion(25, 22)],
    });
    expect(review.status).toBe(200);
    expect(review.data).toMatchObject({ state: 'COMMENTED', body: '', commit_id: reviewHead });
    const listed = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: 7 });
    expect(listed.data).toMatchObject([
      {
        path: 'long.yaml',
        line: 2,
        original_line: 2,
        start_line: null,
        pull_request_review_id: review.data.id,
      },
      { line: 25, start_line: 22, original_start_line: 22, commit_id: reviewHead, side: 'RIGHT' },
    ]);
    expect(listed.data[0]!.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect(listed.data[0]!.diff_hunk).toMatch(/^@@ -1,5 \+1,5 @@\n line1: 1\n-line2: 2\n\+line2: two$/);
  });

  it.each([
    [
      'a line outside every hunk',
      [suggestion(12)],
      'Pull request review thread line must be part of the diff',
    ],
    ['a range over two hunks', [suggestion(23, 4)], 'start line must be part of the same hunk'],
    ['a range that starts at its own line', [suggestion(3, 3)], 'start_line must precede the end line'],
    [
      'a file the pull request does not change',
      [{ ...suggestion(1), path: 'README.md' }],
      'Path could not be resolved',
    ],
  ])('refuses the whole review for %s (422), keeping nothing', async (_name, comments, message) => {
    const before = server.state.reviewComments('acme/app', 7).length;
    const reviews = server.state.reviews('acme/app', 7).length;
    await expect(
      octokit.rest.pulls.createReview({
        ...repo,
        pull_number: 7,
        event: 'COMMENT',
        comments: [suggestion(2), ...comments],
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [expect.stringContaining(message)] } },
    });
    expect(server.state.reviewComments('acme/app', 7)).toHaveLength(before);
    expect(server.state.reviews('acme/app', 7)).toHaveLength(reviews);
  });

  it('refuses a comment review with neither text nor comments', async () => {
    await expect(
      octokit.rest.pulls.createReview({ ...repo, pull_number: 7, event: 'COMMENT' }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('deletes a review comment (404 the second time); the review itself stays', async () => {
    const [first] = server.state.reviewComments('acme/app', 7);
    const deleted = await octokit.rest.pulls.deleteReviewComment({ ...repo, comment_id: first!.id });
    expect(deleted.status).toBe(204);
    await expect(
      octokit.rest.pulls.deleteReviewComment({ ...repo, comment_id: first!.id }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const listed = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: 7 });
    expect(listed.data.map((c) => c.id)).not.toContain(first!.id);
    const reviews = await octokit.rest.pulls.listReviews({ ...repo, pull_number: 7 });
    expect(reviews.data.map((r) => r.id)).toContain(first!.review_id);
  });

  it('a push that changes a commented line makes its comment outdated (no line); others keep theirs', async () => {
    await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: 7,
      event: 'COMMENT',
      comments: [suggestion(2)],
    });
    const pushed = server.seed.commit('acme/app', {
      branch: 'review-me',
      parent: reviewHead,
      files: { 'long.yaml': text({ 2: 'line2: deux', 25: 'line25: twenty-five' }) },
    });
    server.state.repo('acme/app').pulls.get(7)!.head.sha = pushed;
    const listed = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: 7 });
    const onTwo = listed.data.find((c) => c.original_line === 2)!;
    const onTwentyFive = listed.data.find((c) => c.original_line === 25)!;
    expect(onTwo.line).toBeUndefined();
    expect(onTwo.commit_id).toBe(reviewHead);
    expect(onTwentyFive).toMatchObject({ line: 25, commit_id: pushed });
  });

  it('a read-only token (a fork pull_request run) may not review: 403', async () => {
    server.seed.token('ghs_fork_reviews', { readOnly: true });
    const fork = testOctokit(server, 'ghs_fork_reviews');
    await expect(
      fork.rest.pulls.createReview({ ...repo, pull_number: 7, event: 'COMMENT', comments: [suggestion(2)] }),
    ).rejects.toMatchObject({ status: 403 });
  });
});
