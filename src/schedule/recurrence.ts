// Occurrences of a request: one for plain requests, the RRULE's expansion for recurring ones. This
// is the only place occurrences are computed; validation, next-slot, the scheduler, silences, the
// page and the feed all ask here.
// - rrule.js expands the rule on wall-clock time (dates as if UTC, no TZID), so 02:00 stays 02:00
//   across DST and rrule.js's own zone handling, which misreads UNTIL, is never used.
// - Each nominal local start is read with instantOfLocal (RFC 5545: a time in a spring-forward gap
//   moves later by the gap's length, a doubled time is its first reading). The first occurrence is
//   `start` itself, which may name the second reading of a doubled time with its offset.
// - UNTIL is applied here, to instants: `...Z` is an instant, a local date-time is read in the
//   zone, a date alone means "up to and including that local day".
// - An exdate removes the occurrence whose nominal or actual local start it names.
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { RRule, type RRuleInstance } from './rrule.ts';
import {
  DAY,
  MINUTE,
  formatLocal,
  instantOfLocal,
  localAt,
  localFromWallClock,
  offsetAt,
  parseDateTime,
  startOfLocalDay,
  wallClockMillis,
} from './time.ts';

/** Expansion stops here: a daily rule over a year is 365; more means a mistake or an attack. */
export const MAX_OCCURRENCES = 1000;
/** A finite series is followed to its end only this far (COUNT is at most 9999). */
const MAX_FOLLOWED = MAX_OCCURRENCES * 10;

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
const DAY_CODE = /^[+-]?(?:[1-9]|[1-4]\d|5[0-3])?(MO|TU|WE|TH|FR|SA|SU)$/;
const INTEGER_LIST = /^[+-]?\d{1,3}(?:,[+-]?\d{1,3})*$/;
const UNTIL = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

/** The rule's parts, upper-cased, in order; `RRULE:` and blanks dropped. */
function ruleParts(text: string): [string, string][] {
  const body = text.replace(/^RRULE:/i, '').trim();
  return body.split(';').map((part) => {
    const [key = '', value = ''] = part.split('=');
    return [key.toUpperCase(), value.toUpperCase()];
  });
}

/** The UNTIL value as written, if any. */
export function untilText(rrule: string): string | undefined {
  return ruleParts(rrule).find(([key]) => key === 'UNTIL')?.[1];
}

/** The rule without UNTIL, for rrule.js (which misreads UNTIL next to a zone) and for describing it. */
export function ruleWithoutUntil(rrule: string): string {
  return ruleParts(rrule)
    .filter(([key]) => key !== 'UNTIL')
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
}

/** Why an UNTIL value is not a real date or date-time, or undefined. */
function untilProblem(value: string): string | undefined {
  const match = UNTIL.exec(value);
  if (!match)
    return `UNTIL=${value} must be a date such as 20271231, a local date-time such as 20271231T235900, or a UTC one such as 20271231T235900Z`;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const parsed = parseDateTime(`${y}-${mo}-${d}T${h}:${mi}:${s}`);
  if ('kind' in parsed)
    return `UNTIL=${value} is not a real ${match[4] ? 'date-time' : 'date'}: ${parsed.kind === 'impossible' ? parsed.detail : 'check it'}`;
  return undefined;
}

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
  if (until !== undefined) {
    const problem = untilProblem(until);
    if (problem) return problem;
  }
  const byDay = seen.get('BYDAY');
  if (byDay !== undefined && !byDay.split(',').every((d) => DAY_CODE.test(d)))
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
    new RRule({ ...RRule.parseString(ruleWithoutUntil(body)), dtstart: new Date(Date.UTC(2000, 0, 1)) });
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/**
 * The last instant an UNTIL lets a series start at, in a zone: `...Z` as written; a local date-time
 * read in the zone; a date alone: the last moment of that local day.
 */
export function untilInstant(value: string, zone: string): number {
  const match = UNTIL.exec(value);
  if (!match) throw new Error(`UNTIL=${value} was not checked`);
  const [, y, mo, d, h, mi, s, z] = match.map((part) => part ?? '') as string[];
  if (h === '') return startOfLocalDay(Date.UTC(Number(y), Number(mo) - 1, Number(d) + 1), zone) - 1;
  const local = { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s! };
  return z ? wallClockMillis(local) : instantOfLocal(local, zone);
}

type SeriesTiming = Pick<MaintenanceRequest, 'startsAt' | 'endsAt' | 'durationMs' | 'zone' | 'series'>;

