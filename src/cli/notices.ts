// `maint notices --id ID --kind KIND --channel CHANNEL`: print one notice as maint would send it,
// rendered from the built-in templates and the repository's overrides (JSON channels pretty-printed).
import { Option, type Command } from 'commander';
import { ConfigurationError, UsageError } from '../errors.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { didYouMean } from '../model/suggest.ts';
import { CHANNELS, NOTICE_KINDS, type Channel, type NoticeKind } from '../notices/kinds.ts';
import { renderNotice } from '../notices/render.ts';
import { loadTemplates } from '../notices/template-loader.ts';
import { unusedOverrides } from '../notices/template-source.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { parseIsoDuration } from '../schedule/time.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, instantOption } from './options.ts';
import { DEFAULT_DIR } from './validate.ts';

export interface NoticesOptions {
  id: string;
  kind: string;
  channel: string;
  dir: string;
  policy?: string;
  now?: string;
  templates?: string;
  offset?: string;
  occurrence?: string;
  started?: string;
  ended?: string;
  newEnd?: string;
  reason?: string;
  message?: string;
  outcome?: string;
  issue: string[];
  nextSlot?: string;
  resultIssue?: string;
  pr?: string;
}

export function registerNoticesCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('notices')
    .description('print one notice as it would be sent (JSON channels pretty-printed)')
    .requiredOption('--id <id>', 'request id (the file name without .yaml)')
    .addOption(new Option('--kind <kind>', 'notice kind').choices(NOTICE_KINDS).makeOptionMandatory())
    .addOption(new Option('--channel <channel>', 'channel').choices(CHANNELS).makeOptionMandatory())
    .option('--dir <folder>', 'requests folder', DEFAULT_DIR)
    .option('--policy <file>', 'policy file')
    .option('--now <iso>', 'the current time (default: the clock)')
    .option('--offset <duration>', 'reminder: how long before the start, e.g. P7D')
    .option('--templates <folder>', 'template overrides (default: the policy notices.templates_dir)')
    .option('--occurrence <iso>', 'recurring request: the occurrence start (default: the next one)')
    .option('--started <iso>', 'when the work really started')
    .option('--ended <iso>', 'when the work really ended')
    .option('--new-end <iso>', 'delay, extension: the new expected end')
    .option('--reason <text>', 'cancellation, delay, extension, rollback, missed: why')
    .option('--message <text>', 'progress: what is being done now')
    .option('--outcome <text>', 'completion: what was done')
    .option('--issue <text>', 'completion-with-issues: one issue (repeat for more)', collect, [])
    .option('--next-slot <iso>', 'cancellation, rollback, missed: the next planned start')
    .option('--result-issue <url>', 'the maintenance issue')
    .option('--pr <url>', 'the pull request of the request')
    .action((options: NoticesOptions) => setExit(runNotices(options, io)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function runNotices(options: NoticesOptions, io: CliIO): number {
  const kind = choiceOption('--kind', options.kind, NOTICE_KINDS);
  const channel = choiceOption('--channel', options.channel, CHANNELS);
  const now = instantOption('--now', options.now, io.now);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  const request = findRequest(options.id, options.dir, io.cwd);
  const details = noticeDetails(kind, options, request, policy, now);
  const templates = loadTemplates({
    root: io.cwd,
    userDir: options.templates ?? policy.notices.templatesDir,
  });
  if (templates.user) {
    for (const name of unusedOverrides(templates.user, templates.builtIn))
      io.err(`maint: warning: ${name} in the template overrides replaces no built-in template`);
  }
  const result = renderNotice({ kind, channel, request, policy, now, details }, templates.source);
  if (!result.ok) {
    const { file, line, column, message } = result.problem;
    if (!file) throw new UsageError(message);
    const where =
      line === undefined ? '' : `line ${line}${column === undefined ? '' : `, column ${column}`}: `;
    throw new ConfigurationError(file, `${where}${message}`);
  }
  io.out(printed(channel, result.notice));
  return EXIT.ok;
}

function printed(channel: Channel, notice: { subject?: string; text?: string; json?: unknown }): string {
  if (notice.json !== undefined) return JSON.stringify(notice.json, null, 2);
  if (channel === 'email') return `Subject: ${notice.subject ?? ''}\n\n${notice.text ?? ''}`;
  return notice.text ?? '';
}

function findRequest(id: string, dir: string, cwd: string): MaintenanceRequest {
  const files = readRequests([dir], cwd);
  const file = files.find((f) => f.id === id);
  if (!file)
    throw new UsageError(
      `--id ${id}: no request with this id in ${dir}${didYouMean(
        id,
        files.map((f) => f.id),
      )}`,
    );
  if (!file.request) throw new UsageError(`${file.path} has errors: run maint validate ${file.path}`);
  return file.request;
}

function noticeDetails(
  kind: NoticeKind,
  options: NoticesOptions,
  request: MaintenanceRequest,
  policy: Policy,
  now: number,
): NoticeDetails {
  const instant = (name: string, text: string | undefined) =>
    text === undefined ? undefined : instantOption(name, text, () => now);
  if (kind === 'reminder') {
    const planned = policy.reminders[request.type === 'emergency' ? 'emergency' : request.impact];
    if (options.offset === undefined)
      throw new UsageError(
        `--kind reminder needs --offset, how long before the start${
          planned.length > 0 ? ` (the policy's reminders for this request: ${planned.join(', ')})` : ''
        }`,
      );
    if (!parseIsoDuration(options.offset))
      throw new UsageError(`--offset ${options.offset}: expected an ISO 8601 duration such as P7D or PT1H`);
  }
  if (kind === 'extension' && options.newEnd === undefined)
    throw new UsageError('--kind extension needs --new-end, the new end time');
  const occurrence =
    instant('--occurrence', options.occurrence) ??
    (request.series ? occurrencesBetween(request, now, now + policy.horizonMs)[0]?.start : undefined);
  return {
    offset: options.offset,
    occurrence,
    actualStart: instant('--started', options.started),
    actualEnd: instant('--ended', options.ended),
    newEnd: instant('--new-end', options.newEnd),
    reason: options.reason,
    message: options.message,
    outcome: options.outcome,
    issues: options.issue,
    nextSlot: instant('--next-slot', options.nextSlot),
    resultIssueUrl: options.resultIssue,
    pullRequestUrl: options.pr,
  };
}
