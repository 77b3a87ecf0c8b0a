// The provenance decision as a table: each way a request's content can reach the default branch, and
// what the result issue is told.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../src/approvals/evaluate.ts';
import { gitBlobSha } from '../../src/provenance/blob.ts';
import { decideProvenance, type ProvenanceFacts } from '../../src/provenance/decide.ts';
import { prng } from '../helpers/prng.ts';

const sha = (c: string) => c.repeat(40);
const BLOB = sha('b');
const approved: ApprovalDecision = { approved: true, files: [], blocking: [], problems: [] };
const pull = {
  number: 12,
  headSha: sha('e'),
  baseRef: 'main',
  mergedAt: '2027-01-02T10:00:00Z',
  mergeCommitSha: sha('f'),
};

const facts = (over: Partial<ProvenanceFacts> = {}): ProvenanceFacts => ({
  file: 'maintenance/2027/db.yaml',
  defaultBranch: 'main',
  ref: 'refs/heads/main',
  blob: BLOB,
  commits: [sha('c'), sha('d')],
  pulls: [pull],
  pullBlob: BLOB,
  check: { status: 'completed', conclusion: 'success' },
  approval: approved,
  checkName: 'maintenance/validate',
  ...over,
});

describe('provenance', () => {
  it('holds for content a merged, checked and approved pull request brought: the merge commit is approved', () => {
    expect(decideProvenance(facts())).toEqual({
      ok: true,
      sha: sha('f'),
      blob: BLOB,
      pull: 12,
      commit: sha('c'),
    });
  });

  it.each<[string, Partial<ProvenanceFacts>, string]>([
    [
      'a tick on a feature branch',
      { ref: 'refs/heads/feature' },
      'it ran on refs/heads/feature, not on the default branch main',
    ],
    [
      'a direct push',
      { pulls: [], commits: [sha('c')] },
      `added by a direct push (ccccccc), not by a merged pull request`,
    ],
    [
      'a direct push after a reviewed version',
      { pulls: [], previousPull: 9 },
      'changed by ccccccc after approval: that commit came from no pull request (#9 brought the reviewed version)',
    ],
    [
      'an open (unmerged) pull request of the commit',
      { pulls: [{ ...pull, mergedAt: null }], commits: [sha('c')] },
      'added by a direct push (ccccccc), not by a merged pull request',
    ],
    [
      'a pull request merged into another branch',
      { pulls: [{ ...pull, baseRef: 'release' }], commits: [sha('c')] },
      'added by a direct push (ccccccc), not by a merged pull request',
    ],
    [
      'content that differs from the reviewed head',
      { pullBlob: sha('9') },
      'changed by ccccccc after approval: maintenance/2027/db.yaml on main differs from the head of #12 (eeeeeee) that was reviewed',
    ],
    [
      'a red check at merge',
      { check: { status: 'completed', conclusion: 'failure' } },
      'validate check was `failure` at merge (#12)',
    ],
    [
      'a check still running',
      { check: { status: 'in_progress', conclusion: null } },
      'validate check was `in_progress` at merge (#12)',
    ],
    ['no check at all', { check: null }, 'no maintenance/validate check ran on the head of #12 (eeeeeee)'],
    [
      'a success check without the approvals it claims',
      {
        approval: {
          approved: false,
          files: [
            {
              path: 'maintenance/2027/db.yaml',
              groups: [{ name: 'code owners', need: 1, approved_by: [], missing: 1 }],
            },
          ],
          blocking: [{ user: 'carol', state: 'CHANGES_REQUESTED' }],
          problems: [],
        },
      },
      'the approval rebuilt for #12 does not hold: 1 more from code owners for maintenance/2027/db.yaml; carol requested changes',
    ],
    ['a commit no file history names', { commits: [] }, 'no commit on main changed maintenance/2027/db.yaml'],
  ])('refuses %s', (_name, over, reason) => {
    const decision = decideProvenance(facts(over));
    expect(decision).toMatchObject({ ok: false, reason, blob: BLOB });
  });

  it('fails closed on facts it was not given', () => {
    for (const missing of ['pulls', 'check', 'approval'] as const) {
      const given = facts();
      delete given[missing];
      expect(decideProvenance(given).ok, missing).toBe(false);
    }
  });
});

describe("git's blob SHA", () => {
  it.each([
    ['', 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'],
    ['hello\n', 'ce013625030ba8dba906f756967f9e9ca394464a'],
  ])('of %j is what `git hash-object` says', (text, expected) => {
    expect(gitBlobSha(text)).toBe(expected);
  });

  it('of random bytes is what git itself computes', () => {
    const rand = prng(7);
    for (let i = 0; i < 25; i++) {
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(rand() * 3000) }, () => Math.floor(rand() * 256)),
      );
      const git = execFileSync('git', ['hash-object', '--stdin'], { input: bytes, encoding: 'utf8' }).trim();
      expect(gitBlobSha(bytes)).toBe(git);
    }
  });
});
