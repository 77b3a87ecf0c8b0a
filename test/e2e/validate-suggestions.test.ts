// End to end: a request refused for its time gets the next free slot as a GitHub suggestion on its
// `start:` (and `end:`) lines, which, committed as GitHub commits it, makes the file validate (the
// action on the `synchronize` event, and the bundled `maint validate` on a checkout); a push replaces the suggestion (one review per head commit); fork pull requests get it too; no
// slot within the horizon and a start outside the diff get no suggestion, and the comment says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SUGGESTION_MARKER } from '../../src/modes/slot-suggestions.ts';
import type { ReviewCommentRecord } from '../harness/state.ts';
import { requestYaml } from '../helpers/requests.ts';
import { commitSuggestion } from '../helpers/suggestions.ts';
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

const DAY = 86_400_000;
/** The Monday after a Sunday three weeks ahead, at 10:00: outside every production window. */
const monday = (() => {
  const sunday = sundayAhead(21);
  return `${new Date(Date.parse(`${sunday.slice(0, 10)}T00:00:00Z`) + DAY).toISOString().slice(0, 10)}T10:00`;
})();
const dir = `maintenance/${yearOf(monday)}`;
const path = `${dir}/kernel-patch.yaml`;

const suggestionsOn = (number: number): ReviewCommentRecord[] =>
  repo.server.state.reviewComments(REPO, number).filter((c) => c.body.includes(SUGGESTION_MARKER));

const fileAt = (sha: string, file: string): string =>
  repo.server.state.git.get(sha)!.tree.get(file)!.toString('utf8');

const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

/**
 * `maint validate` (the bundled command line) run on a checkout of the commit: its policy, its
 * scheduled requests, the request file. Exit code and the JSON report's error rules by file.
 */
