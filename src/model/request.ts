// Turns one request file's text into a MaintenanceRequest: YAML with positions, the JSON Schema,
// then its times resolved in its zone. Every problem becomes a located finding; nothing throws.
import { checkSchema } from './schema-check.ts';
import type { Finding, LocatedFinding, MaintenanceRequest, RequestDocument } from './types.ts';
import { parseYaml, type SourcePositions, type YamlSource } from './yaml-source.ts';
import {
  MINUTE,
  fixedOffsetZoneName,
  formatLocal,
  localAt,
  localFromWallClock,
  parseDateTime,
  parseShortDuration,
  resolveLocal,
  wallClockMillis,
  offsetAt,
  type ParsedDateTime,
} from '../schedule/time.ts';
import { firstRuleWall, occurrenceNamed, recurrenceProblem } from '../schedule/recurrence.ts';
import { zoneNameProblem } from './zone-name.ts';
import { offsetProblem, requestDurationProblem } from './date-time-guards.ts';
import { unreachableRule } from './recurrence-reach.ts';
import { textProblems } from './text-checks.ts';
import { quoteValue } from './visible-text.ts';

export interface RequestParse {
  /** Present when the file has no errors that prevent checking it against the policy. */
  request?: MaintenanceRequest;
  id: string;
  /** The file, as given (for messages). */
  path: string;
  findings: LocatedFinding[];
  /** Places a later finding (from the rules) at its field's line and column. */
  locate(finding: Finding): LocatedFinding;
  /** What `locate` knows, as plain data that can cross to another thread. */
  positions: SourcePositions;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The request id: the file name without its extension. */
export function requestIdFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.ya?ml$/i, '');
}

function suggestId(id: string): string {
  return (
    id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'maintenance'
  );
}

/** A request file that could not be read at all (too big, not a file, not UTF-8): one finding. */
export function unreadableRequest(path: string, message: string, line = 1, column = 1): RequestParse {
  const finding: LocatedFinding = { rule: 'schema', severity: 'error', message, line, column };
  return {
    id: requestIdFromPath(path),
    path,
    findings: [finding],
    locate: (f) => ({ ...f, line, column }),
    positions: { text: '' },
  };
}

export function parseRequest(source: YamlSource): RequestParse {
  try {
    return parseRequestText(source);
  } catch (error) {
    // A bug must not hide the other files' findings: it becomes this file's finding.
    const message = error instanceof Error ? error.message : String(error);
    return unreadableRequest(
      source.path,
      `maint could not check this file (${message}); this is a bug in maint: please report it with the file`,
    );
  }
}

function parseRequestText(source: YamlSource): RequestParse {
  const id = requestIdFromPath(source.path);
  const yaml = parseYaml(source);
  const findings: LocatedFinding[] = [...yaml.findings];
  const result = (request?: MaintenanceRequest): RequestParse => ({
    id,
    path: source.path,
    findings,
    locate: yaml.locate,
    positions: yaml.positions,
    ...(request ? { request } : {}),
  });
  if (!ID.test(id)) {
    findings.push({
      rule: 'schema',
      severity: 'error',
      message: `the file name \`${id}\` is the request id and must be kebab-case (lower-case letters, digits, dashes): rename the file to ${suggestId(id)}.yaml`,
      line: 1,
      column: 1,
    });
  }
  if (!yaml.value) return result();
  const schemaFindings = checkSchema('request', yaml.value);
  findings.push(...schemaFindings.map(yaml.locate));
  if (schemaFindings.length > 0) return result();
  findings.push(...textProblems(yaml.value).map(yaml.locate));

  const doc = yaml.value as unknown as RequestDocument;
  const timing = resolveTiming(doc);
  findings.push(...timing.findings.map(yaml.locate));
  if (!timing.resolved || findings.some((f) => f.severity === 'error')) return result();

  // One new object, built at once: the parsed document, filled in key by key, is in V8's slow
  // dictionary mode, and every rule reads these fields for every request.
  const request: MaintenanceRequest = {
    ...doc,
    id,
    file: source.path,
    status: doc.status ?? 'scheduled',
    requester: doc.requester.replace(/^@/, ''),
    ...timing.resolved,
  };

  return result(request);
}

type Timing = Pick<MaintenanceRequest, 'zone' | 'startsAt' | 'endsAt' | 'durationMs' | 'series'>;

