// The monthly report as plain text: a summary, a table per scope, the process metrics (reviews,
// request processing, notification coverage), and each occurrence's outcome.
import type { Metrics, MonthlyReport } from '../lifecycle/metrics.ts';
import type { ProcessMetrics } from '../lifecycle/process-metrics.ts';
import { formatDuration } from '../schedule/time.ts';

const percent = (rate: number | null) => (rate === null ? '-' : `${Math.round(rate * 100)}%`);

function row(scope: string, m: Metrics): string[] {
  const deviation =
    m.durationDeviation === null
      ? '-'
      : `${m.durationDeviation >= 0 ? '+' : ''}${Math.round(m.durationDeviation * 100)}%${m.withinTenPercent ? '' : ' (outside 10%)'}`;
  return [
    scope,
    String(m.total),
    String(m.cancelled),
    String(m.completed),
    percent(m.onTimeRate),
    deviation,
    String(m.overruns),
    percent(m.rollbackRate),
    String(m.missed),
    percent(m.emergencyShare),
    String(m.open + m.untracked),
  ];
}

const HEADER = [
  'SCOPE',
  'PLANNED',
  'CANCELLED',
  'COMPLETED',
  'ON TIME',
  'DURATION VS ESTIMATE',
  'OVERRUNS',
  'ROLLBACK RATE',
  'MISSED',
  'EMERGENCY',
  'OPEN',
];

export function reportText(report: MonthlyReport): string {
  const rows = [
    HEADER,
    row('all', report.overall),
    ...Object.entries(report.byEnvironment).map(([name, m]) => row(`environment ${name}`, m)),
    ...Object.entries(report.byService).map(([name, m]) => row(`service ${name}`, m)),
  ];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const { overall } = report;
  const lines = [
    `Maintenance in ${report.month} (${report.zone}): ${overall.total} planned, ${overall.completed} completed, ${overall.missed} missed, ${overall.cancelled} cancelled.`,
    overall.meanDurationMs === null || overall.meanEstimateMs === null
      ? 'No maintenance with a recorded start and end.'
      : `Mean duration ${formatDuration(Math.round(overall.meanDurationMs))} against ${formatDuration(Math.round(overall.meanEstimateMs))} estimated, over ${overall.measured} measured.`,
    '',
    ...table,
  ];
  if (report.process) lines.push('', ...processLines(report.process));
  if (report.occurrences.length > 0) {
    lines.push('');
    const width = Math.max(...report.occurrences.map((o) => o.key.length));
    for (const o of report.occurrences) {
      const flags = [o.onTime ? 'on time' : '', o.overrun ? 'overran' : ''].filter(Boolean).join(', ');
      lines.push(`${o.plannedStart}  ${o.key.padEnd(width)}  ${o.outcome}${flags ? ` (${flags})` : ''}`);
    }
  }
  if (report.unknownKeys.length > 0)
    lines.push('', `State without a request file, left out: ${report.unknownKeys.join(', ')}`);
  return lines.join('\n');
}

const CHANNEL_NAMES: Record<string, string> = {
  issue: 'result issue',
  slack: 'Slack',
  teams: 'Teams',
  statuspage: 'Statuspage',
  email: 'e-mail',
};

/** `1 h 30 min`, or whole hours and days when long. */
function span(ms: number): string {
  return formatDuration(Math.round(ms / 60_000) * 60_000);
}

function processLines(process: ProcessMetrics): string[] {
  const { reviews, processing, notifications } = process;
  const items = reviews.actionItems.open + reviews.actionItems.done;
  const channels = Object.entries(notifications.byChannel).sort(([a], [b]) =>
    a === 'issue' ? -1 : b === 'issue' ? 1 : a.localeCompare(b),
  );
  return [
    reviews.due === 0
      ? 'Reviews: none due.'
      : `Reviews: ${reviews.due} due; ${reviews.within24h} done within 24 h, ${reviews.within7d} within 7 days, ${reviews.overdue} overdue${reviews.pending ? `, ${reviews.pending} still in time` : ''}; completion ${percent(reviews.rate)} (target 100%).`,
    ...(items > 0 ? [`Action items written in reviews: ${items}, ${reviews.actionItems.done} done.`] : []),
    processing.pullRequests === 0
      ? 'Request processing: no pull request recorded.'
      : `Request processing (pull request opened -> approved and merged), ${processing.pullRequests} pull request${processing.pullRequests === 1 ? '' : 's'}: median ${span(processing.medianMs!)}, ${percent(processing.shareUnder24h)} under 24 h (target: under 24 h).`,
    ...(processing.unrecorded > 0
      ? [`Requests without a recorded pull request: ${processing.unrecorded}.`]
      : []),
    notifications.maintenance === 0
      ? 'Notification coverage: no maintenance due its notices.'
      : `Notification coverage (announcement and every due reminder on time; target 100%): ${channels
          .map(
            ([channel, c]) =>
              `${CHANNEL_NAMES[channel] ?? channel} ${c.covered}/${c.maintenance} (${percent(c.rate)})`,
          )
          .join(', ')}.`,
  ];
}
