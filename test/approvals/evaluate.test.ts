import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyseApprovals,
  approvalCovers,
  assignToGroups,
  evaluateApprovals,
} from '../../src/approvals/evaluate.ts';
import { parseCodeowners } from '../../src/approvals/codeowners.ts';
import { prng } from '../helpers/prng.ts';
import type {
  ApprovalSnapshot,
  ReviewState,
  SnapshotFile,
  SnapshotReview,
} from '../../src/approvals/snapshot.ts';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import type { Impact, RequestType } from '../../src/model/types.ts';

const policy = parsePolicy({ path: 'default', text: DEFAULT_POLICY_YAML }).policy!;
// /maintenance/ @bob @carol @dave; /maintenance/2027/infra-* @org/sre; /docs/ @erin; ...
const CODEOWNERS = readFileSync(
  new URL('../fixtures/approvals/repo/.github/CODEOWNERS', import.meta.url),
  'utf8',
);
const TEAMS: ApprovalSnapshot['teams'] = {
  'org/platform-owners': ['pat'],
  'org/sre': ['grace', 'heidi', 'sre-helper'],
  'org/eng-managers': ['carol', 'ivan'],
  'org/cto-office': ['judy'],
  'org/incident-commanders': ['ken'],
};
const R = 'maintenance/2027/db-upgrade.yaml';
const INFRA = 'maintenance/2027/infra-dns.yaml';

const snapshot = (over: Partial<ApprovalSnapshot> = {}): ApprovalSnapshot => ({
  author: 'alice',
  codeowners: CODEOWNERS,
  commits: ['c1', 'c2', 'c3'],
  files: [],
  reviews: [],
  teams: TEAMS,
  ...over,
});
const request = (
  filename: string,
  impact: Impact = 'low',
  type: RequestType = 'standard',
  last = 'c3',
): SnapshotFile => ({ filename, status: 'added', last_changed_commit: last, request: { impact, type } });
const file = (filename: string, last = 'c3', extra: Partial<SnapshotFile> = {}): SnapshotFile => ({
  filename,
  status: 'modified',
  last_changed_commit: last,
  ...extra,
});
/** A review at minute `minute` of 2027-01-05 10:00 UTC. */
const review = (
  user: string,
  state: ReviewState,
  commit: string | null = 'c3',
  minute = 0,
  extra: Partial<SnapshotReview> = {},
): SnapshotReview => ({
  user,
  user_type: 'User',
  state,
  submitted_at: `2027-01-05T10:${String(minute).padStart(2, '0')}:00Z`,
  commit_id: commit,
  ...extra,
});
const approve = (user: string, commit = 'c3', minute = 0) => review(user, 'APPROVED', commit, minute);

interface Expected {
  approved: boolean;
  /** `group name: approved_by (or -) / missing N`, for every group of every file. */
  groups?: string[];
  /** Places still open, over all groups. */
  missing?: number;
  blocking?: string[];
  problems?: RegExp[];
}

const summary = (snap: ApprovalSnapshot) => {
  const decision = evaluateApprovals(snap, policy);
  return {
    decision,
    groups: decision.files.flatMap((f) =>
      f.groups.map((g) => `${g.name}: ${g.approved_by.join(',') || '-'} / missing ${g.missing}`),
    ),
  };
};