const FORMAT_HINT =
  'write a local date-time such as 2027-01-17T02:00 with `timezone`, or one with an offset such as 2027-01-17T02:00+01:00';

function describeOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Resolves `start`, `end`/`duration`, `timezone` and `recurrence` into instants. */
export function resolveTiming(doc: RequestDocument): { resolved?: Timing; findings: Finding[] } {
  const findings: Finding[] = [];
  const problem = (rule: Finding['rule'], field: string, message: string) =>
    findings.push({ rule, severity: 'error', message, path: [field] });

  let zone: string | undefined;
  if (doc.timezone !== undefined) {
    // Any letter case of UTC is UTC: it is written with Z, never as a TZID.
    const name = doc.timezone.toUpperCase() === 'UTC' ? 'UTC' : doc.timezone;
    const issue = zoneNameProblem(name, '`timezone`');
    if (issue)
      findings.push({
        rule: 'timezone',
        severity: issue.severity,
        message: issue.message,
        path: ['timezone'],
      });
    if (issue?.severity !== 'error') zone = name;
  }

  // An offset no clock shows would otherwise become a zone name no library knows.
  let badOffset = false;
  for (const field of ['start', 'end'] as const) {
    const offset = doc[field] === undefined ? undefined : offsetProblem(doc[field]);
    if (offset) problem('timezone', field, `\`${field}\` ${offset}, or drop it and set \`timezone\``);
    badOffset ||= offset !== undefined;
  }
  if (badOffset) return { findings };
  const parsedStart = parseDateTime(doc.start);
  if ('kind' in parsedStart) {
    problem(
      'schema',
      'start',
      parsedStart.kind === 'format'
        ? `\`start\` ${quoteValue(doc.start)} is not a date-time: ${FORMAT_HINT}`
        : `\`start\` ${quoteValue(doc.start)} is not a real date-time: ${parsedStart.detail}`,
    );
    return { findings };
  }
  if (zone === undefined && doc.timezone !== undefined) return { findings };
  if (zone === undefined) {
    if (parsedStart.offsetMinutes === undefined) {
      problem(
        'timezone',
        'start',
        `\`start\` has no offset and the request has no \`timezone\`: add \`timezone:\` with an IANA name (e.g. Europe/Berlin) or write the offset (e.g. ${formatLocal(parsedStart.local)}+01:00)`,
      );
      return { findings };
    }
    zone = parsedStart.offsetMinutes === 0 ? 'UTC' : fixedOffsetZoneName(parsedStart.offsetMinutes);
  }

  const startsAt = instantOf('start', parsedStart, zone, problem);
  if (startsAt === undefined) return { findings };

  let endsAt: number | undefined;
  if (doc.end !== undefined) {
    const parsedEnd = parseDateTime(doc.end);
    if ('kind' in parsedEnd) {
      problem(
        'schema',
        'end',
        parsedEnd.kind === 'format'
          ? `\`end\` ${quoteValue(doc.end)} is not a date-time: ${FORMAT_HINT}`
          : `\`end\` ${quoteValue(doc.end)} is not a real date-time: ${parsedEnd.detail}`,
      );
      return { findings };
    }
    endsAt = instantOf('end', parsedEnd, zone, problem);
    if (endsAt === undefined) return { findings };
    if (endsAt <= startsAt) {
      problem(
        'duration',
        'end',
        `\`end\` ${doc.end} is not after \`start\` ${doc.start}: the work must end after it starts`,
      );
      return { findings };
    }
  } else {
    const duration = parseShortDuration(doc.duration ?? '');
    if (!duration) {
      problem('schema', 'duration', `\`duration\` must be more than zero, such as 90m, 2h or 1h30m`);
      return { findings };
    }
    const tooLong = requestDurationProblem(doc.duration ?? '', duration);
    if (tooLong) {
      problem('duration', 'duration', tooLong);
      return { findings };
    }
    endsAt = startsAt + duration;
  }

  let series: Timing['series'];
  if (doc.recurrence !== undefined) {
    const issue = recurrenceProblem(doc.recurrence);
    if (issue) {
      problem('schema', 'recurrence', `\`recurrence\` ${issue}`);
      return { findings };
    }
    const exdates: string[] = [];
    for (const [index, text] of (doc.exdates ?? []).entries()) {
      const parsed = parseDateTime(text);
      if ('kind' in parsed || parsed.offsetMinutes !== undefined) {
        findings.push({
          rule: 'schema',
          severity: 'error',
          message: `\`exdates[${index}]\` ${quoteValue(text)} must be the local start of an occurrence, without offset, such as 2027-02-07T02:00`,
          path: ['exdates', index],
        });
        continue;
      }
      exdates.push(formatLocal(parsed.local));
    }
    series = { rrule: doc.recurrence.replace(/^RRULE:/i, '').trim(), exdates };
  } else if (doc.exdates !== undefined) {
    problem(
      'schema',
      'exdates',
      '`exdates` removes occurrences of a `recurrence`; this request has none: remove `exdates`',
    );
  }
  if (findings.some((f) => f.severity === 'error')) return { findings };
  const resolved: Timing = {
    zone,
    startsAt,
    endsAt,
    durationMs: endsAt - startsAt,
    ...(series ? { series } : {}),
  };
  if (series) {
    const unreachable = unreachableRule(series.rrule, localAt(startsAt, zone));
    if (unreachable) {
      problem('schema', 'recurrence', `\`recurrence\` ${unreachable}`);
      return { findings };
    }
    const first = firstRuleWall(resolved);
    const startWall = wallClockMillis(localAt(startsAt, zone));
    if (first !== startWall) {
      problem(
        'schema',
        'recurrence',
        first === undefined
          ? `\`recurrence\` ${series.rrule} gives no occurrence from \`start\` on: check COUNT and UNTIL`
          : `\`start\` ${doc.start} is not an occurrence of \`recurrence\` ${series.rrule} (the first is ${formatLocal(localFromWallClock(first))}): make \`start\` the first occurrence`,
      );
      return { findings };
    }
    findings.push(...unmatchedExdates(resolved, doc.exdates ?? []));
    if (findings.some((f) => f.severity === 'error')) return { findings };
  }
  return { resolved, findings };
}