/** One occurrence of a series, with the local time the rule names for it. */
export interface SeriesOccurrence extends Interval {
  /** The rule's local start as wall-clock millis (what EXDATE and RECURRENCE-ID name). */
  nominal: number;
  /** The first occurrence (`start`). */
  first: boolean;
  /** Removed by an exdate. */
  excluded: boolean;
}

interface Expansion {
  rule: RRuleInstance;
  /** Wall-clock millis of `start`, the rule's DTSTART. */
  firstWall: number;
  until?: number;
  finite: boolean;
  excluded: Set<string>;
}

const expansions = new WeakMap<object, Expansion>();

function expansionOf(request: SeriesTiming): Expansion {
  let expansion = expansions.get(request);
  if (!expansion) {
    const series = request.series!;
    const firstWall = wallClockMillis(localAt(request.startsAt, request.zone));
    const rule = new RRule({
      ...RRule.parseString(ruleWithoutUntil(series.rrule)),
      dtstart: new Date(firstWall),
    });
    const written = untilText(series.rrule);
    const until = written === undefined ? undefined : untilInstant(written, request.zone);
    expansion = {
      rule,
      firstWall,
      ...(until !== undefined ? { until } : {}),
      finite: until !== undefined || Boolean(rule.options.count),
      excluded: new Set(series.exdates),
    };
    expansions.set(request, expansion);
  }
  return expansion;
}

function occurrenceAt(request: SeriesTiming, expansion: Expansion, wall: number): SeriesOccurrence {
  const first = wall === expansion.firstWall;
  const start = first ? request.startsAt : instantOfLocal(localFromWallClock(wall), request.zone);
  const excluded =
    expansion.excluded.size > 0 &&
    (expansion.excluded.has(formatLocal(localFromWallClock(wall))) ||
      expansion.excluded.has(formatLocal(localAt(start, request.zone))));
  return { start, end: start + request.durationMs, nominal: wall, first, excluded };
}

/** Wall-clock margin around instants: more than any UTC offset, plus the occurrence's length. */
const MARGIN = 2 * DAY;

/**
 * Every occurrence the rule gives with a nominal start in [fromWall, toWall] (excluded ones too, marked),
 * in order, until UNTIL; `visit` returns false to stop.
 */
function eachOccurrence(
  request: SeriesTiming,
  fromWall: number,
  toWall: number,
  visit: (occurrence: SeriesOccurrence, index: number) => boolean,
): void {
  const expansion = expansionOf(request);
  const iterate = (wall: Date, i: number) => {
    const occurrence = occurrenceAt(request, expansion, wall.getTime());
    if (expansion.until !== undefined && occurrence.start > expansion.until) return false;
    return visit(occurrence, i);
  };
  if (fromWall <= expansion.firstWall && toWall === Infinity) expansion.rule.all(iterate);
  else expansion.rule.between(new Date(fromWall), new Date(toWall), true, iterate);
}

/** The series' occurrences that overlap [from, to), without the excluded ones, at most MAX_OCCURRENCES. */
export function seriesOccurrences(request: SeriesTiming, from: number, to: number): SeriesOccurrence[] {
  const out: SeriesOccurrence[] = [];
  eachOccurrence(request, from - request.durationMs - MARGIN, to + MARGIN, (occurrence) => {
    if (!occurrence.excluded && occurrence.end > from && occurrence.start < to) out.push(occurrence);
    return out.length < MAX_OCCURRENCES;
  });
  return out;
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
  return seriesOccurrences(request, from, to).map(({ start, end }) => ({ start, end }));
}

/**
 * Follows a finite series from its start: `visit` sees every occurrence (excluded ones too) and
 * returns false to stop. False when the series is endless or has too many occurrences to follow.
 */
function followFiniteSeries(
  request: SeriesTiming,
  visit: (occurrence: SeriesOccurrence) => boolean,
): boolean {
  const expansion = expansionOf(request);
  if (!expansion.finite) return false;
  let followed = true;
  eachOccurrence(request, expansion.firstWall, Infinity, (occurrence, i) => {
    if (i >= MAX_FOLLOWED) {
      followed = false;
      return false;
    }
    return visit(occurrence);
  });
  return followed;
}

/** The last occurrence of a finite series (not removed by an exdate); undefined for an endless one. */
export function lastOccurrence(request: SeriesTiming): SeriesOccurrence | undefined {
  if (!request.series) return undefined;
  let last: SeriesOccurrence | undefined;
  const followed = followFiniteSeries(request, (occurrence) => {
    if (!occurrence.excluded) last = occurrence;
    return true;
  });
  return followed ? last : undefined;
}

const ends = new WeakMap<object, number>();

