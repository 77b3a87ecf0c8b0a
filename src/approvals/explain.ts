// The approvals decision in plain text, for people: who approved, who is still needed, what blocks.
import type { ApprovalDecision, ApprovalGroup, ApprovalHints } from './evaluate.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function describeGroup(group: ApprovalGroup, hints: ApprovalHints | undefined): string {
  const approved = group.approved_by.length > 0 ? `, approved by ${group.approved_by.join(', ')}` : '';
  let line = `  ${group.name}: ${Math.min(group.approved_by.length, group.need)} of ${group.need}${approved}`;
  if (group.missing > 0) {
    const nobody = hints?.nobody[group.name];
    const from =
      hints?.askFrom[group.name] ?? (nobody === undefined && group.name.startsWith('@') ? [group.name] : []);
    line += `; ${group.missing} more needed${from.length > 0 ? ` from ${orList(from)}` : ''}`;
    if (nobody !== undefined)
      line += `${from.length > 0 ? ', and beyond them' : ', but'} nobody who can approve is left: ${nobody}`;
  }
  return line;
}

/** A short explanation of a decision; `hints` (from analyseApprovals) add names and reasons. */
export function explainApprovals(decision: ApprovalDecision, hints?: ApprovalHints): string {
  const missing = decision.files.reduce((sum, f) => sum + f.groups.reduce((s, g) => s + g.missing, 0), 0);
  const reasons = [
    missing > 0 ? `${plural(missing, 'more approval')} needed` : '',
    decision.blocking.length > 0 ? plural(decision.blocking.length, 'blocking review') : '',
    decision.problems.length > 0 ? plural(decision.problems.length, 'problem') : '',
  ].filter(Boolean);
  const blocks: string[] = [
    decision.approved
      ? 'Approved: every changed file has the approvals it needs.'
      : `Not approved: ${reasons.join(', ')}.`,
  ];

  const needing = decision.files.filter((f) => f.groups.length > 0);
  if (needing.length > 0)
    blocks.push(
      needing.map((f) => [f.path, ...f.groups.map((g) => describeGroup(g, hints))].join('\n')).join('\n'),
    );
  const free = decision.files.filter((f) => f.groups.length === 0).map((f) => f.path);
  if (free.length > 0) blocks.push(`No approval needed (no code owners): ${free.join(', ')}`);

  if (decision.blocking.length > 0)
    blocks.push(
      [
        'Blocking:',
        ...decision.blocking.map(
          (b) =>
            `  ${b.user} requested changes: ${b.user} must approve, or a maintainer must dismiss that review`,
        ),
      ].join('\n'),
    );
  if (decision.problems.length > 0)
    blocks.push(['Problems:', ...decision.problems.map((p) => `  - ${p}`)].join('\n'));
  if (hints && hints.notes.length > 0)
    blocks.push(['Notes:', ...hints.notes.map((n) => `  - ${n}`)].join('\n'));
  return blocks.join('\n\n');
}
