// What intake writes for people: the one comment on the issue (the fields to fix, or the pull
// request and its validation), and the pull request's title and body. Every text that came from
// the issue or the repository is escaped for GitHub Markdown. Pure.
import { describeSlot } from '../format/validation.ts';
import { escapeMarkdown } from '../notices/escape.ts';
import type { FileReport } from '../schedule/validate.ts';
import type { FieldProblem } from './submission.ts';

/** Finds the issue's one intake comment again, so it is updated rather than repeated. */
export const INTAKE_MARKER = '<!-- maint:intake -->';

export interface PullRef {
  number: number;
  htmlUrl: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The fields to fix, one line each; no pull request is opened (or the open one keeps its file). */
export function problemsComment(problems: readonly FieldProblem[], pull?: PullRef): string {
  const lines = problems.map((p) => `- **${escapeMarkdown(p.label)}**: ${escapeMarkdown(p.message)}`);
  return [
    INTAKE_MARKER,
    '### ❌ This maintenance request cannot be filed yet',
    '',
    'Edit this issue and fix:',
    '',
    ...lines,
    '',
    pull
      ? `Pull request #${pull.number} keeps its previous version of the request until then; maint updates it on the next edit that reads correctly.`
      : 'No pull request was opened; maint reads the issue again on every edit.',
  ].join('\n');
}

export interface FiledView {
  pull: PullRef;
  path: string;
  id: string;
  /** opened: a new pull request; updated: a new commit on it; unchanged: the file already said this. */
  change: 'opened' | 'updated' | 'unchanged';
  /** The validation of the file against the default branch's policy and scheduled requests. */
  report: FileReport;
  baseBranch: string;
  /** The validate run started for the pull request, or why none could be started. */
  validation: { runUrl: string } | { notStarted: string } | { notNeeded: true };
}

/** The pull request, the file, and what `maint validate` says of it. */
export function filedComment(view: FiledView): string {
  const { report } = view;
  const errors = report.errors.length;
  const warnings = report.warnings.length;
  const verdict =
    errors > 0
      ? `❌ ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}: edit this issue to fix ${errors === 1 ? 'it' : 'them'}`
      : warnings > 0
        ? `⚠️ valid, with ${plural(warnings, 'warning')}`
        : '✅ valid';
  const finding = (icon: string) => (f: FileReport['errors'][number]) =>
    `- ${icon} \`${f.rule}\`: ${escapeMarkdown(f.message)}`;
  const changed =
    view.change === 'opened'
      ? 'opened'
      : view.change === 'updated'
        ? 'updated with this edit'
        : 'unchanged by this edit';
  const slot =
    errors > 0 && report.nextSlot && report.request
      ? [``, `**Next free slot:** ${escapeMarkdown(describeSlot(report.nextSlot, report.request.zone))}`]
      : [];
  const check =
    'runUrl' in view.validation
      ? `The check \`maintenance/validate\` [runs on the pull request](${view.validation.runUrl}) and counts its approvals.`
      : 'notStarted' in view.validation
        ? `⚠️ The check \`maintenance/validate\` could not be started (${escapeMarkdown(view.validation.notStarted)}): it runs on the next review, or re-run it from the Actions tab.`
        : 'The check `maintenance/validate` on the pull request counts its approvals.';
  return [
    INTAKE_MARKER,
    `### Maintenance request: pull request #${view.pull.number} ${changed}`,
    '',
    `[#${view.pull.number}](${view.pull.htmlUrl}) adds \`${view.path}\` (id \`${view.id}\`) and closes this issue when merged.`,
    '',
    `**Validation** against the policy and the scheduled requests of \`${escapeMarkdown(view.baseBranch)}\`: ${verdict}`,
    ...(errors + warnings > 0
      ? ['', ...report.errors.map(finding('❌')), ...report.warnings.map(finding('⚠️'))]
      : []),
    ...slot,
    '',
    check,
  ].join('\n');
}

/** After the merge the file is the request: the issue no longer changes it. */
export function mergedComment(pull: PullRef): string {
  return [
    INTAKE_MARKER,
    `### Maintenance request merged in #${pull.number}`,
    '',
    'Edits of this issue no longer change the request: open a pull request that edits its file.',
  ].join('\n');
}

/** A pull request title from the issue's title: one line, within GitHub's 256 characters. */
export function pullTitle(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  const full = `Maintenance request: ${line}`;
  return full.length <= 256 ? full : `${full.slice(0, 255)}…`;
}

export function pullBody(issueNumber: number, author: string, path: string): string {
  return [
    `Closes #${issueNumber}`,
    '',
    `Adds \`${path}\`, filed by @${author} through the maintenance request form in #${issueNumber}.`,
    `@${author} is the requester: they count as this pull request's author for approvals, and the`,
    'request changes when the issue is edited. Reviews and approvals follow the policy as for any request.',
    '',
    `<!-- maint:intake issue=${issueNumber} -->`,
  ].join('\n');
}