describe('evaluateApprovals', () => {
  it.each<[string, ApprovalSnapshot, Expected]>([
    [
      'low impact: one code owner of the request approves',
      snapshot({ files: [request(R)], reviews: [approve('bob')] }),
      { approved: true, groups: [`code owners of ${R}: bob / missing 0`] },
    ],
    [
      'low impact: two owners approve, both are listed',
      snapshot({ files: [request(R)], reviews: [approve('dave'), approve('bob')] }),
      { approved: true, groups: [`code owners of ${R}: bob,dave / missing 0`] },
    ],
    [
      'stale: the approval came before a push that changed the file',
      snapshot({ files: [request(R, 'low', 'standard', 'c3')], reviews: [approve('bob', 'c2')] }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`] },
    ],
    [
      'kept: the push after the approval changed only another file',
      snapshot({
        files: [request(R, 'low', 'standard', 'c2'), file('notes/todo.txt', 'c3')],
        reviews: [approve('bob', 'c2')],
      }),
      { approved: true, groups: [`code owners of ${R}: bob / missing 0`] },
    ],
    [
      'stale: an approval on a commit that is not in the pull request',
      snapshot({ files: [request(R)], reviews: [approve('bob', 'c9')] }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`] },
    ],
    [
      'approval then dismissal: no longer counts',
      snapshot({
        files: [request(R)],
        reviews: [review('bob', 'APPROVED', 'c3', 1), review('bob', 'DISMISSED', 'c3', 2)],
      }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`], blocking: [] },
    ],
    [
      'dismissed, then approved again: counts',
      snapshot({
        files: [request(R)],
        reviews: [review('bob', 'DISMISSED', 'c2', 1), review('bob', 'APPROVED', 'c3', 2)],
      }),
      { approved: true },
    ],
    [
      'COMMENTED after APPROVED keeps the approval',
      snapshot({
        files: [request(R)],
        reviews: [review('bob', 'APPROVED', 'c3', 1), review('bob', 'COMMENTED', 'c3', 2)],
      }),
      { approved: true, groups: [`code owners of ${R}: bob / missing 0`] },
    ],
    [
      'PENDING after APPROVED keeps the approval',
      snapshot({
        files: [request(R)],
        reviews: [approve('bob', 'c3', 1), review('bob', 'PENDING', null, 0, { submitted_at: null })],
      }),
      { approved: true },
    ],
    [
      'changes requested by an owner block, whatever else approves',
      snapshot({
        files: [request(R)],
        reviews: [approve('bob', 'c3', 1), review('carol', 'CHANGES_REQUESTED', 'c1', 2)],
      }),
      { approved: false, groups: [`code owners of ${R}: bob / missing 0`], blocking: ['carol'] },
    ],
    [
      'changes requested by a member of a required team block',
      snapshot({
        files: [request(R, 'high')],
        reviews: [approve('bob'), approve('dave'), review('judy', 'CHANGES_REQUESTED')],
      }),
      { approved: false, blocking: ['judy'] },
    ],
    [
      'changes requested by someone who owns nothing do not block',
      snapshot({
        files: [request(R)],
        reviews: [approve('bob'), review('zed', 'CHANGES_REQUESTED')],
      }),
      { approved: true, blocking: [] },
    ],
    [
      'changes requested, then approved by the same owner: the latest state stands',
      snapshot({
        files: [request(R)],
        reviews: [review('carol', 'CHANGES_REQUESTED', 'c2', 1), approve('carol', 'c3', 2)],
      }),
      { approved: true, blocking: [] },
    ],
    [
      'approved, then changes requested by the same owner: blocks',
      snapshot({
        files: [request(R)],
        reviews: [approve('bob', 'c3', 1), review('bob', 'CHANGES_REQUESTED', 'c3', 2)],
      }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`], blocking: ['bob'] },
    ],
    [
      'reviews are ordered by submitted_at, not by their place in the list',
      snapshot({
        files: [request(R)],
        reviews: [approve('bob', 'c3', 5), review('bob', 'CHANGES_REQUESTED', 'c3', 1)],
      }),
      { approved: true, blocking: [] },
    ],
    [
      'team owner: a member of the team approves',
      snapshot({ files: [request(INFRA)], reviews: [approve('grace')] }),
      { approved: true, groups: [`code owners of ${INFRA}: grace / missing 0`] },
    ],
    [
      'team owner: an owner of the folder above is not an owner of this file',
      snapshot({ files: [request(INFRA)], reviews: [approve('bob')] }),
      { approved: false, groups: [`code owners of ${INFRA}: - / missing 1`] },
    ],
    [
      'team owner whose members the token could not read: a problem, never a pass',
      snapshot({
        files: [request(INFRA)],
        reviews: [approve('grace')],
        teams: { ...TEAMS, 'org/sre': null },
      }),
      {
        approved: false,
        groups: [`code owners of ${INFRA}: - / missing 1`],
        problems: [
          /^cannot resolve team @org\/sre \(owner of maintenance\/2027\/infra-dns\.yaml\): the token could not read its members; give the action a `token` input .*actions\/create-github-app-token with `permission-members: read`, or a token with the `read:org` scope$/,
        ],
      },
    ],
    [
      'required team missing from the snapshot: a problem naming the team',
      snapshot({
        files: [request(R, 'medium')],
        reviews: [approve('bob'), approve('ivan')],
        teams: { 'org/platform-owners': ['pat'] },
      }),
      {
        approved: false,
        problems: [/^cannot resolve team @org\/eng-managers \(required by .*\): the snapshot does not list/],
      },
    ],
    [
      'self-approval is ignored',
      snapshot({ author: 'bob', files: [request(R)], reviews: [approve('bob')] }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`] },
    ],
    [
      'the author is recognised whatever the case of the login',
      snapshot({ author: 'Bob', files: [request(R)], reviews: [approve('bob')] }),
      { approved: false },
    ],
    [
      'a bot is ignored (user_type Bot), even as a team member',
      snapshot({
        files: [request(INFRA)],
        reviews: [review('sre-helper', 'APPROVED', 'c3', 0, { user_type: 'Bot' })],
      }),
      { approved: false, groups: [`code owners of ${INFRA}: - / missing 1`] },
    ],
    [
      'a bot is ignored (login ending in [bot])',
      snapshot({
        files: [request(INFRA)],
        reviews: [approve('grace[bot]')],
        teams: { ...TEAMS, 'org/sre': ['grace[bot]'] },
      }),
      { approved: false },
    ],
    [
      'a reviewer without write access is ignored',
      snapshot({ files: [request(R)], reviews: [approve('bob')], writers: ['carol', 'dave'] }),
      { approved: false, groups: [`code owners of ${R}: - / missing 1`] },
    ],
    [
      'writers and owners compare logins case-insensitively',
      snapshot({ files: [request(R)], reviews: [approve('BOB')], writers: ['Bob'] }),
      { approved: true, groups: [`code owners of ${R}: BOB / missing 0`] },
    ],
    [
      'rename: the owners of the new name alone are not enough',
      snapshot({
        files: [file('runbooks/db.md', 'c3', { status: 'renamed', previous_filename: 'docs/db.md' })],
        reviews: [approve('frank')],
      }),
      {
        approved: false,
        groups: [
          'code owners of runbooks/db.md: frank / missing 0',
          'code owners of docs/db.md (previous name): - / missing 1',
        ],
      },
    ],
    [
      'rename: owners of both names approve',
      snapshot({
        files: [file('runbooks/db.md', 'c3', { status: 'renamed', previous_filename: 'docs/db.md' })],
        reviews: [approve('frank'), approve('erin')],
      }),
      { approved: true },
    ],
    [
      'a deleted file needs its owners too',
      snapshot({ files: [file('docs/old.md', 'c2', { status: 'removed' })] }),
      { approved: false, groups: ['code owners of docs/old.md: - / missing 1'] },
    ],
    [
      'an unowned ordinary file needs nothing',
      snapshot({ files: [file('notes/todo.txt')] }),
      { approved: true, groups: [] },
    ],
    [
      'high impact: two code owners and one of @org/cto-office, three people',
      snapshot({ files: [request(R, 'high')], reviews: [approve('bob'), approve('dave'), approve('judy')] }),
      {
        approved: true,
        groups: [`code owners of ${R}: bob,dave / missing 0`, '@org/cto-office: judy / missing 0'],
      },
    ],
    [
      'high impact: an owner who is also in @org/cto-office counts once',
      snapshot({
        files: [request(R, 'high')],
        reviews: [approve('bob'), approve('carol')],
        teams: { ...TEAMS, 'org/cto-office': ['carol'] },
      }),
      // Either split leaves one place open; which one is a tie.
      { approved: false, missing: 1 },
    ],
    [
      'medium impact where greedy assignment fails: carol is owner and manager, dave owner only',
      snapshot({ files: [request(R, 'medium')], reviews: [approve('carol'), approve('dave')] }),
      {
        approved: true,
        groups: [`code owners of ${R}: dave / missing 0`, '@org/eng-managers: carol / missing 0'],
      },
    ],
    [
      'emergency: one code owner and one incident commander, whatever the impact',
      snapshot({ files: [request(R, 'high', 'emergency')], reviews: [approve('bob'), approve('ken')] }),
      {
        approved: true,
        groups: [`code owners of ${R}: bob / missing 0`, '@org/incident-commanders: ken / missing 0'],
      },
    ],
    [
      'emergency without an incident commander',
      snapshot({ files: [request(R, 'low', 'emergency')], reviews: [approve('bob'), approve('dave')] }),
      {
        approved: false,
        groups: [`code owners of ${R}: bob,dave / missing 0`, '@org/incident-commanders: - / missing 1'],
      },
    ],
    [
      'a file owned only by e-mail addresses cannot be approved from the API',
      snapshot({ files: [file('docs/legacy/setup.md')], reviews: [approve('erin')] }),
      {
        approved: false,
        problems: [/^docs\/legacy\/setup\.md is owned only by e-mail addresses \(legacy@example\.com\)/],
      },
    ],
    [
      'a request file without code owners is a problem naming it and the fix',
      snapshot({ files: [request('maintenance/unowned/x.yaml')], reviews: [approve('bob')] }),
      {
        approved: false,
        groups: ['code owners of maintenance/unowned/x.yaml: - / missing 1'],
        problems: [/^maintenance\/unowned\/x\.yaml has no code owners .*: add a line that owns it/],
      },
    ],
    [
      'paths are case-sensitive: /maintenance/ does not own Maintenance/',
      snapshot({ files: [request('Maintenance/2027/x.yaml')], reviews: [approve('bob')] }),
      { approved: false, groups: ['code owners of Maintenance/2027/x.yaml: - / missing 1'] },
    ],
    [
      'the base CODEOWNERS decides: adding yourself to CODEOWNERS in the PR does not help',
      // The PR's head CODEOWNERS would read `/maintenance/ @mallory`; the snapshot carries the base.
      snapshot({
        author: 'alice',
        files: [file('.github/CODEOWNERS'), request(R)],
        reviews: [approve('mallory')],
      }),
      {
        approved: false,
        groups: ['code owners of .github/CODEOWNERS: - / missing 1', `code owners of ${R}: - / missing 1`],
      },
    ],
    [
      'one approval counts for every file its giver owns',
      snapshot({ files: [request(R), file('maintenance/README.md')], reviews: [approve('dave')] }),
      {
        approved: true,
        groups: [
          `code owners of ${R}: dave / missing 0`,
          'code owners of maintenance/README.md: dave / missing 0',
        ],
      },
    ],
  ])('%s', (_name, snap, expected) => {
    const { decision, groups } = summary(snap);
    expect(decision.approved).toBe(expected.approved);
    if (expected.groups) expect(groups).toEqual(expected.groups);
    if (expected.missing !== undefined)
      expect(decision.files.flatMap((f) => f.groups).reduce((sum, g) => sum + g.missing, 0)).toBe(
        expected.missing,
      );
    if (expected.blocking) expect(decision.blocking.map((b) => b.user)).toEqual(expected.blocking);
    if (expected.problems) {
      expect(decision.problems).toHaveLength(expected.problems.length);
      expected.problems.forEach((p, i) => expect(decision.problems[i]).toMatch(p));
    } else expect(decision.problems).toEqual([]);
  });

  it('returns exactly the documented shape', () => {
    const decision = evaluateApprovals(
      snapshot({ files: [request(R)], reviews: [approve('bob'), review('carol', 'CHANGES_REQUESTED')] }),
      policy,
    );
    expect(decision).toEqual({
      approved: false,
      files: [
        { path: R, groups: [{ name: `code owners of ${R}`, need: 1, approved_by: ['bob'], missing: 0 }] },
      ],
      blocking: [{ user: 'carol', state: 'CHANGES_REQUESTED' }],
      problems: [],
    });
  });

  it('is replayable: the same snapshot gives the same decision', () => {
    const snap = snapshot({ files: [request(R, 'high')], reviews: [approve('judy'), approve('bob')] });
    expect(evaluateApprovals(snap, policy)).toEqual(evaluateApprovals(structuredClone(snap), policy));
  });
});

describe('approvalCovers: which files need their history looked up', () => {
  const parsed = parseCodeowners(CODEOWNERS);
  // `*` has owners; /notes/ and /maintenance/unowned/ take them away.
  const PATHS = [R, INFRA, 'docs/guide.md', 'README.md', 'notes/today.md', 'maintenance/unowned/a.md'];

  it('requests and owned files (or files moved from an owned name) are covered; the rest are not', () => {
    expect(approvalCovers(request(R), parsed)).toBe(true);
    expect(approvalCovers(file('docs/guide.md'), parsed)).toBe(true);
    expect(approvalCovers(file('README.md'), parsed)).toBe(true);
    expect(approvalCovers(file('notes/today.md'), parsed)).toBe(false);
    expect(approvalCovers(request('maintenance/unowned/x.yaml'), parsed)).toBe(true);
    expect(approvalCovers(file('notes/a.md', 'c3', { previous_filename: 'docs/old.md' }), parsed)).toBe(true);
  });

  it.each([1, 2, 3, 4, 5])(
    'when a file is not covered, the commit it last changed in never changes the decision (seed %i)',
    (seed) => {
      const rand = prng(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
      for (let k = 0; k < 40; k++) {
        const files = [...new Set(Array.from({ length: 3 }, () => pick(PATHS)))].map((path) =>
          path.startsWith('maintenance/') && rand() < 0.7
            ? request(path, pick(['low', 'medium', 'high'] as const), 'standard', pick(['c1', 'c2', 'c3']))
            : file(path, pick(['c1', 'c2', 'c3']), rand() < 0.2 ? { previous_filename: pick(PATHS) } : {}),
        );
        const reviews = ['bob', 'carol', 'erin', 'grace', 'judy', 'pat'].flatMap((user) =>
          rand() < 0.5 ? [approve(user, pick(['c1', 'c2', 'c3']))] : [],
        );
        const base = snapshot({ files, reviews });
        const decision = analyseApprovals(base, policy);
        for (const [i, f] of files.entries()) {
          if (approvalCovers(f, parsed)) continue;
          for (const last of ['c1', 'c2', 'c3']) {
            const moved = structuredClone(base);
            moved.files[i]!.last_changed_commit = last;
            expect(analyseApprovals(moved, policy), JSON.stringify(f)).toEqual(decision);
          }
        }
      }
    },
  );
});

describe('analyseApprovals hints', () => {
  it('says whom to ask and why reviews did not count', () => {
    const { hints } = analyseApprovals(
      snapshot({
        author: 'alice',
        files: [request(R, 'high', 'standard', 'c3')],
        reviews: [approve('alice'), approve('dave', 'c1'), approve('zed'), approve('bob')],
        writers: ['bob', 'dave', 'zed'],
      }),
      policy,
    );
    // bob counted; carol has no write access; dave's approval went stale.
    expect(hints.askFrom[`code owners of ${R}`]).toEqual(['@dave']);
    expect(hints.notes).toEqual([
      "alice's approval does not count: alice is the author of the pull request",
      `dave approved c1, before ${R} last changed (c3): dave must approve again`,
      "zed approved but owns none of the changed files (by the base branch's CODEOWNERS) and is in no required team",
    ]);
  });
});

describe('assignToGroups', () => {
  it.each([
    ['greedy would put carol in the first group', ['carol', 'dave'], [1, 1], [['dave'], ['carol']]],
    [
      'leftover people join a group they qualify for',
      ['bob', 'carol', 'dave'],
      [1, 1],
      [['bob', 'dave'], ['carol']],
    ],
    ['a group that nobody qualifies for stays empty', ['dave'], [1, 1], [['dave'], []]],
  ] as const)('%s', (_name, people, needs, expected) => {
    const owners = new Set(['bob', 'carol', 'dave']);
    const managers = new Set(['carol']);
    const slots = [
      { need: needs[0], accepts: (p: string) => owners.has(p) },
      { need: needs[1], accepts: (p: string) => managers.has(p) },
    ];
    expect(assignToGroups(people, slots).map((g) => [...g].sort())).toEqual(expected);
  });
});

describe('analyseApprovals: whom the comment asks, and when nobody is left', () => {
  const OWNERS = `code owners of ${R}`;
  interface Asked {
    askFrom: Record<string, string[]>;
    /** Group name -> what its "nobody is left" text must say. */
    nobody?: Record<string, RegExp>;
    problems?: RegExp[];
  }
  it.each<[string, ApprovalSnapshot, Asked]>([
    [
      'nobody has reviewed and no access is known: every owner but the author',
      snapshot({ files: [request(R)] }),
      { askFrom: { [OWNERS]: ['@bob', '@carol', '@dave'] } },
    ],
    [
      'the author is one of the owners: not asked',
      snapshot({ author: 'bob', files: [request(R)] }),
      { askFrom: { [OWNERS]: ['@carol', '@dave'] } },
    ],
    [
      'an owner found to lack write access is not asked; one whose access was not looked up still is',
      snapshot({ files: [request(R)], writers: ['bob'], access_checked: ['bob', 'carol'] }),
      { askFrom: { [OWNERS]: ['@bob', '@dave'] } },
    ],
    [
      'a snapshot without access_checked takes writers as complete',
      snapshot({ files: [request(R)], writers: ['bob'] }),
      { askFrom: { [OWNERS]: ['@bob'] } },
    ],
    [
      'an owner whose approval does not count for lack of write access is not asked again',
      snapshot({
        files: [request(R)],
        reviews: [approve('dave')],
        writers: ['bob'],
        access_checked: ['dave'],
      }),
      { askFrom: { [OWNERS]: ['@bob', '@carol'] } },
    ],
    [
      'only the author and owners without write access are left: nobody, with who and why, and the fix',
      snapshot({ author: 'bob', files: [request(R)], writers: [], access_checked: ['carol', 'dave'] }),
      {
        askFrom: {},
        nobody: {
          [OWNERS]:
            /^@bob is the author of the pull request, @carol has no write access to the repository and @dave has no write access to the repository; to fix: add a code owner who can approve for maintenance\/2027\/db-upgrade\.yaml to the base branch's CODEOWNERS \(in a pull request of its own\), or give write access to an owner who lacks it$/,
        },
      },
    ],
    [
      'high impact, two owners needed, one left who can: asked, and nobody beyond',
      snapshot({
        author: 'bob',
        files: [request(R, 'high')],
        writers: ['dave'],
        access_checked: ['carol', 'dave'],
      }),
      {
        askFrom: { [OWNERS]: ['@dave'], '@org/cto-office': ['@org/cto-office'] },
        nobody: { [OWNERS]: /^@bob is the author of the pull request and @carol has no write access/ },
      },
    ],
    [
      'medium impact: an owner who is also a manager counts once; the managers team is asked by name',
      snapshot({ files: [request(R, 'medium')], reviews: [approve('carol')] }),
      { askFrom: { '@org/eng-managers': ['@org/eng-managers'] } },
    ],
    [
      "medium impact: the managers' only other member wrote the pull request: nobody, and the fix",
      snapshot({
        author: 'ivan',
        files: [request(R, 'medium')],
        writers: ['bob'],
        access_checked: ['bob', 'carol', 'dave'],
      }),
      {
        askFrom: { [OWNERS]: ['@bob'] },
        nobody: {
          '@org/eng-managers':
            /^of team @org\/eng-managers, carol has no write access to the repository, ivan is the author of the pull request; to fix: add someone who can approve to @org\/eng-managers, or name another team in the policy's `approvals\.medium\.teams` \(\.github\/maintenance-policy\.yaml\)$/,
        },
      },
    ],
    [
      'a policy team that exists but has nobody in it',
      snapshot({ files: [request(R, 'high')], teams: { ...TEAMS, 'org/cto-office': [] } }),
      {
        askFrom: { [OWNERS]: ['@bob', '@carol', '@dave'] },
        nobody: {
          '@org/cto-office':
            /^team @org\/cto-office has no members; to fix: add someone who can approve to @org\/cto-office, or name another team in the policy's `approvals\.high\.teams`/,
        },
      },
    ],
    [
      "a renamed file: the old name's owners are asked for their group",
      snapshot({
        author: 'bob',
        files: [file(R, 'c3', { status: 'renamed', previous_filename: 'runbooks/db.md' })],
        reviews: [approve('carol')],
      }),
      { askFrom: { 'code owners of runbooks/db.md (previous name)': ['@frank'] } },
    ],
    [
      'a policy team GitHub does not know (404): which team, which organisation, both fixes',
      snapshot({
        files: [request(R, 'medium')],
        teams: { ...TEAMS, 'org/eng-managers': null },
        teams_not_found: ['org/eng-managers'],
      }),
      {
        askFrom: { [OWNERS]: ['@bob', '@carol', '@dave'] },
        nobody: {
          '@org/eng-managers':
            /^team @org\/eng-managers was not found in the organisation org; to fix: create the team eng-managers in org, or name your organisation's team in the policy's `approvals\.medium\.teams`/,
        },
        problems: [
          /^team @org\/eng-managers was not found in the organisation org \(GitHub answered 404; required by maintenance\/2027\/db-upgrade\.yaml\), so nobody can approve as that team: create the team `eng-managers` in org with the people who may approve; or name your organisation's team in the policy's `approvals\.medium\.teams` \(\.github\/maintenance-policy\.yaml on the base branch, changed in a pull request of its own; `maint init --teams medium=org\/<team>` writes one\)\. A secret team/,
        ],
      },
    ],
    [
      'a team the token may not read (403) is a token problem, and the team is still named',
      snapshot({ files: [request(R, 'medium')], teams: { ...TEAMS, 'org/eng-managers': null } }),
      {
        askFrom: { [OWNERS]: ['@bob', '@carol', '@dave'], '@org/eng-managers': ['@org/eng-managers'] },
        problems: [
          /^cannot resolve team @org\/eng-managers \(required by .*\): the token could not read its members; .*permission-members: read/,
        ],
      },
    ],
    [
      'a CODEOWNERS team GitHub does not know: create it, or fix CODEOWNERS',
      snapshot({
        files: [request(INFRA)],
        teams: { ...TEAMS, 'org/sre': null },
        teams_not_found: ['org/sre'],
      }),
      {
        askFrom: {},
        nobody: {
          [`code owners of ${INFRA}`]:
            /^team @org\/sre was not found in the organisation org; to fix: add a code owner/,
        },
        problems: [
          /^team @org\/sre was not found in the organisation org \(GitHub answered 404; owner of maintenance\/2027\/infra-dns\.yaml\), so nobody can approve as that team: create the team `sre` in org with the people who may approve; or name an existing team or people for those paths in the base branch's CODEOWNERS\./,
        ],
      },
    ],
  ])('%s', (_name, snap, expected) => {
    const { decision, hints } = analyseApprovals(snap, policy);
    expect(hints.askFrom).toEqual(expected.askFrom);
    expect(Object.keys(hints.nobody).sort()).toEqual(Object.keys(expected.nobody ?? {}).sort());
    for (const [group, text] of Object.entries(expected.nobody ?? {}))
      expect(hints.nobody[group]).toMatch(text);
    expect(decision.problems).toHaveLength(expected.problems?.length ?? 0);
    expected.problems?.forEach((p, i) => expect(decision.problems[i]).toMatch(p));
  });
});
