// Replacing the next-slot review through the Octokit adapter against the local API server: the
// requests each case costs, that only the bot's marked comments go, and a failure that leaves
// the next run looking; every route the adapter names is an operation of GitHub's OpenAPI description.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import type { MaintenanceRepo, NewReviewComment, PullRequestInfo } from '../../src/github/port.ts';
import { SUGGESTION_MARKER, suggestionBody } from '../../src/modes/slot-suggestions.ts';
import {
  fingerprintOf,
  postedFingerprint,
  postedLine,
  publishSuggestions,
} from '../../src/modes/suggestion-review.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { openApi } from '../harness/openapi.ts';

let server: GitHubServer;
let github: MaintenanceRepo;
let pr: PullRequestInfo;
const FILE = 'maintenance/2027/kernel-patch.yaml';

beforeAll(async () => {
  server = await startGitHubServer({ checkResponses: true });
  github = createMaintenanceRepo({
    token: 'ghs_test',
    owner: 'acme',
    repo: 'app',
    baseUrl: server.url,
    writeSpacingMs: 0,
    notificationSpacingMs: 0,
    retries: false,
  });
});

afterAll(async () => {
  await server.close();
});

let number = 0;
beforeEach(async () => {
  server.reset();
  server.seed.org('acme');
  server.seed.repo('acme/app', { files: { 'README.md': '# app\n' } });
  number++;
  const text = Array.from({ length: 10 }, (_, i) => `field${i + 1}: ${i + 1}`).join('\n');
  server.seed.commit('acme/app', { branch: 'change', files: { [FILE]: `${text}\n` } });
  server.seed.pullRequest('acme/app', { number, head: 'change', user: 'alice' });
  pr = await github.pullRequest(number);
  server.resetLog();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

const at = (line: number, text = 'start: 2027-01-06T02:00'): NewReviewComment => ({
  path: FILE,
  line,
  body: suggestionBody('**Next free slot:** test', [text]),
});
const requests = () => server.requests.map((r) => `${r.method} ${r.route}`);
const standing = () =>
  server.state.reviewComments('acme/app', number).filter((c) => c.body.includes(SUGGESTION_MARKER));

describe('one review of suggestions per head commit', () => {
  it('first time: one request (the review), nothing looked up', async () => {
    const published = await publishSuggestions(github, pr, [at(6)], undefined);
    expect(requests()).toEqual(['POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews']);
    expect(published.fingerprint).toBe(fingerprintOf(pr.headSha, [at(6)]));
    expect(published.reviewUrl).toMatch(/#pullrequestreview-\d+$/);
    expect(standing()).toMatchObject([{ line: 6, commit_id: pr.headSha, user: 'github-actions[bot]' }]);
  });

  it('the same suggestions already recorded: no request at all', async () => {
    const { fingerprint } = await publishSuggestions(github, pr, [at(6)], undefined);
    server.resetLog();
    expect(await publishSuggestions(github, pr, [at(6)], fingerprint)).toEqual({ fingerprint });
    expect(requests()).toEqual([]);
  });

  it('standing but not recorded (the comment write failed): looked up, kept', async () => {
    await publishSuggestions(github, pr, [at(6)], undefined);
    const before = standing().map((c) => c.id);
    server.resetLog();
    await publishSuggestions(github, pr, [at(6)], 'f'.repeat(16));
    expect(requests()).toEqual(['GET /repos/{owner}/{repo}/pulls/{pull_number}/comments']);
    expect(standing().map((c) => c.id)).toEqual(before);
  });

  it('other suggestions: the old comment goes, a new review holds the new one', async () => {
    const { fingerprint } = await publishSuggestions(github, pr, [at(6)], undefined);
    server.resetLog();
    const next = await publishSuggestions(github, pr, [at(7, 'start: 2027-01-10T02:00')], fingerprint);
    expect(requests()).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      'DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}',
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    ]);
    expect(standing()).toMatchObject([{ line: 7 }]);
    expect(next.fingerprint).not.toBe(fingerprint);
    // Reviews cannot be deleted: two, the first now without comments.
    expect(server.state.reviews('acme/app', number)).toHaveLength(2);
  });

  it('nothing to suggest any more: the standing comment goes, nothing is recorded', async () => {
    const { fingerprint } = await publishSuggestions(github, pr, [at(6)], undefined);
    expect(await publishSuggestions(github, pr, [], fingerprint)).toEqual({});
    expect(standing()).toEqual([]);
  });

  it('nothing to suggest and nothing recorded: no request', async () => {
    expect(await publishSuggestions(github, pr, [], undefined)).toEqual({});
    expect(requests()).toEqual([]);
  });

  it("only the bot's marked comments are replaced: a person's comment quoting the marker stays", async () => {
    const { fingerprint } = await publishSuggestions(github, pr, [at(6)], undefined);
    server.seed.token('ghs_alice', { login: 'alice' });
    const alice = createMaintenanceRepo({
      token: 'ghs_alice',
      owner: 'acme',
      repo: 'app',
      baseUrl: server.url,
      writeSpacingMs: 0,
      notificationSpacingMs: 0,
    });
    await alice.commentReview(number, { commitId: pr.headSha, comments: [at(3, `# ${SUGGESTION_MARKER}`)] });
    await publishSuggestions(github, pr, [], fingerprint);
    expect(server.state.reviewComments('acme/app', number).map((c) => c.user)).toEqual(['alice']);
  });

  it('GitHub refuses the review: the failure is told, and the next run looks again', async () => {
    server.fail({ method: 'POST', route: 'pulls/create-review', status: 422, message: 'Validation Failed' });
    const failed = await publishSuggestions(github, pr, [at(6)], undefined);
    expect(failed.failure).toMatch(
      /POST \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\/reviews failed \(HTTP 422\)/,
    );
    expect(failed.fingerprint).toMatch(/^0{16}$/);
    server.resetLog();
    await publishSuggestions(github, pr, [at(6)], failed.fingerprint);
    expect(requests()).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    ]);
    expect(standing()).toHaveLength(1);
  });

  it('the sticky comment line round-trips the fingerprint', () => {
    const fingerprint = fingerprintOf('a'.repeat(40), [at(6)]);
    expect(postedFingerprint(`<!-- maint:validate -->\n${postedLine(fingerprint)}\n### ...`)).toBe(
      fingerprint,
    );
    expect(postedFingerprint('<!-- maint:validate -->\n### ...')).toBeUndefined();
    expect(postedFingerprint(undefined)).toBeUndefined();
  });
});

describe("the adapter's routes", () => {
  it("every route the suggestion review calls is an operation of GitHub's OpenAPI description", () => {
    const source = readFileSync(resolve(import.meta.dirname, '../../src/github/octokit-reviews.ts'), 'utf8');
    const routes = [...source.matchAll(/call\('([A-Z]+) ([^']+)'/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(routes.map(([method]) => method).sort()).toEqual(['DELETE', 'GET', 'POST']);
    const api = openApi();
    expect(routes.map(([method, template]) => api.operation(method, template)?.operationId)).toEqual([
      'pulls/list-review-comments',
      'pulls/create-review',
      'pulls/delete-review-comment',
    ]);
  });
});
