// `maint report --month YYYY-MM`: the month's maintenance metrics from the recorded lifecycle states.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { isMonth, monthlyReport, type Metrics, type MonthlyReport } from '../lifecycle/metrics.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { formatDuration } from '../schedule/time.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption } from './options.ts';
import { readStateFile } from './plan.ts';
import { DEFAULT_DIR } from './validate.ts';

export interface ReportOptions {
  month: string;
  dir: string;
  policy?: string;
  state?: string;
  format: string;
}

export function runReport(options: ReportOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json'] as const);
  if (!isMonth(options.month))
    throw new UsageError(`--month ${options.month}: expected a month such as 2026-11`);
  const states = options.state === undefined ? {} : readStateFile(options.state, io.cwd);
  const { policy } = loadPolicy(options.policy, io.cwd);
  const files = readRequests([options.dir], io.cwd);
  for (const file of files.filter((f) => !f.request))
    io.err(`maint report: warning: ${file.path}: does not parse; left out`);
  const requests = files.flatMap((f): MaintenanceRequest[] => (f.request ? [f.request] : []));
  const report = monthlyReport(states, requests, options.month, policy.timezone);
  io.out(format === 'json' ? JSON.stringify(report, null, 2) : reportText(report));
  return EXIT.ok;
}

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

export function registerReportCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('report')
    .description(
      "print a month's maintenance metrics: on-time rate, duration vs estimate, overruns, rollbacks",
    )
    .requiredOption('--month <month>', 'the calendar month, e.g. 2026-11 (in the policy time zone)')
    .option('--dir <folder>', 'the requests', DEFAULT_DIR)
    .option(
      '--policy <file>',
      'policy file (default: .github/maintenance-policy.yaml, else the built-in default)',
    )
    .option('--state <file>', 'JSON of the recorded states, by request id or occurrence key')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: ReportOptions) => setExit(runReport(options, io)));
}
