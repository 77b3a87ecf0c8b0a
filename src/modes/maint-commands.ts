// `/maint complete|failed|rolled-back` comments on a manual maintenance's result issue, and outcome
// labels on a closed one: how a person records the outcome; `/maint reviewed` after the end: how the
// review is completed. Only the requester and the request's code owners (people, by the default
// branch's CODEOWNERS) are heard; comments made by maint's own token start no workflow and are never
// commands.
import { ownersOf, parseCodeowners } from '../approvals/codeowners.ts';
import type { IssueComment } from '../github/port.ts';

export type ManualOutcome = 'complete' | 'fail' | 'rollback';

const COMMAND = /^\/maint\s+(complete|completed|failed|fail|rolled-back|rollback)\b/im;
const OUTCOMES: Record<string, ManualOutcome> = {
  complete: 'complete',
  completed: 'complete',
  fail: 'fail',
  failed: 'fail',
  'rolled-back': 'rollback',
  rollback: 'rollback',
};

/** Who may record the outcome: the requester and the user owners of the request file. */
export function outcomeAuthorities(
  requester: string,
  requestFile: string,
  codeowners: string | null,
): Set<string> {
  const owners = ownersOf(requestFile, parseCodeowners(codeowners ?? ''))
    .filter((o) => /^@[^/]+$/.test(o))
    .map((o) => o.slice(1).toLowerCase());
  return new Set([requester.toLowerCase(), ...owners]);
}

/** The latest outcome command by someone allowed to give it, with who gave it. */
export function outcomeFromComments(
  comments: readonly IssueComment[],
  allowed: ReadonlySet<string>,
): { outcome: ManualOutcome; by: string } | undefined {
  for (const comment of [...comments].reverse()) {
    if (comment.userType === 'Bot' || !allowed.has(comment.user.toLowerCase())) continue;
    const match = COMMAND.exec(comment.body);
    if (match) return { outcome: OUTCOMES[match[1]!.toLowerCase()]!, by: comment.user };
  }
  return undefined;
}

/** The outcome a closed issue's labels record, if any. */
export function outcomeFromLabels(labels: readonly string[]): ManualOutcome | undefined {
  if (labels.includes('maintenance:rolled-back')) return 'rollback';
  if (labels.includes('maintenance:failed')) return 'fail';
  if (labels.includes('maintenance:completed')) return 'complete';
  return undefined;
}

const REVIEWED = /^\/maint\s+reviewed\b/im;

/** The first `/maint reviewed` after the end (`since`) by someone allowed to give it. */
export function reviewedFromComments(
  comments: readonly IssueComment[],
  allowed: ReadonlySet<string>,
  since: string,
): { at: string; by: string } | undefined {
  const from = Date.parse(since);
  const found = comments
    .filter(
      (c) =>
        c.userType !== 'Bot' &&
        allowed.has(c.user.toLowerCase()) &&
        Date.parse(c.createdAt) >= from &&
        REVIEWED.test(c.body),
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
  return found ? { at: found.createdAt, by: `@${found.user}` } : undefined;
}
