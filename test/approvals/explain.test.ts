import { describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalHints } from '../../src/approvals/evaluate.ts';
import { explainApprovals } from '../../src/approvals/explain.ts';

const R = 'maintenance/2027/db-upgrade.yaml';
const pending: ApprovalDecision = {
  approved: false,
  files: [
    {
      path: R,
      groups: [
        { name: `code owners of ${R}`, need: 2, approved_by: ['bob'], missing: 1 },
        { name: '@org/cto-office', need: 1, approved_by: [], missing: 1 },
      ],
    },
    { path: 'notes/todo.txt', groups: [] },
  ],
  blocking: [{ user: 'carol', state: 'CHANGES_REQUESTED' }],
  problems: ['cannot resolve team @org/sre (owner of x): the token could not read its members'],
};
const hints: ApprovalHints = {
  askFrom: { [`code owners of ${R}`]: ['@dave', '@org/sre'] },
  nobody: {},
  notes: ["alice's approval does not count: alice is the author of the pull request"],
};

describe('explainApprovals', () => {
  it.each<[string, ApprovalDecision, ApprovalHints | undefined, string[]]>([
    [
      'an approved decision says so and who approved',
      {
        approved: true,
        files: [
          { path: R, groups: [{ name: `code owners of ${R}`, need: 1, approved_by: ['bob'], missing: 0 }] },
        ],
        blocking: [],
        problems: [],
      },
      undefined,
      [
        'Approved: every changed file has the approvals it needs.',
        `  code owners of ${R}: 1 of 1, approved by bob`,
      ],
    ],
    [
      'without hints: the summary, what is missing, teams by name, what blocks, the problems',
      pending,
      undefined,
      [
        'Not approved: 2 more approvals needed, 1 blocking review, 1 problem.',
        `  code owners of ${R}: 1 of 2, approved by bob; 1 more needed`,
        '  @org/cto-office: 0 of 1; 1 more needed from @org/cto-office',
        'No approval needed (no code owners): notes/todo.txt',
        '  carol requested changes: carol must approve, or a maintainer must dismiss that review',
        '  - cannot resolve team @org/sre (owner of x): the token could not read its members',
      ],
    ],
    [
      'with hints: the owners to ask by name, and why reviews did not count',
      pending,
      hints,
      [
        `  code owners of ${R}: 1 of 2, approved by bob; 1 more needed from @dave or @org/sre`,
        "  - alice's approval does not count: alice is the author of the pull request",
      ],
    ],
    [
      'nobody left for a group: says so, who is ruled out and the fix; a team named from the hints',
      pending,
      {
        askFrom: { [`code owners of ${R}`]: ['@dave'] },
        nobody: {
          [`code owners of ${R}`]: '@bob is the author of the pull request; to fix: add a code owner',
          '@org/cto-office': 'team @org/cto-office was not found in the organisation org; to fix: create it',
        },
        notes: [],
      },
      [
        `  code owners of ${R}: 1 of 2, approved by bob; 1 more needed from @dave, and beyond them nobody who can approve is left: @bob is the author of the pull request; to fix: add a code owner`,
        '  @org/cto-office: 0 of 1; 1 more needed, but nobody who can approve is left: team @org/cto-office was not found in the organisation org; to fix: create it',
      ],
    ],
  ])('%s', (_name, decision, given, lines) => {
    const text = explainApprovals(decision, given).split('\n');
    for (const line of lines) expect(text).toContain(line);
  });
});
