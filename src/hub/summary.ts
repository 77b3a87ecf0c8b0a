// The hub build's run summary (Markdown for the job summary): every member and how it was read (or
// why not, and that its last data was kept), every conflict between repositories among the work to
// come, the conflict issues opened, updated and closed, and what the build cost in requests. Pure.
import { followableUrl } from '../format/url.ts';
import { escapeMarkdown } from '../notices/escape.ts';
import { formatBoth, formatDay } from '../schedule/time.ts';
import { describeOccurrence } from '../schedule/windows.ts';
import type { ConflictParty, CrossRepositoryReport } from './conflicts.ts';

/** How one member fared in a build. */
export interface MemberReport {
  repository: string;
  teams: string[];
  source: 'pages' | 'api' | null;
  /** read: new data; unchanged: its validator said nothing changed; kept: reading failed, last data kept. */
  outcome: 'read' | 'unchanged' | 'kept';
  /** Why reading failed (outcome kept), or what was left out of what it published. */
  problem?: string;
  occurrences: number;
  /** When its data was last read successfully (ISO), null when never. */
  readAt: string | null;
}

export interface IssueCounts {
  opened: string[];
  updated: string[];
  closed: string[];
  /** Conflicts that should have an issue but were left for the next build (a cap per build). */
  deferred: number;
}

export interface HubSummaryInput {
  hub: string;
  members: MemberReport[];
  report: CrossRepositoryReport;
  issues?: IssueCounts;
  occurrences: number;
  files: number;
  requests: { api: number; notModified: number; pages: number };
  notes: string[];
}

const MAX_LISTED = 100;

const SOURCE = { pages: 'Pages schedule.json', api: 'API (maintenance/ and policy)' } as const;

export function describeMember(member: MemberReport): string {
  const source = member.source ? SOURCE[member.source] : 'not read yet';
  if (member.outcome === 'kept')
    return `**not read**: ${member.problem ?? 'unknown problem'}; ${member.readAt ? `its data of ${member.readAt} is kept` : 'it has no data yet'}`;
  const what = member.outcome === 'read' ? `read from its ${source}` : `unchanged (${source})`;
  return member.problem ? `${what}; ${member.problem}` : what;
}

function who(p: ConflictParty): string {
  const href = followableUrl(p.links.pull_request ?? p.links.request_file ?? undefined)?.href;
  const id = `\`${p.id.replace(/`/g, '')}\``;
  return `${escapeMarkdown(p.repository)} ${href ? `[${id}](${href.replace(/[()\s]/g, encodeURIComponent)})` : id} (${escapeMarkdown(p.title)})`;
}

export function renderHubSummary(input: HubSummaryInput): string {
  const lines: string[] = [`### maint hub: ${escapeMarkdown(input.hub)}`, ''];
  const failed = input.members.filter((m) => m.outcome === 'kept');
  lines.push(
    `${input.members.length} member repositories, ${input.occurrences} occurrences, ${input.files} files written.` +
      ` Requests: ${input.requests.api} to the API (${input.requests.notModified} answered 304 Not Modified), ${input.requests.pages} to Pages sites.`,
    '',
  );
  if (failed.length > 0) {
    lines.push(
      `**${failed.length} member${failed.length === 1 ? '' : 's'} could not be read** (their last data stays in the calendar):`,
      '',
    );
    for (const m of failed)
      lines.push(`- ${escapeMarkdown(m.repository)}: ${escapeMarkdown(describeMember(m))}`);
    lines.push('');
  }
  lines.push('| repository | team | occurrences | this build |', '| --- | --- | ---: | --- |');
  for (const m of input.members)
    lines.push(
      `| ${escapeMarkdown(m.repository)} | ${escapeMarkdown(m.teams.join(', '))} | ${m.occurrences} | ${escapeMarkdown(describeMember(m))} |`,
    );
  lines.push('');

  const { conflicts, excesses, unlistedWarnings } = input.report;
  const errors = conflicts.filter((c) => c.severity === 'error');
  const warnings = conflicts.length - errors.length + unlistedWarnings;
  lines.push(`#### Conflicts between repositories: ${errors.length} errors, ${warnings} warnings`, '');
  if (conflicts.length === 0) lines.push('None among the work to come.');
  // Errors first; the job summary has room for a hundred, the page lists every error.
  const listed = [...errors, ...conflicts.filter((c) => c.severity === 'warning')].slice(0, MAX_LISTED);
  for (const c of listed) {
    const where =
      c.sharedServices.length > 0 ? `${c.environment}/${c.sharedServices.join(', ')}` : c.environment;
    const when = `${formatDay(c.at.start, c.a.timezone)}, ${describeOccurrence(c.at, c.a.timezone)}`;
    lines.push(
      `- **${c.severity}** on ${escapeMarkdown(where)}: ${who(c.a)} and ${who(c.b)}, ${when}${c.count > 1 ? ` (${c.count} overlapping occurrences)` : ''}`,
    );
  }
  if (conflicts.length + unlistedWarnings > listed.length)
    lines.push(
      `- and ${conflicts.length + unlistedWarnings - listed.length} more (every error is on the page)`,
    );
  for (const e of excesses.slice(0, MAX_LISTED))
    lines.push(
      `- **error**: ${e.running.length} at once in ${escapeMarkdown(e.environment)} at ${formatBoth(e.at, 'UTC')} (the hub's policy allows ${e.limit}): ${e.running.map(who).join(', ')}`,
    );
  lines.push('');
  if (input.issues) {
    const { opened, updated, closed, deferred } = input.issues;
    lines.push(
      `Conflict issues: ${opened.length} opened, ${updated.length} updated, ${closed.length} closed${deferred > 0 ? `, ${deferred} left for the next build` : ''}.`,
      '',
    );
  }
  for (const note of input.notes) lines.push(`- ${escapeMarkdown(note)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
