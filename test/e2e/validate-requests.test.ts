// End to end: what the action checks in a pull request's request files, and how it reports them.
import { afterEach, describe, expect, it } from 'vitest';
import { requestYaml } from '../helpers/requests.ts';
import {
  check,
  comments,
  openPullRequest,
  POLICY,
  REPO,
  startRepo,
  sundayAhead,
  sundayInFreeze,
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
const dir = `maintenance/${yearOf(start)}`;

describe('request files, end to end', () => {
  it('an invalid request fails the check with annotations at the offending lines', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: {
        [`${dir}/bad.yaml`]: requestYaml({ start, rollbak: 'oops', rollback: undefined, impact: 'hgih' }),
      },
    });
    const run = await validate(repo, pull);
    expect(run.code).toBe(1); // the step fails too
    expect(run.outputs).toMatchObject({ valid: 'false', conclusion: 'failure' });
    const result = check(repo, pull.head);
    expect(result.conclusion).toBe('failure');
    expect(result.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: `${dir}/bad.yaml`,
          start_line: 9,
          annotation_level: 'failure',
          message: expect.stringContaining('did you mean `high`?'),
        }),
        expect.objectContaining({
          path: `${dir}/bad.yaml`,
          start_line: 13,
          message: expect.stringContaining('unknown field `rollbak`'),
        }),
      ]),
    );
  });

  it('more than 50 annotations reach the check, sent 50 at a time as the Checks API requires', async () => {
    repo = await startRepo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`${dir}/broken-${String(i).padStart(2, '0')}.yaml`] = requestYaml({
        start,
        impact: 'hgih',
        colour: 'red',
      });
    const pull = openPullRequest(repo, { files });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    const result = check(repo, pull.head);
    expect(result.annotations).toHaveLength(60);
    expect(
      repo.server.count({ method: 'PATCH', route: '/repos/{owner}/{repo}/check-runs/{check_run_id}' }),
    ).toBe(2);
  });

  it('a crowded slot is one warning and one error in the comment and the annotations, naming a few', async () => {
    const crowd: Record<string, string> = {};
    for (const name of ['alpha', 'bravo', 'charlie', 'delta'])
      crowd[`${dir}/${name}.yaml`] = requestYaml({ start, duration: '30m', services: `[${name}]` });
    repo = await startRepo(crowd);
    const pull = openPullRequest(repo, {
      files: { [`${dir}/echo.yaml`]: requestYaml({ start, duration: '30m', services: '[echo]' }) },
    });
    await validate(repo, pull);
    // The comment escapes Markdown (backticks become \`); read it without the escapes.
    const comment = comments(repo, pull.number)[0]!.replace(/\\/g, '');
    expect(comment.match(/overlaps 4 other requests in production on Sunday/g)).toHaveLength(1);
    expect(comment).toMatch(/`alpha`, `bravo`, `charlie` and 1 more; check they do not depend/);
    expect(comment.match(/5 maintenances would run at once in production/g)).toHaveLength(1);
    const annotations = check(repo, pull.head).annotations.filter((a) =>
      ['maint conflict', 'maint concurrency'].includes(a.title ?? ''),
    );
    expect(annotations.map((a) => [a.title, a.annotation_level])).toEqual([
      ['maint concurrency', 'failure'],
      ['maint conflict', 'warning'],
    ]);
  });

  it('a request outside the windows is refused with the next free slot', async () => {
    repo = await startRepo();
    const tuesday = `${start.slice(0, 10)}T10:00`.replace(
      /-(\d\d)T/,
      (_, d) => `-${String(Number(d) + 2).padStart(2, '0')}T`,
    );
    const pull = openPullRequest(repo, { files: { [`${dir}/late.yaml`]: requestYaml({ start: tuesday }) } });
    await validate(repo, pull);
    const comment = comments(repo, pull.number)[0]!;
    expect(comment).toContain('outside the production windows');
    expect(comment).toMatch(/Next free slot:\*\* \w+day \d+ \w+ \d{4}, 0[23]:\d\d UTC/);
  });

  it('a PR that changes the policy to allow its own window does not help: the base policy decides', async () => {
    repo = await startRepo();
    const tuesday = `${start.slice(0, 10)}T10:00`.replace(
      /-(\d\d)T/,
      (_, d) => `-${String(Number(d) + 2).padStart(2, '0')}T`,
    );
    const permissive = POLICY.replace(
      "- { name: Sunday primary, days: [sun], start: '02:00', end: '06:00', timezone: UTC }",
      "- { name: Any day, days: [mon, tue, wed, thu, fri, sat, sun], start: '00:00', end: '24:00', timezone: UTC }",
    );
    expect(permissive).not.toBe(POLICY);
    const pull = openPullRequest(repo, {
      files: {
        [`${dir}/late.yaml`]: requestYaml({ start: tuesday }),
        '.github/maintenance-policy.yaml': permissive,
      },
    });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    expect(comments(repo, pull.number)[0]).toContain('outside the production windows');
    // and the policy change itself needs its owner's approval
    expect(JSON.parse(run.outputs['missing-approvals']!).map((m: { path: string }) => m.path)).toContain(
      '.github/maintenance-policy.yaml',
    );
  });

  it('a request in a blackout names the blackout and its reason', async () => {
    repo = await startRepo();
    const frozen = sundayInFreeze();
    const pull = openPullRequest(repo, {
      files: { [`maintenance/${yearOf(frozen)}/frozen.yaml`]: requestYaml({ start: frozen }) },
    });
    await validate(repo, pull);
    expect(comments(repo, pull.number)[0]).toMatch(/blackout "Year-end freeze".*Holiday season/);
  });

  it('deleting a scheduled request is an error: cancel it instead', async () => {
    repo = await startRepo();
    const existing = [...repo.server.state.git.get(repo.base)!.tree.keys()].find((p) =>
      p.includes('existing-db-upgrade'),
    )!;
    const pull = openPullRequest(repo, { files: { [existing]: null } });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    expect(comments(repo, pull.number)[0]).toContain('cancel it with');
  });

  it('a changed request is rebuilt from the base and its patch when its SHA proves it, else read', async () => {
    repo = await startRepo();
    const CONTENTS = { method: 'GET', route: '/repos/{owner}/{repo}/contents/{path}' };
    const tree = repo.server.state.git.get(repo.base)!.tree;
    const existing = [...tree.keys()].find((p) => p.includes('existing-db-upgrade'))!;
    const before = tree.get(existing)!.toString('utf8');
    const retitled = before.replace(/^title: .*$/m, 'title: Upgrade the orders database');
    const pull = openPullRequest(repo, { files: { [existing]: retitled } });
    await validate(repo, pull);
    expect(repo.server.count(CONTENTS)).toBe(0);
    expect(comments(repo, pull.number)[0]).toContain('Upgrade the orders database');

    // The base branch moves on and edits the same file elsewhere: the patch (against the merge base)
    // still applies to the new base, but what it rebuilds is not the head, and the SHA says so.
    const moved = repo.server.seed.commit(REPO, {
      branch: 'main',
      files: { [existing]: `${before}\n# edited on main` },
    });
    repo.server.state.repo(REPO).pulls.get(pull.number)!.base.sha = moved;
    repo.server.resetLog();
    await validate(repo, pull);
    expect(repo.server.count(CONTENTS)).toBe(1);
    expect(comments(repo, pull.number)[0]).toContain('Upgrade the orders database');
  });

  it('hostile text in a title comes out inert in the comment (no mentions, links or HTML)', async () => {
    repo = await startRepo();
    const title =
      '"@acme/everyone <script>alert(1)</script> [click](http://evil.example) #12 {{constructor}} <!-- maint:validate -->"';
    const pull = openPullRequest(repo, { files: { [`${dir}/hostile.yaml`]: requestYaml({ start, title }) } });
    await validate(repo, pull);
    const comment = comments(repo, pull.number)[0]!;
    expect(comment.match(/<!-- maint:validate -->/g)).toHaveLength(1);
    expect(comment).not.toMatch(/@acme\/everyone/);
    expect(comment).not.toContain('<script>');
    expect(comment).not.toMatch(/\]\(http:\/\/evil/);
    // Template syntax in a value is printed, never evaluated.
    expect(comment).toMatch(/\\?\{\\?\{constructor\\?\}\\?\}/);
  });
});

