// The three faces of a validation report: plain text for people, JSON for tools, and GitHub
// workflow commands that become annotations at the offending line.
import type { LocatedFinding, MaintenanceRequest, OverlapDetails } from '../model/types.ts';
import { RRule } from '../schedule/rrule.ts';
import type { SlotResult } from '../schedule/next-slot.ts';
import { lastOccurrence, ruleWithoutUntil } from '../schedule/recurrence.ts';
import { formatBoth, formatDay, formatDuration, formatInstant, isoUtc } from '../schedule/time.ts';
import type { FileReport, ValidationReport } from '../schedule/validate.ts';
import { describeOccurrence } from '../schedule/windows.ts';

/** A finding's full list of overlapping requests, with times as ISO 8601 UTC. */
function overlapsJson(overlaps: OverlapDetails) {
  return {
    environment: overlaps.environment,
    slots: overlaps.slots.map((slot) => ({
      start: isoUtc(slot.start),
      end: isoUtc(slot.end),
      requests: slot.requests,
      ...(slot.services ? { services: slot.services } : {}),
      ...(slot.peak ? { peak: { ...slot.peak, at: isoUtc(slot.peak.at) } } : {}),
    })),
  };
}

function fileJson(file: FileReport) {
  const finding = (f: LocatedFinding) => ({
    rule: f.rule,
    message: f.message,
    line: f.line,
    column: f.column,
    ...(f.overlaps ? { overlaps: overlapsJson(f.overlaps) } : {}),
  });
  return {
    path: file.path,
    id: file.id,
    errors: file.errors.map(finding),
    warnings: file.warnings.map(finding),
  };
}

/**
 * The JSON report a piece at a time (joined with newlines, the text of `JSON.stringify(report, null,
 * 2)`), so a large report is written out without being held whole in memory.
 */
export function* jsonLines(report: ValidationReport): Generator<string> {
  // Each file is printed inside a wrapper as the whole report would print it, then unwrapped: its
  // text is already indented as an element of `files`.
  const head = '{\n  "files": [\n';
  const tail = '\n  ]\n}';
  if (report.files.length === 0) yield '{\n  "files": [],';
  else {
    yield '{\n  "files": [';
    const last = report.files.length - 1;
    for (let i = 0; i <= last; i++) {
      const text = JSON.stringify({ files: [fileJson(report.files[i]!)] }, null, 2);
      yield `${text.slice(head.length, -tail.length)}${i < last ? ',' : ''}`;
    }
    yield '  ],';
  }
  const summary = JSON.stringify({ summary: report.summary }, null, 2);
  yield `${summary.slice(2, -2)}\n}`;
}

/** Escapes a workflow command's message (data). */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function* githubCommandLines(report: ValidationReport): Generator<string> {
  for (const file of report.files) {
    for (const f of [...file.errors, ...file.warnings]) {
      const properties = [
        `file=${escapeCommandProperty(file.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `title=${escapeCommandProperty(`maint ${f.rule}`)}`,
      ].join(',');
      yield `::${f.severity === 'error' ? 'error' : 'warning'} ${properties}::${escapeCommandData(f.message)}`;
    }
  }
  yield summaryLine(report);
}

function summaryLine(report: ValidationReport): string {
  const { files, errors, warnings } = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** `Sunday 17 January 2027, 02:00-04:00 CET (01:00-03:00 UTC), 2 h` */
export function describeWhen(request: MaintenanceRequest): string {
  const sameDay = formatDay(request.startsAt, request.zone) === formatDay(request.endsAt, request.zone);
  const span = sameDay
    ? `${formatDay(request.startsAt, request.zone)}, ${describeOccurrence({ start: request.startsAt, end: request.endsAt }, request.zone)}`
    : `${formatBoth(request.startsAt, request.zone)} until ${formatBoth(request.endsAt, request.zone)}`;
  return `${span}, ${formatDuration(request.durationMs)}`;
}

/**
 * `every week on Sunday, last on Sunday 12 December 2027, 02:00 CET`: the rule in words, and for a
 * finite series its last occurrence as the schedule has it (so every surface names the same one).
 */
export function describeRecurrence(request: MaintenanceRequest): string | undefined {
  if (!request.series) return undefined;
  let text: string;
  try {
    text = RRule.fromString(ruleWithoutUntil(request.series.rrule)).toText();
  } catch {
    text = request.series.rrule;
  }
  const last = lastOccurrence(request);
  return last ? `${text}, last on ${formatInstant(last.start, request.zone)}` : text;
}

export function describeSlot(slot: SlotResult, zone: string): string {
  if (!slot.found) return `no free slot found: ${slot.reason}`;
  const window = slot.window ? ` in ${slot.window.names.join(' + ')}` : '';
  return `${formatBoth(slot.start, zone)}${window} (maint next-slot prints ${isoUtc(slot.start)})`;
}

function describeFile(file: FileReport): string[] {
  const lines = [`${file.path}`];
  const request = file.request;
  if (request) {
    const status = request.status === 'cancelled' ? ' [CANCELLED]' : file.history ? ' [past]' : '';
    lines.push(`  ${request.title}${status}`);
    lines.push(`  When: ${describeWhen(request)}`);
    const repeats = describeRecurrence(request);
    if (repeats) lines.push(`  Repeats: ${repeats}`);
    lines.push(
      `  What: ${request.type} ${request.category}, ${request.impact} impact, ${request.environment}: ${request.services.join(', ')}`,
    );
  }
  for (const f of file.errors)
    lines.push(`  error   [${f.rule}] line ${f.line}, col ${f.column}: ${f.message}`);
  for (const f of file.warnings)
    lines.push(`  warning [${f.rule}] line ${f.line}, col ${f.column}: ${f.message}`);
  if (file.nextSlot && request) lines.push(`  Next free slot: ${describeSlot(file.nextSlot, request.zone)}`);
  if (file.errors.length === 0 && file.warnings.length === 0) lines.push('  OK');
  return lines;
}

/** A table of the valid requests in start order. */
export function scheduleTable(report: ValidationReport): string {
  const rows = report.files
    .filter((f): f is FileReport & { request: MaintenanceRequest } => f.request !== undefined)
    .sort((a, b) => a.request.startsAt - b.request.startsAt)
    .map((f) => {
      const r = f.request;
      const status =
        f.errors.length > 0
          ? 'invalid'
          : r.status === 'cancelled'
            ? 'cancelled'
            : f.history
              ? 'past'
              : 'scheduled';
      return [
        isoUtc(r.startsAt).replace('T', ' ').replace(':00Z', 'Z'),
        formatDuration(r.durationMs),
        r.environment,
        r.impact,
        r.type,
        status + (r.series ? ' (repeats)' : ''),
        r.id,
      ];
    });
  const header = ['START (UTC)', 'DURATION', 'ENVIRONMENT', 'IMPACT', 'TYPE', 'STATUS', 'ID'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function toText(report: ValidationReport, options: { schedule?: boolean } = {}): string {
  return [...textLines(report, options)].join('\n');
}

/** The text report a file at a time (joined with newlines, the text of `toText`). */
export function* textLines(
  report: ValidationReport,
  options: { schedule?: boolean } = {},
): Generator<string> {
  for (const file of report.files) {
    yield describeFile(file).join('\n');
    yield '';
  }
  if (options.schedule && report.files.some((f) => f.request)) {
    yield `Schedule\n${scheduleTable(report)}`;
    yield '';
  }
  yield summaryLine(report);
}