function instantOf(
  field: 'start' | 'end',
  parsed: ParsedDateTime,
  zone: string,
  problem: (rule: Finding['rule'], field: string, message: string) => void,
): number | undefined {
  if (parsed.offsetMinutes !== undefined) {
    const instant = wallClockMillis(parsed.local) - parsed.offsetMinutes * MINUTE;
    const actual = offsetAt(instant, zone);
    if (actual !== parsed.offsetMinutes) {
      problem(
        'timezone',
        field,
        `\`${field}\` says ${describeOffset(parsed.offsetMinutes)} but ${zone} is at ${describeOffset(actual)} then: correct the offset, or drop it and let \`timezone\` decide`,
      );
      return undefined;
    }
    return instant;
  }
  const resolution = resolveLocal(parsed.local, zone);
  if (resolution.kind === 'exact') return resolution.instant;
  const text = formatLocal(parsed.local);
  const [date, clock] = text.split('T');

  if (resolution.kind === 'gap') {
    problem(
      'timezone',
      field,
      `\`${field}\` ${clock} on ${date} does not exist in ${zone}: clocks jump from ${resolution.gapStart} to ${resolution.gapEnd} that night (daylight saving time starts); pick a time outside ${resolution.gapStart}-${resolution.gapEnd}`,
    );
    return undefined;
  }
  const [first, second] = resolution.offsets;
  problem(
    'timezone',
    field,
    `\`${field}\` ${clock} on ${date} happens twice in ${zone} (clocks go back that night): write the offset to say which, ${text}${describeOffset(first)} for the first or ${text}${describeOffset(second)} for the second`,
  );
  return undefined;
}

/** An exdate that removes no occurrence is a mistake (a wrong day or time): each gets an error naming the nearest. */
function unmatchedExdates(request: Timing, exdates: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const [index, text] of exdates.entries()) {
    const match = occurrenceNamed(request, text);
    if (match.matches) continue;
    const nearest = match.nearest.map((o) => formatLocal(localAt(o.start, request.zone)));
    findings.push({
      rule: 'schema',
      severity: 'error',
      message: `\`exdates[${index}]\` ${text} is not an occurrence of \`recurrence\`, so it removes nothing: ${
        nearest.length === 0
          ? 'the series has no occurrence near it'
          : `the nearest ${nearest.length === 1 ? 'is' : 'are'} ${nearest.join(' and ')}`
      }; write the local start of the occurrence to skip`,
      path: ['exdates', index],
    });
  }
  return findings;
}
