// The monthly report as plain text: a summary, a table per scope, and each occurrence's outcome.
import type { Metrics, MonthlyReport } from '../lifecycle/metrics.ts';
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
