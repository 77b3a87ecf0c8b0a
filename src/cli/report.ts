// `maint report --month YYYY-MM`: the month's maintenance metrics from the recorded lifecycle states.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { reportText } from '../format/report.ts';
import { isMonth, monthlyReport } from '../lifecycle/metrics.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, instantOption } from './options.ts';
import { readStateFile } from './plan.ts';
import { DEFAULT_DIR } from './validate.ts';

export interface ReportOptions {
  month: string;
  /** Which reviews may still be done in time (default: the clock). */
  now?: string;
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
  const now = instantOption('--now', options.now, io.now);
  const report = monthlyReport(states, requests, options.month, policy.timezone, { policy, now });
  io.out(format === 'json' ? JSON.stringify(report, null, 2) : reportText(report));
  return EXIT.ok;
}

export function registerReportCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('report')
    .description(
      "print a month's maintenance metrics: on-time rate, duration vs estimate, overruns, rollbacks, reviews, request processing, notification coverage",
    )
    .requiredOption('--month <month>', 'the calendar month, e.g. 2026-11 (in the policy time zone)')
    .option('--dir <folder>', 'the requests', DEFAULT_DIR)
    .option(
      '--policy <file>',
      'policy file (default: .github/maintenance-policy.yaml, else the built-in default)',
    )
    .option('--state <file>', 'JSON of the recorded states, by request id or occurrence key')
    .option('--now <iso>', 'the moment reviews are judged at (default: now)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: ReportOptions) => setExit(runReport(options, io)));
}
