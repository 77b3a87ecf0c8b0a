// Occurrences of a request: one for plain requests, the RRULE's expansion for recurring ones.
// Expansion runs on wall-clock time (so 02:00 stays 02:00 across DST) and each occurrence is then
// resolved in the request's zone: a time in a DST gap moves forward (RFC 5545), a doubled time
// takes its first reading.
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { RRule, type RRuleInstance } from './rrule.ts';
import { localAt, localFromWallClock, resolveLocal, wallClockMillis, formatLocal } from './time.ts';

/** Expansion stops here: a daily rule over a year is 365; more means a mistake or an attack. */
export const MAX_OCCURRENCES = 1000;

const KEYS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'BYWEEKNO',
  'BYYEARDAY',
  'WKST',
]);
const FREQUENCIES = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY']);
const DAY = /^[+-]?(?:[1-9]|[1-4]\d|5[0-3])?(MO|TU|WE|TH|FR|SA|SU)$/;
const INTEGER_LIST = /^[+-]?\d{1,3}(?:,[+-]?\d{1,3})*$/;

/** A sentence saying what is wrong with an RRULE, or undefined when it is usable. */
export function recurrenceProblem(text: string): string | undefined {
  const body = text.replace(/^RRULE:/i, '').trim();
  if (body === '') return 'is empty: write a rule such as FREQ=WEEKLY;BYDAY=SU';
  const seen = new Map<string, string>();
  for (const part of body.split(';')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || value === '')
      return `part \`${part}\` is not KEY=VALUE; write a rule such as FREQ=MONTHLY;BYDAY=1SU`;
    const upper = key.toUpperCase();
    if (upper === 'DTSTART' || upper === 'TZID')
      return `must not carry ${upper}: the series starts at \`start\` in \`timezone\``;
    if (!KEYS.has(upper)) return `has an unknown part \`${key}\` (known: ${[...KEYS].join(', ')})`;
    if (seen.has(upper)) return `gives ${upper} twice`;
    seen.set(upper, value.toUpperCase());
  }
  const freq = seen.get('FREQ');
  if (!freq) return 'needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)';
  if (!FREQUENCIES.has(freq))
    return `FREQ=${freq} is not allowed: maintenance repeats at most daily (YEARLY, MONTHLY, WEEKLY or DAILY)`;
  for (const key of ['INTERVAL', 'COUNT']) {
    const value = seen.get(key);
    if (value !== undefined && !/^[1-9]\d{0,3}$/.test(value))
      return `${key}=${value} must be a whole number from 1`;
  }
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'gives both COUNT and UNTIL; keep one';
  const until = seen.get('UNTIL');
  if (until !== undefined && !/^\d{8}(T\d{6}Z?)?$/.test(until))
    return `UNTIL=${until} must be a date such as 20271231 or 20271231T235959Z`;
  const byDay = seen.get('BYDAY');
  if (byDay !== undefined && !byDay.split(',').every((d) => DAY.test(d)))
    return `BYDAY=${byDay} must list days such as SU, MO,WE or 1SU (first Sunday) and -1FR (last Friday)`;
  for (const key of ['BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'BYWEEKNO', 'BYYEARDAY']) {
    const value = seen.get(key);
    if (value !== undefined && !INTEGER_LIST.test(value)) return `${key}=${value} must be a list of numbers`;
  }
  const wkst = seen.get('WKST');
  if (wkst !== undefined && !/^(MO|TU|WE|TH|FR|SA|SU)$/.test(wkst))
    return `WKST=${wkst} must be a day such as MO`;
  try {
    // Building the rule checks its values; expanding it here could search to the year 9999.
    new RRule({ ...RRule.parseString(body), dtstart: new Date(Date.UTC(2000, 0, 1)) });
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

type SeriesTiming = Pick<MaintenanceRequest, 'startsAt' | 'endsAt' | 'durationMs' | 'zone' | 'series'>;

const rules = new WeakMap<object, RRuleInstance>();

function ruleOf(request: SeriesTiming): RRuleInstance {
  let rule = rules.get(request);
  if (!rule) {
    const dtstart = new Date(wallClockMillis(localAt(request.startsAt, request.zone)));
    rule = new RRule({ ...RRule.parseString(request.series!.rrule), dtstart });
    rules.set(request, rule);
  }
  return rule;
}

function occurrenceAt(request: SeriesTiming, wall: Date): Interval {
  const resolution = resolveLocal(localFromWallClock(wall.getTime()), request.zone);
  const start = resolution.kind === 'ambiguous' ? resolution.instants[0] : resolution.instant;
  return { start, end: start + request.durationMs };
}

/**
 * The occurrences that overlap [from, to), in order, at most MAX_OCCURRENCES.
 * A plain request has one occurrence.
 */
export function occurrencesBetween(request: SeriesTiming, from: number, to: number): Interval[] {
  if (!request.series) {
    return request.endsAt > from && request.startsAt < to
      ? [{ start: request.startsAt, end: request.endsAt }]
      : [];
  }
  const rule = ruleOf(request);
  const excluded = new Set(request.series.exdates);
  // Search on wall-clock dates with a day of margin for zone offsets, then filter on instants.
  const margin = 2 * 86_400_000;
  const out: Interval[] = [];
  rule.between(new Date(from - request.durationMs - margin), new Date(to + margin), true, (wall) => {
    if (!excluded.has(formatLocal(localFromWallClock(wall.getTime())))) {
      const occurrence = occurrenceAt(request, wall);
      if (occurrence.end > from && occurrence.start < to) out.push(occurrence);
    }
    return out.length < MAX_OCCURRENCES;
  });
  return out;
}

const ends = new WeakMap<object, number>();

/** When the last occurrence ends: Infinity for a series without COUNT or UNTIL. */
export function seriesEnd(request: SeriesTiming): number {
  if (!request.series) return request.endsAt;
  let end = ends.get(request);
  if (end === undefined) ends.set(request, (end = lastOccurrenceEnd(request)));
  return end;
}

/** Whether every occurrence has ended by `instant` (seriesEnd <= instant) without expanding a series still running. */
export function endedBy(request: SeriesTiming, instant: number): boolean {
  if (!request.series) return request.endsAt <= instant;
  const known = ends.get(request);
  if (known !== undefined) return known <= instant;
  const rule = ruleOf(request);
  if (!rule.options.count && !rule.options.until) return false;
  let running = false;
  rule.all((wall, i) => {
    // The first occurrence still running answers it; too many to count counts as endless.
    running = i >= MAX_OCCURRENCES * 10 || occurrenceAt(request, wall).end > instant;
    return !running;
  });
  return !running;
}

function lastOccurrenceEnd(request: SeriesTiming): number {
  const rule = ruleOf(request);
  if (!rule.options.count && !rule.options.until) return Infinity;
  let last: Date | undefined;
  let tooMany = false;
  rule.all((wall, i) => {
    if (i >= MAX_OCCURRENCES * 10) {
      tooMany = true;
      return false;
    }
    last = wall;
    return true;
  });
  if (tooMany) return Infinity;
  return last ? occurrenceAt(request, last).end : request.endsAt;
}

/** The first occurrence the rule generates from `start`, to check that `start` is one. */
export function firstRuleOccurrence(request: SeriesTiming): number | undefined {
  if (!request.series) return request.startsAt;
  const rule = ruleOf(request);
  const first = rule.after(new Date(wallClockMillis(localAt(request.startsAt, request.zone)) - 1), true);
  return first ? occurrenceAt(request, first).start : undefined;
}

/** Whether the UTC offset changes between occurrences in the window (a DST change inside the series). */
export function crossesOffsetChange(
  occurrences: readonly Interval[],
  zoneOffset: (instant: number) => number,
): boolean {
  const offsets = new Set(occurrences.map((o) => zoneOffset(o.start)));
  return offsets.size > 1;
}
