// End to end: the bundled action on pull requests, as GitHub runs it, against the local GitHub API
// server. Approvals: who counts, when an approval goes stale, what blocks.
import { afterEach, describe, expect, it } from 'vitest';
import { requestYaml } from '../helpers/requests.ts';
import {
  check,
  comments,
  openPullRequest,
  POLICY,
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
/** The comment's text as people read it: no zero-width spaces after @, no Markdown escapes. */
const plain = (comment: string) =>
  comment
    .replace(/\u200b/g, '')
    .replace(/\\([\\`*_[\]()!|~$#.+=-])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const approve = (
  pull: { number: number; head: string },
  user: string,
  state = 'APPROVED',
  commit = pull.head,
) => repo.server.seed.review(REPO, pull.number, { user, state: state as 'APPROVED', commit_id: commit });

describe('approvals, end to end', () => {
  it('valid and approved: success, with at most 10 API requests', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    const run = await validate(repo, pull);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      valid: 'true',
      approved: 'true',
      'missing-approvals': '[]',
      conclusion: 'success',
    });
    expect(check(repo, pull.head)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(comments(repo, pull.number)).toHaveLength(1);
    expect(run.summary).toContain('Approval snapshot');
    const api = repo.server.requests.filter((r) => r.route !== 'codeload');
    expect(api.length, api.map((r) => `${r.method} ${r.route}`).join('\n')).toBeLessThanOrEqual(10);
  });

  describe('high impact, three approvers: one page of collaborators says who may push', () => {
    const LIST = { method: 'GET', route: '/repos/{owner}/{repo}/collaborators' };
    const ONE = { method: 'GET', route: '/repos/{owner}/{repo}/collaborators/{username}/permission' };
    const highImpact = () =>
      openPullRequest(repo, { files: { [path]: requestYaml({ start, impact: 'high' }) } });

    it('approved by two code owners and the CTO office: success within 10 API requests', async () => {
      repo = await startRepo();
      const pull = highImpact();
      for (const user of ['bob', 'dave', 'frank']) approve(pull, user);
      const run = await validate(repo, pull);
      expect(run.outputs).toMatchObject({ approved: 'true', conclusion: 'success' });
      const api = repo.server.requests.filter((r) => r.route !== 'codeload');
      expect(api.length, api.map((r) => `${r.method} ${r.route}`).join('\n')).toBeLessThanOrEqual(10);
      expect([repo.server.count(LIST), repo.server.count(ONE)]).toEqual([1, 0]);
    });

    it.each([
      ['the list answers for everyone', () => {}, [1, 0]],
      [
        'the list has more pages: whoever is not on the first is asked about alone',
        () => {
          const people = repo.server.state.repo(REPO).collaborators;
          people.delete('dave');
          for (let i = 0; i < 120; i++) repo.server.seed.collaborator(REPO, `filler-${i}`, 'read');
          people.set('dave', 'read');
        },
        [1, 1],
      ],
      [
        'the list is refused: everyone is asked about alone, the three reviewers and erin, the owner the comment may name',
        () => repo.server.fail({ route: LIST.route, status: 403, times: Infinity }),
        [1, 4],
      ],
    ] as const)('a code owner who can no longer push does not count (%s)', async (_, arrange, calls) => {
      repo = await startRepo();
      const pull = highImpact();
      for (const user of ['bob', 'dave', 'frank']) approve(pull, user);
      repo.server.seed.collaborator(REPO, 'dave', 'read');
      arrange();
      const run = await validate(repo, pull);
      expect(run.outputs).toMatchObject({ approved: 'false', conclusion: 'action_required' });
      expect(JSON.parse(run.outputs['missing-approvals']!)).toEqual([
        { path, group: `code owners of ${path}`, missing: 1 },
      ]);
      expect([repo.server.count(LIST), repo.server.count(ONE)]).toEqual(calls);
    });
  });

  it('missing an owner: action_required, naming who can approve', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    const run = await validate(repo, pull);
    expect(run.code).toBe(0); // the request is valid; the check waits for approval
    expect(run.outputs).toMatchObject({ valid: 'true', approved: 'false', conclusion: 'action_required' });
    expect(JSON.parse(run.outputs['missing-approvals']!)).toEqual([
      { path, group: `code owners of ${path}`, missing: 1 },
    ]);
    expect(check(repo, pull.head).conclusion).toBe('action_required');
    expect(comments(repo, pull.number)[0]).toMatch(/1 more, from @\u200b?bob, @\u200b?dave, @\u200b?erin/);
  });

  it('high impact needs two owners plus one of the CTO office', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start, impact: 'high' }) } });
    approve(pull, 'bob');
    approve(pull, 'dave');
    const waiting = await validate(repo, pull);
    expect(JSON.parse(waiting.outputs['missing-approvals']!)).toEqual([
      { path, group: '@acme/cto-office', missing: 1 },
    ]);
    approve(pull, 'frank');
    const approved = await validate(repo, pull);
    expect(approved.outputs).toMatchObject({ approved: 'true', conclusion: 'success' });
    expect(comments(repo, pull.number)).toHaveLength(1); // updated in place, not duplicated
  });

  it("the author's own approval never counts", async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) }, author: 'bob' });
    approve(pull, 'bob');
    const run = await validate(repo, pull);
    expect(run.outputs.approved).toBe('false');
    expect(comments(repo, pull.number)[0]).toContain('the author');
  });

  it('an approval goes stale after a push to the request, not after a push to another file', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    push(repo, pull, { 'docs/notes.md': 'Unrelated notes\n' });
    expect((await validate(repo, pull)).outputs.approved).toBe('true');
    push(repo, pull, { [path]: requestYaml({ start, description: 'Changed after the review' }) });
    const stale = await validate(repo, pull);
    expect(stale.outputs.approved).toBe('false');
    expect(comments(repo, pull.number)[0]).toMatch(/stale|before .* changed/i);
  });

  it('an approval that is dismissed no longer counts', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    approve(pull, 'bob', 'DISMISSED');
    expect((await validate(repo, pull)).outputs.approved).toBe('false');
  });

  it('changes requested by an owner block, even with another approval', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
    approve(pull, 'bob');
    approve(pull, 'dave', 'CHANGES_REQUESTED');
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ approved: 'false', conclusion: 'action_required' });
    expect(comments(repo, pull.number)[0]).toMatch(/dave requested changes/);
  });

  it('a team owner is satisfied by a member', async () => {
    repo = await startRepo();
    const teamPath = `maintenance/teams/${yearOf(start)}-cache-flush.yaml`;
    const pull = openPullRequest(repo, {
      files: { [teamPath]: requestYaml({ start, services: '[cache]' }) },
    });
    approve(pull, 'dave');
    const run = await validate(repo, pull);
    expect(run.outputs.approved).toBe('true');
  });

  it('an unreadable team is a problem that names the team and the fix, never a silent pass', async () => {
    repo = await startRepo({}, { teamAccess: 403 });
    const teamPath = `maintenance/teams/${yearOf(start)}-cache-flush.yaml`;
    const pull = openPullRequest(repo, {
      files: { [teamPath]: requestYaml({ start, services: '[cache]' }) },
    });
    approve(pull, 'dave');
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ approved: 'false', conclusion: 'action_required' });
    const comment = comments(repo, pull.number)[0]!;
    expect(comment).toContain('acme/platform');
    expect(comment).toContain('permission-members: read');
  });

  it('a policy team that does not exist (404): the comment names it, its organisation and both fixes', async () => {
    repo = await startRepo({
      '.github/maintenance-policy.yaml': POLICY.replace('acme/eng-managers', 'acme/eng-leads'),
    });
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start, impact: 'medium' }) } });
    approve(pull, 'bob');
    const run = await validate(repo, pull);
    expect(run.outputs).toMatchObject({ valid: 'true', approved: 'false', conclusion: 'action_required' });
    expect(JSON.parse(run.outputs['missing-approvals']!)).toEqual([
      { path, group: '@acme/eng-leads', missing: 1 },
    ]);
    const comment = plain(comments(repo, pull.number)[0]!);
    expect(comment).toContain(
      `team @acme/eng-leads was not found in the organisation acme (GitHub answered 404; required by ${path}), so nobody can approve as that team: ` +
        "create the team `eng-leads` in acme with the people who may approve; or name your organisation's team in the policy's `approvals.medium.teams`",
    );
    expect(comment).toContain('`maint init --teams medium=acme/<team>` writes one');
    // The table row says it too, where people look for who is still needed.
    expect(comment).toMatch(
      /\| @acme\/eng-leads \(0\/1\) \| nobody yet \| 1 more ❗ nobody who can approve is left: team @acme\/eng-leads was not found in the organisation acme; to fix: create the team eng-leads in acme, or name your organisation's team/,
    );
    expect(comment).not.toContain('permission-members');
  });

  it('a team the token may not read (403) is told apart from a missing one', async () => {
    repo = await startRepo({}, { teamAccess: 403 });
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start, impact: 'medium' }) } });
    approve(pull, 'bob');
    const comment = plain((await validate(repo, pull), comments(repo, pull.number)[0]!));
    expect(comment).toContain('cannot resolve team @acme/eng-managers');
    expect(comment).toContain('permission-members: read');
    expect(comment).not.toContain('was not found');
    expect(comment).toMatch(
      /\| @acme\/eng-managers \(0\/1\) \| nobody yet \| 1 more, from @acme\/eng-managers \|/,
    );
  });

  describe('the owners left are the author or people who cannot push', () => {
    const stillNeeded = (comment: string) =>
      /\| code owners of [^|]+ \| nobody yet \| ([^|]+) \|/.exec(plain(comment))?.[1]?.trim();

    it('names only the owners who can approve', async () => {
      repo = await startRepo();
      repo.server.seed.collaborator(REPO, 'dave', 'read');
      const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) }, author: 'bob' });
      const run = await validate(repo, pull);
      expect(run.outputs).toMatchObject({ approved: 'false', conclusion: 'action_required' });
      expect(stillNeeded(comments(repo, pull.number)[0]!)).toBe('1 more, from @erin');
    });

    it('says that nobody can, who is ruled out and why, and the fix', async () => {
      repo = await startRepo();
      repo.server.seed.collaborator(REPO, 'dave', 'read');
      repo.server.seed.collaborator(REPO, 'erin', 'triage');
      const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) }, author: 'bob' });
      approve(pull, 'bob');
      const run = await validate(repo, pull);
      expect(JSON.parse(run.outputs['missing-approvals']!)).toEqual([
        { path, group: `code owners of ${path}`, missing: 1 },
      ]);
      expect(stillNeeded(comments(repo, pull.number)[0]!)).toBe(
        '1 more ❗ nobody who can approve is left: @bob is the author of the pull request, ' +
          '@dave has no write access to the repository and @erin has no write access to the repository; ' +
          `to fix: add a code owner who can approve for ${path} to the base branch's CODEOWNERS ` +
          '(in a pull request of its own), or give write access to an owner who lacks it',
      );
      // One page of collaborators answered for the reviewer and the owners alike.
      expect(repo.server.count({ method: 'GET', route: '/repos/{owner}/{repo}/collaborators' })).toBe(1);
    });
  });

  it('a PR that edits CODEOWNERS to make its helper an owner does not help (base CODEOWNERS decide)', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: {
        [path]: requestYaml({ start }),
        '.github/CODEOWNERS': '/maintenance/ @mallory\n/.github/CODEOWNERS @mallory\n',
      },
    });
    repo.server.seed.collaborator(REPO, 'mallory', 'write');
    approve(pull, 'mallory');
    const run = await validate(repo, pull);
    expect(run.outputs.approved).toBe('false');
    const missing = JSON.parse(run.outputs['missing-approvals']!) as { path: string }[];
    expect(missing.map((m) => m.path).sort()).toEqual(['.github/CODEOWNERS', path]);
  });

  it('emergency: one code owner plus an incident commander', async () => {
    repo = await startRepo();
    const soon = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 16);
    const pull = openPullRequest(repo, {
      files: {
        [`maintenance/${soon.slice(0, 4)}/emergency-cve.yaml`]: requestYaml({
          start: soon,
          type: 'emergency',
          justification: 'Actively exploited CVE on the bastions',
          incident: 'INC-1234',
        }),
      },
    });
    approve(pull, 'bob');
    const without = await validate(repo, pull);
    expect(without.outputs).toMatchObject({ valid: 'true', approved: 'false' });
    expect(without.outputs['missing-approvals']).toContain('@acme/incident-commanders');
    approve(pull, 'ivan');
    expect((await validate(repo, pull)).outputs.approved).toBe('true');
  });
});
