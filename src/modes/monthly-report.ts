// The monthly report issue: in the first days of a month, one issue with the previous month's
// maintenance metrics (from the result issues closed since then) and the scheduler's health, made
// once (found again by its title and label). Checked only then, so other ticks make no extra call.
import { reportText } from '../format/report.ts';
import type { IssueTracker } from '../github/port.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { monthInterval, monthlyReport } from '../lifecycle/metrics.ts';
import type { StateMap } from '../lifecycle/state.ts';
import type { RequestParse } from '../model/request.ts';
import type { Policy } from '../model/types.ts';
import { escapeMarkdown } from '../notices/escape.ts';
import { dateIn, DAY, formatBoth, formatDuration } from '../schedule/time.ts';
import { codeBlock } from './execution-comment.ts';
import { RESULT_LABEL } from './result-issue.ts';

export const REPORT_LABEL = 'maintenance-report';
/** The report is made on one of the first days of the month (ticks may be dropped for a while). */
const REPORT_DAYS = 3;
/** Scheduled every 15 minutes: a previous run older than this means runs were late or dropped. */
const EXPECTED_GAP_MS = 60 * 60_000;
const INACTIVITY_LIMIT_DAYS = 60;

export interface SchedulerFacts {
  /** When the scheduled run before this one started. */
  previousRunAt?: number;
  /** Public repositories lose their schedules after 60 days without activity. */
  isPublic: boolean;
  /** The last push to the repository. */
  lastActivityAt?: number;
}

export function reportMonth(now: number, zone: string): string | undefined {
  const today = dateIn(now, zone);
  if (Number(today.slice(8, 10)) > REPORT_DAYS) return undefined;
  const [year, month] = today.split('-').map(Number) as [number, number];
  const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  return previous;
}

export function schedulerHealth(now: number, zone: string, facts: SchedulerFacts): string[] {
  const lines: string[] = [];
  if (facts.previousRunAt === undefined) lines.push('- No earlier scheduled run was found.');
  else {
    const gap = now - facts.previousRunAt;
    lines.push(
      gap > EXPECTED_GAP_MS
        ? `- ⚠️ The scheduled run before this one started ${formatDuration(Math.round(gap / 60_000) * 60_000)} earlier (${formatBoth(facts.previousRunAt, zone)}): runs were late or dropped. Reminders and starts catch up when runs resume, but a window can be missed.`
        : `- The scheduled run before this one started ${formatDuration(Math.max(60_000, Math.round(gap / 60_000) * 60_000))} earlier, as expected.`,
    );
  }
  if (facts.isPublic && facts.lastActivityAt !== undefined) {
    const idle = Math.floor((now - facts.lastActivityAt) / DAY);
    if (idle >= INACTIVITY_LIMIT_DAYS - 14)
      lines.push(
        `- ⚠️ No activity in this public repository for ${idle} days: GitHub disables scheduled workflows after ${INACTIVITY_LIMIT_DAYS} days. Push a commit, or re-enable maintenance-run under Actions if it was disabled.`,
      );
  }
  return lines;
}

/** Makes the report issue of the previous month when it is due and does not exist yet. */
export async function ensureMonthlyReport(
  github: IssueTracker,
  input: {
    files: readonly RequestParse[];
    policy: Policy;
    now: number;
    facts: () => Promise<SchedulerFacts>;
  },
): Promise<number | undefined> {
  const zone = input.policy.timezone;
  const month = reportMonth(input.now, zone);
  if (!month) return undefined;
  const title = `Maintenance report ${month}`;
  const since = new Date(monthInterval(month, zone).start - 7 * DAY).toISOString();
  const existing = [
    ...(await github.openIssues(REPORT_LABEL)),
    ...(await github.recentlyClosedIssues(REPORT_LABEL, since)),
  ];
  if (existing.some((issue) => issue.title === title)) return undefined;

  const states: StateMap = {};
  for (const issue of [
    ...(await github.recentlyClosedIssues(RESULT_LABEL, since)),
    ...(await github.openIssues(RESULT_LABEL)),
  ]) {
    const marker = decodeStateMarker(issue.body);
    if (marker.kind === 'found') states[marker.key] = marker.state;
  }
  const requests = input.files.flatMap((f) => (f.request ? [f.request] : []));
  const report = monthlyReport(states, requests, month, zone, { policy: input.policy, now: input.now });
  const body = [
    `## ${escapeMarkdown(title)}`,
    '',
    codeBlock(reportText(report)),
    '',
    '### Scheduler',
    '',
    ...schedulerHealth(input.now, zone, await input.facts()),
    '',
    `On-time completion, duration against the estimate (the runbooks' target: within 10%), overruns, rollback rate, missed windows and emergency share; reviews done within 24 hours and 7 days, request processing time and notification coverage; from the result issues labelled \`${RESULT_LABEL}\`. The same figures: \`maint report --month ${month}\`.`,
  ].join('\n');
  const issue = await github.createIssue({ title, body, labels: [REPORT_LABEL], assignees: [] });
  return issue.number;
}