describe('pull requests from forks and at scale', () => {
  it('a fork PR gets its check and comment (pull_request_target)', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: { [`${dir}/from-fork.yaml`]: requestYaml({ start }) },
      fork: 'mallory',
      author: 'mallory',
    });
    const run = await validate(repo, pull);
    expect(run.code).toBe(0);
    expect(check(repo, pull.head).conclusion).toBe('action_required');
    expect(comments(repo, pull.number)).toHaveLength(1);
  });

  it('a review on a fork PR re-validates through workflow_run, finding the PR by its head SHA', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: { [`${dir}/from-fork.yaml`]: requestYaml({ start }) },
      fork: 'mallory',
      author: 'mallory',
    });
    repo.server.seed.review(REPO, pull.number, { user: 'bob', state: 'APPROVED', commit_id: pull.head });
    const { runAction, workflowRunEvent } = await import('./run-action.ts');
    const run = await runAction({
      apiUrl: repo.server.url,
      repository: REPO,
      eventName: 'workflow_run',
      payload: workflowRunEvent({
        repository: REPO,
        headSha: pull.head,
        headBranch: pull.branch,
        headOwner: 'mallory',
      }),
      inputs: { mode: 'validate', token: 'ghs_maint_test' },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.approved).toBe('true');
    expect(check(repo, pull.head).conclusion).toBe('success');
  });

  it('a read-only token (a fork pull_request run) fails clearly, never as success', async () => {
    repo = await startRepo();
    repo.server.seed.token('ghs_read_only', { readOnly: true });
    const pull = openPullRequest(repo, { files: { [`${dir}/x.yaml`]: requestYaml({ start }) } });
    const run = await validate(repo, pull, 'pull_request', 'ghs_read_only');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*(403|Resource not accessible)/);
    expect(repo.server.state.checkRuns(REPO)).toHaveLength(0);
  });

  it('300 changed files are all read (paginated); the request among them is validated', async () => {
    repo = await startRepo();
    const files: Record<string, string> = {
      [`${dir}/bulk.yaml`]: requestYaml({ start, title: 'Bulk change' }),
    };
    for (let i = 0; i < 299; i++) files[`docs/page-${String(i).padStart(3, '0')}.md`] = `page ${i}\n`;
    const pull = openPullRequest(repo, { files });
    const run = await validate(repo, pull);
    expect(run.code).toBe(0);
    expect(repo.server.count({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/files' })).toBe(3);
    expect(comments(repo, pull.number)[0]).toContain('Bulk change');
  });
});

describe('failures of the API', () => {
  it('a 502 and a secondary rate limit are retried and the run succeeds', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [`${dir}/x.yaml`]: requestYaml({ start }) } });
    repo.server.fail({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/files', status: 502, times: 1 });
    repo.server.fail({
      route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      rateLimit: 'secondary',
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    repo.server.fail({
      route: '/repos/{owner}/{repo}/contents/{path}',
      rateLimit: 'primary',
      status: 403,
      times: 1,
    });
    const run = await validate(repo, pull);
    expect(run.code, run.stdout).toBe(0);
    expect(check(repo, pull.head).conclusion).toBe('action_required');
    expect(repo.server.count({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/files' })).toBe(2);
  });

  it('an API that keeps failing ends the check as a failure with the reason (fail closed)', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [`${dir}/x.yaml`]: requestYaml({ start }) } });
    repo.server.fail({
      route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      status: 502,
      times: Infinity,
    });
    const run = await validate(repo, pull);
    expect(run.code).toBe(1);
    const result = check(repo, pull.head);
    expect(result).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(result.output.summary).toMatch(/failed closed.*reviews.*502/s);
  }, 60_000);
});