function maintValidate(sha: string): { code: number | null; errors: Record<string, string[]> } {
  const checkout = mkdtempSync(join(tmpdir(), 'maint-suggestion-'));
  try {
    for (const [file, content] of repo.server.state.git.get(sha)!.tree) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      writeFileSync(join(checkout, file), content);
    }
    const run = spawnSync(process.execPath, [CLI, 'validate', '--format', 'json'], {
      cwd: checkout,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as { files: { path: string; errors: { rule: string }[] }[] };
    const errors = Object.fromEntries(report.files.map((f) => [f.path, f.errors.map((e) => e.rule)]));
    return { code: run.status, errors };
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

describe('the next free slot as a one-click suggestion', () => {
  it('an out-of-window start gets one suggestion on start..end which, committed, validates; nothing is left behind', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: {
        [path]: requestYaml({
          start: `"${monday}"`,
          timezone: 'Europe/Berlin',
          duration: undefined,
          end: `"${monday.replace('T10:00', 'T10:45')}"`,
        }),
      },
    });
    const first = await validate(repo, pull);
    expect(first.outputs).toMatchObject({ valid: 'false', conclusion: 'failure' });
    expect(maintValidate(pull.head)).toMatchObject({ code: 1, errors: { [path]: ['window'] } });
    const [suggestion, ...more] = suggestionsOn(pull.number);
    expect(more).toEqual([]);
    const text = fileAt(pull.head, path);
    const lines = text.split('\n');
    // One comment spanning `start:` to `end:` (both in the one hunk of an added file), on the head.
    expect(suggestion).toMatchObject({
      path,
      commit_id: pull.head,
      side: 'RIGHT',
      start_line: lines.findIndex((l) => l.startsWith('start:')) + 1,
      line: lines.findIndex((l) => l.startsWith('end:')) + 1,
      user: 'github-actions[bot]',
    });
    // Written as the request writes time: quoted local time, read in its zone.
    expect(suggestion!.body).toMatch(/^start: "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"$/m);
    expect(suggestion!.body).toMatch(/^end: "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"$/m);
    expect(suggestion!.body).toContain('Click **Commit suggestion**');
    // One review, comment only, no text of its own; the sticky comment points to it.
    const reviews = repo.server.state.reviews(REPO, pull.number);
    expect(reviews).toMatchObject([{ state: 'COMMENTED', body: '', commit_id: pull.head }]);
    expect(comments(repo, pull.number)[0]).toMatch(/💡 Suggested as a change on lines \d+-\d+ of the diff/);

    // Committing the suggestion is a commit of the suggested lines; that commit validates.
    const applied = commitSuggestion(text, suggestion!);
    expect(applied).not.toBe(text);
    push(repo, pull, { [path]: applied });
    // The command line on the committed file agrees: no error in any file.
    const cli = maintValidate(pull.head);
    expect(cli.code).toBe(0);
    expect(cli.errors[path]).toEqual([]);
    const second = await validate(repo, pull, undefined, undefined, { action: 'synchronize' });
    expect(second.outputs).toMatchObject({ valid: 'true', conclusion: 'action_required' });
    expect(check(repo, pull.head).conclusion).toBe('action_required');
    // The suggestion is gone (it was taken), no new one, and the comment no longer mentions one.
    expect(suggestionsOn(pull.number)).toEqual([]);
    expect(comments(repo, pull.number)).toHaveLength(1);
    expect(comments(repo, pull.number)[0]).not.toContain('💡');
    expect(comments(repo, pull.number)[0]).not.toContain('maint:slot-suggestions');
  });

  it('a second push that leaves the time wrong replaces the suggestion: one standing, on the new head', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start: monday }) } });
    await validate(repo, pull);
    const [before] = suggestionsOn(pull.number);
    expect(before).toMatchObject({ commit_id: pull.head, line: 6 });
    expect(before!.start_line).toBeNull();
    expect(before!.body).toMatch(/^start: \d{4}-\d{2}-\d{2}T02:00$/m);

    push(repo, pull, {
      [path]: requestYaml({ start: monday, description: 'Now with a longer description' }),
    });
    repo.server.resetLog();
    await validate(repo, pull, undefined, undefined, { action: 'synchronize' });
    // Replaced through GitHub's documented operations (the server matched each against its OpenAPI
    // description, and found no violation): the old comment read and deleted, one new review.
    expect(
      ['pulls/list-review-comments', 'pulls/delete-review-comment', 'pulls/create-review'].map((id) =>
        repo.server.count({ route: id }),
      ),
    ).toEqual([1, 1, 1]);
    const after = suggestionsOn(pull.number);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ commit_id: pull.head, line: 6 });
    expect(after[0]!.id).not.toBe(before!.id);
    // GitHub cannot delete a submitted review: the old one stays, emptied of its comment.
    const reviews = repo.server.state.reviews(REPO, pull.number);
    expect(reviews.map((r) => r.commit_id)).toEqual([before!.commit_id, pull.head]);

    // Validated again on the same head (a review arrived): the standing suggestion is kept as is,
    // without a single request about it.
    repo.server.resetLog();
    await validate(repo, pull, undefined, undefined, { action: 'synchronize' });
    expect(suggestionsOn(pull.number).map((c) => c.id)).toEqual([after[0]!.id]);
    expect(repo.server.count({ route: /\/pulls\/\d+\/(comments|reviews)$/ })).toBe(1); // the reviews read
    expect(repo.server.count({ route: /\/pulls\/comments\// })).toBe(0);
  });

  it('a fork pull request gets the suggestion too (pull_request_target writes to the base repository)', async () => {
    repo = await startRepo();
    const pull = openPullRequest(repo, {
      files: { [path]: requestYaml({ start: monday }) },
      fork: 'mallory',
      author: 'mallory',
    });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    const [suggestion] = suggestionsOn(pull.number);
    expect(suggestion).toMatchObject({ path, commit_id: pull.head, line: 6 });
    const applied = commitSuggestion(fileAt(pull.head, path), suggestion!);
    // The fork's author commits it to the fork's branch.
    const head = repo.server.seed.commit('mallory/app', {
      branch: pull.branch,
      parent: pull.head,
      files: { [path]: applied },
      author: 'mallory',
    });
    repo.server.state.repo(REPO).pulls.get(pull.number)!.head.sha = head;
    pull.head = head;
    expect(maintValidate(head)).toMatchObject({ code: 0, errors: { [path]: [] } });
    const again = await validate(repo, pull, undefined, undefined, { action: 'synchronize' });
    expect(again.outputs).toMatchObject({ valid: 'true' });
    expect(suggestionsOn(pull.number)).toEqual([]);
  });

  it('no free slot within the horizon: no suggestion, and the comment says so', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const later = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
    const frozen = POLICY.replace(
      'blackouts:\n',
      `blackouts:\n  - name: Long freeze\n    from: '${today}'\n    to: '${later}'\n    environments: [production]\n`,
    );
    repo = await startRepo({ '.github/maintenance-policy.yaml': frozen });
    const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start: monday }) } });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    expect(suggestionsOn(pull.number)).toEqual([]);
    expect(repo.server.state.reviews(REPO, pull.number)).toEqual([]);
    const comment = comments(repo, pull.number)[0]!;
    expect(comment).toMatch(
      /Next free slot:\*\* no free slot found: no free 1 h slot in production within \d+ days/,
    );
    expect(comment).toContain(
      "💡 No change is suggested: there is no free slot within the policy's horizon.",
    );
    expect(repo.server.count({ route: /\/pulls\/\d+\/comments$/ })).toBe(0);
  });

  it('a start line outside the diff: no suggestion GitHub would refuse; the comment gives the change', async () => {
    // `start` near the top, `environment` at the bottom: changing the environment leaves `start`
    // far outside the hunk.
    const fields = (environment: string) =>
      [
        'title: Kernel patch',
        `start: ${monday}`,
        'timezone: UTC',
        'duration: 1h',
        'type: standard',
        'category: other',
        'services: [api]',
        'impact: low',
        'impact_description: Nothing visible',
        'description: A test',
        'rollback: Revert',
        'requester: alice',
        `environment: ${environment}`,
        '',
      ].join('\n');
    repo = await startRepo({ [path]: fields('development') });
    const pull = openPullRequest(repo, { files: { [path]: fields('production') } });
    const run = await validate(repo, pull);
    expect(run.outputs.valid).toBe('false');
    expect(suggestionsOn(pull.number)).toEqual([]);
    expect(repo.server.state.reviews(REPO, pull.number)).toEqual([]);
    const comment = comments(repo, pull.number)[0]!;
    expect(comment).toContain("line 2 \\(\\`start\\`\\) is not part of this pull request's diff");
    expect(comment).toMatch(/Change line 2 to: start: \d{4}-\d{2}-\d{2}T02:00/);
  });
});