/** When the last occurrence ends: Infinity for a series without COUNT or UNTIL. */
export function seriesEnd(request: SeriesTiming): number {
  if (!request.series) return request.endsAt;
  let end = ends.get(request);
  if (end === undefined) {
    const last = lastOccurrence(request);
    end = last ? last.end : expansionOf(request).finite ? request.endsAt : Infinity;
    ends.set(request, end);
  }
  return end;
}

/** Whether every occurrence has ended by `instant` (seriesEnd <= instant) without expanding a series still running. */
export function endedBy(request: SeriesTiming, instant: number): boolean {
  if (!request.series) return request.endsAt <= instant;
  const known = ends.get(request);
  if (known !== undefined) return known <= instant;
  let running = false;
  const followed = followFiniteSeries(request, (occurrence) => {
    // The first occurrence still running answers it.
    running = !occurrence.excluded && occurrence.end > instant;
    return !running;
  });
  return followed && !running;
}

/** The local start of the rule's first occurrence (wall-clock millis), to check that `start` is one. */
export function firstRuleWall(request: SeriesTiming): number | undefined {
  if (!request.series) return undefined;
  const expansion = expansionOf(request);
  const first = expansion.rule.after(new Date(expansion.firstWall - 1), true);
  if (!first) return undefined;
  const occurrence = occurrenceAt(request, expansion, first.getTime());
  return expansion.until !== undefined && occurrence.start > expansion.until ? undefined : first.getTime();
}

/**
 * The occurrence a local start names (by the rule's own local time or the actual one, excluded
 * occurrences included): what an exdate removes and what an occurrence key stands for. When none
 * matches, the nearest occurrences.
 */
export type OccurrenceMatch =
  { matches: true; occurrence: SeriesOccurrence } | { matches: false; nearest: SeriesOccurrence[] };

export function occurrenceNamed(request: SeriesTiming, local: string): OccurrenceMatch {
  const parsed = parseDateTime(local);
  if ('kind' in parsed) return { matches: false, nearest: [] };
  const wall = wallClockMillis(parsed.local);
  const around: SeriesOccurrence[] = [];
  eachOccurrence(request, wall - MARGIN, wall + MARGIN, (occurrence) => {
    around.push(occurrence);
    return true;
  });
  const names = (o: SeriesOccurrence) => [
    formatLocal(localFromWallClock(o.nominal)),
    formatLocal(localAt(o.start, request.zone)),
  ];
  const match = around.find((o) => names(o).includes(formatLocal(parsed.local)));
  if (match) return { matches: true, occurrence: match };
  const expansion = expansionOf(request);
  const nearest: SeriesOccurrence[] = [];
  const before = expansion.rule.before(new Date(wall), false);
  if (before && before.getTime() >= expansion.firstWall)
    nearest.push(occurrenceAt(request, expansion, before.getTime()));
  const after = expansion.rule.after(new Date(wall), false);
  if (after) {
    const next = occurrenceAt(request, expansion, after.getTime());
    if (expansion.until === undefined || next.start <= expansion.until) nearest.push(next);
  }
  return { matches: false, nearest };
}

/**
 * For a series bounded by UNTIL: the rule's last occurrence within it (excluded ones count, as
 * UNTIL bounds the rule before EXDATE removes anything) and the local start of the next one.
 */
export function untilBounds(
  request: SeriesTiming,
): { until: number; last: SeriesOccurrence; nextWall?: number } | undefined {
  if (!request.series) return undefined;
  const expansion = expansionOf(request);
  if (expansion.until === undefined) return undefined;
  let last: SeriesOccurrence | undefined;
  followFiniteSeries(request, (occurrence) => {
    last = occurrence;
    return true;
  });
  if (!last) return undefined;
  const next = expansion.rule.after(new Date(last.nominal), false);
  return { until: expansion.until, last, ...(next ? { nextWall: next.getTime() } : {}) };
}

/** Whether the UTC offset changes between occurrences in the window (a DST change inside the series). */
export function crossesOffsetChange(
  occurrences: readonly Interval[],
  zoneOffset: (instant: number) => number,
): boolean {
  const offsets = new Set(occurrences.map((o) => zoneOffset(o.start)));
  return offsets.size > 1;
}

/** The earliest and latest instants any reader could take a local wall-clock time for, in a zone. */
export function possibleReadings(wall: number, zone: string): [number, number] {
  const offsets = [offsetAt(wall - DAY, zone), offsetAt(wall, zone), offsetAt(wall + DAY, zone)];
  return [wall - Math.max(...offsets) * MINUTE, wall - Math.min(...offsets) * MINUTE];
}
