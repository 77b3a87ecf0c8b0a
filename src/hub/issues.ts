// One issue in the hub per pair of conflicting requests of different repositories: what to open,
// update and close, from the conflicts found now and the issues open now. An issue is found again by
// a hidden marker with the pair's key (never by its title), so a pair never gets two; one whose pair
// no longer conflicts (moved, cancelled, over) is closed with a comment saying so. Pure.
import { createHash } from 'node:crypto';
import type { IssueInfo } from '../github/port.ts';
import { followableUrl } from '../format/url.ts';
import { escapeMarkdown } from '../notices/escape.ts';
import { formatDay } from '../schedule/time.ts';
import { describeOccurrence } from '../schedule/windows.ts';
import type { ConflictParty, CrossConflict } from './conflicts.ts';
import type { KnownIssue } from './state.ts';

export const CONFLICT_LABEL = 'maintenance-conflict';
const MARKER = /<!-- maint-hub-conflict: (\{[^\n]*?\}) -->/;

export function conflictMarker(key: string): string {
  // JSON keeps the key on one line; `--` cannot occur in it (UIDs are id@owner.repo.maint, escaped).
  return `<!-- maint-hub-conflict: ${JSON.stringify({ key }).replace(/--/g, '-\\u002d')} -->`;
}

export function markerKey(body: string): string | undefined {
  const match = MARKER.exec(body);
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[1]!) as { key?: unknown };
    return typeof value.key === 'string' ? value.key : undefined;
  } catch {
    return undefined;
  }
}

export type IssueAction =
  | { kind: 'create'; key: string; title: string; body: string }
  | { kind: 'update'; key: string; number: number; title: string; body: string }
  | { kind: 'close'; key: string; number: number; comment: string; duplicate: boolean };

const link = (label: string, url: string | null) => {
  const href = followableUrl(url ?? undefined)?.href.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16)}`,
  );
  return href ? `[${label}](${href})` : label;
};

function side(p: ConflictParty): string {
  return `| ${escapeMarkdown(p.repository)} | ${link(`\`${p.id.replace(/`/g, '')}\``, p.links.request_file)} ${escapeMarkdown(p.title)} | ${link('pull request', p.links.pull_request)} |`;
}

export function conflictIssue(conflict: CrossConflict): { title: string; body: string } {
  const { a, b } = conflict;
  const where =
    conflict.sharedServices.length > 0
      ? `${conflict.environment}/${conflict.sharedServices.join(', ')}`
      : conflict.environment;
  const when = `${formatDay(conflict.at.start, a.timezone)}, ${describeOccurrence(conflict.at, a.timezone)}`;
  const title = `Maintenance conflict: ${a.repository} ${a.id} and ${b.repository} ${b.id} on ${where}`;
  const what =
    conflict.sharedServices.length > 0
      ? `both change the shared service${conflict.sharedServices.length > 1 ? 's' : ''} ${conflict.sharedServices.map((s) => `\`${s}\``).join(', ')} in ${escapeMarkdown(conflict.environment)}`
      : `both run in ${escapeMarkdown(conflict.environment)} at the same time`;
  const body = [
    conflictMarker(conflict.key),
    `Two repositories' scheduled maintenance overlap: they ${what}.`,
    '',
    '| repository | request | pull request |',
    '| --- | --- | --- |',
    side(a),
    side(b),
    '',
    `They first overlap on ${when}${conflict.count > 1 ? ` (${conflict.count} overlapping occurrences)` : ''}.`,
    '',
    'Move one of them: change its `start` in a pull request to its repository (`maint next-slot` finds a free slot). ' +
      'The hub closes this issue once they no longer overlap.',
    '',
  ].join('\n');
  return { title: title.length > 250 ? `${title.slice(0, 249)}…` : title, body };
}

/** An open issue as the planner needs it, with its marker's key (undefined: not a conflict issue). */
export function knownIssue(issue: Pick<IssueInfo, 'number' | 'title' | 'body'>): KnownIssue | undefined {
  const key = markerKey(issue.body);
  return key === undefined
    ? undefined
    : { number: issue.number, key, title: issue.title, bodySha: bodySha(issue.body) };
}

export function bodySha(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** `conflicts`: those that should have an issue; `open`: the hub's open conflict issues. */
export function planConflictIssues(
  conflicts: readonly CrossConflict[],
  open: readonly KnownIssue[],
): IssueAction[] {
  const actions: IssueAction[] = [];
  const existing = new Map<string, KnownIssue>();
  for (const issue of [...open].sort((x, y) => x.number - y.number)) {
    const key = issue.key;
    if (existing.has(key)) {
      actions.push({
        kind: 'close',
        key,
        number: issue.number,
        duplicate: true,
        comment: `Closed: #${existing.get(key)!.number} follows the same conflict.`,
      });
      continue;
    }
    existing.set(key, issue);
  }
  const wanted = new Set<string>();
  for (const conflict of conflicts) {
    wanted.add(conflict.key);
    const { title, body } = conflictIssue(conflict);
    const issue = existing.get(conflict.key);
    if (!issue) actions.push({ kind: 'create', key: conflict.key, title, body });
    else if (issue.bodySha !== bodySha(body) || issue.title !== title)
      actions.push({ kind: 'update', key: conflict.key, number: issue.number, title, body });
  }
  for (const [key, issue] of existing) {
    if (wanted.has(key)) continue;
    actions.push({
      kind: 'close',
      key,
      number: issue.number,
      duplicate: false,
      comment:
        "Resolved: the two requests no longer overlap in the hub's schedule (one moved, was cancelled or is over).",
    });
  }
  return actions;
}
