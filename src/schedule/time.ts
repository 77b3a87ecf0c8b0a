// Instants, local date-times and durations: parsing what people write, resolving it in a time zone
// (including DST gaps and overlaps), and saying it back in plain language. Pure; never reads the clock.
import { Duration, FixedOffsetZone, type Zone } from 'luxon';
import { TzdataZone } from './tzdata-zone.ts';
import { zoneRules } from './zone-offsets.ts';
import type { ZoneRules } from './zone-rules.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ParsedDateTime {
  local: LocalDateTime;
  /** Minutes east of UTC when the text carried an offset (Z is 0). */
  offsetMinutes?: number;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export type DateTimeProblem = { kind: 'format' } | { kind: 'impossible'; detail: string };

/** Reads `2027-01-17T02:00`, `2027-01-17 02:00:00`, `2027-01-17T02:00+01:00` or `...Z`. */
export function parseDateTime(text: string): ParsedDateTime | DateTimeProblem {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return { kind: 'format' };
  const [, y, mo, d, h, mi, s, offset] = match;
  const local: LocalDateTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  };
  const problem = impossibility(local);
  if (problem) return { kind: 'impossible', detail: problem };
  if (offset === undefined) return { local };
  return { local, offsetMinutes: parseOffset(offset) };
}

function parseOffset(text: string): number {
  if (text === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function impossibility(local: LocalDateTime): string | undefined {
  if (local.month < 1 || local.month > 12) return `there is no month ${local.month}`;
  const days = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate();
  if (local.day < 1 || local.day > days)
    return `${MONTHS[local.month - 1]} ${local.year} has ${days} days, so day ${local.day} does not exist`;
  if (local.hour > 23) return `hour ${local.hour} does not exist (use 00-23)`;
  if (local.minute > 59) return `minute ${local.minute} does not exist`;
  if (local.second > 59) return `second ${local.second} does not exist`;
  return undefined;
}

/** The local date-time as if it were UTC: the arithmetic base for wall-clock times. */
export function wallClockMillis(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

export function localFromWallClock(millis: number): LocalDateTime {
  const d = new Date(millis);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function formatLocal(local: LocalDateTime): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`;
}

const zoneCache = new Map<string, Zone | undefined>();

/**
 * A luxon zone for a tz database name, with tzdata's offsets (tzdata-zone.ts: never the runtime's
 * Intl), or for a fixed offset written as UTC+1 / UTC+05:30.
 */
export function zoneFor(name: string): Zone | undefined {
  if (zoneCache.has(name)) return zoneCache.get(name);
  let zone: Zone | undefined;
  if (/^UTC[+-]\d/.test(name)) {
    zone = FixedOffsetZone.parseSpecifier(name) ?? undefined;
  } else {
    const rules = zoneRules(name);
    if (rules) zone = new TzdataZone(name, rules);
  }
  zoneCache.set(name, zone);
  return zone;
}

const offsetTables = new Map<string, ZoneRules | number>();

/** The zone's UTC offset in minutes at an instant, from tzdata (fast: see zone-rules.ts). */
export function offsetAt(instant: number, zoneName: string): number {
  let table = offsetTables.get(zoneName);
  if (table === undefined) {
    const zone = zoneFor(zoneName);
    if (!zone) throw new Error(`unknown time zone ${zoneName}`);
    table = zone.isUniversal ? zone.offset(0) : zoneRules(zoneName)!;
    offsetTables.set(zoneName, table);
  }
  return typeof table === 'number' ? table : table.offsetMinutes(instant);
}

export function fixedOffsetZoneName(offsetMinutes: number): string {
  return FixedOffsetZone.instance(offsetMinutes).name;
}

export type Resolution =
  | { kind: 'exact'; instant: number }
  /** The local time falls in a spring-forward gap; `instant` is the RFC 5545 reading (shifted forward). */
  | { kind: 'gap'; instant: number; gapStart: string; gapEnd: string }
  /** The local time happens twice (fall back); `instants` are the earlier and the later reading. */
  | { kind: 'ambiguous'; instants: [number, number]; offsets: [number, number] };

/** Finds which instants a local wall-clock time names in a zone. */
export function resolveLocal(local: LocalDateTime, zoneName: string): Resolution {
  const wall = wallClockMillis(local);
  const fixed = offsetTables.get(zoneName);
  if (typeof fixed === 'number') return { kind: 'exact', instant: wall - fixed * MINUTE };
  const offset = (instant: number) => offsetAt(instant, zoneName);
  // Most times are nowhere near a transition: the same offset a day either side means one reading.
  const dayBefore = offset(wall - DAY);
  if (dayBefore === offset(wall + DAY) && offset(wall - dayBefore * MINUTE) === dayBefore)
    return { kind: 'exact', instant: wall - dayBefore * MINUTE };
  const candidates = new Set([dayBefore, offset(wall), offset(wall + DAY)]);
  const matches: { instant: number; offset: number }[] = [];
  for (const candidate of candidates) {
    const instant = wall - candidate * MINUTE;
    if (offset(instant) === candidate) matches.push({ instant, offset: candidate });
  }
  matches.sort((a, b) => a.instant - b.instant);
  if (matches.length === 1) return { kind: 'exact', instant: matches[0]!.instant };
  if (matches.length >= 2) {
    const [first, second] = [matches[0]!, matches[matches.length - 1]!];
    return {
      kind: 'ambiguous',
      instants: [first.instant, second.instant],
      offsets: [first.offset, second.offset],
    };
  }
  // In a gap: read with the offset before the transition, which moves it forward by the gap's length.
  const before = offset(wall - DAY);
  const after = offset(wall + DAY);
  const instant = wall - before * MINUTE;
  const transition = findTransition(offset, wall - DAY - before * MINUTE, wall + DAY - after * MINUTE);
  return {
    kind: 'gap',
    instant,
    gapStart: clockOfWall(transition + before * MINUTE),
    gapEnd: clockOfWall(transition + after * MINUTE),
  };
}

/** Binary search for the first instant whose offset differs from the offset at `low`. */
function findTransition(offset: (instant: number) => number, low: number, high: number): number {
  const startOffset = offset(low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offset(middle) === startOffset) low = middle;
    else high = middle;
  }
  return high;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** HH:mm of a wall-clock time held as UTC millis. */
function clockOfWall(wall: number): string {
  const d = new Date(wall);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/**
 * The one instant a local wall-clock time names in a zone, by RFC 5545 (3.3.5): a time that happens
 * twice (fall back) is its first reading; a time in a spring-forward gap is read with the offset
 * before the gap, which moves it later by the gap's length (02:30 in a 02:00-03:00 gap is 03:30).
 * Every occurrence of a series, an UNTIL, an exdate, an occurrence key and a blackout day is read
 * this way, so validation, next-slot, the scheduler, silences, the page and the feed agree.
 */
export function instantOfLocal(local: LocalDateTime, zoneName: string): number {
  const resolution = resolveLocal(local, zoneName);
  return resolution.kind === 'ambiguous' ? resolution.instants[0] : resolution.instant;
}

/** The local date-time of an instant in a zone. */
export function localAt(instant: number, zoneName: string): LocalDateTime {
  return localFromWallClock(instant + offsetAt(instant, zoneName) * MINUTE);
}

/** Durations as people write them in requests: 90m, 2h, 1h30m, 1d, 45s. */
export function parseShortDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^(\d+[dhms])+$/.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([dhms])/g)) {
    total += Number(amount) * { d: DAY, h: HOUR, m: MINUTE, s: 1000 }[unit as 'd' | 'h' | 'm' | 's'];
  }
  return total;
}

/** ISO 8601 durations as the policy writes them: P14D, PT1H, PT30M. Days count 24 h. */
export function parseIsoDuration(text: string): number | undefined {
  const duration = Duration.fromISO(text);
  if (!duration.isValid) return undefined;
  const ms = duration.as('milliseconds');
  return Number.isFinite(ms) ? ms : undefined;
}

/** 90 min, 2 h, 1 h 30 min, 14 days. */
export function formatDuration(ms: number): string {
  if (ms % DAY === 0 && ms >= DAY) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.round((ms % HOUR) / MINUTE);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `Friday 22 January 2027`, the local day of an instant. */
export function formatDay(instant: number, zoneName: string): string {
  const local = localAt(instant, zoneName);
  const weekday = WEEKDAY_NAMES[new Date(wallClockMillis(local)).getUTCDay()];
  return `${weekday} ${local.day} ${MONTHS[local.month - 1]} ${local.year}`;
}

/** `20 December 2026`, the local date of an instant. */
export function formatDate(instant: number, zoneName: string): string {
  const local = localAt(instant, zoneName);
  return `${local.day} ${MONTHS[local.month - 1]} ${local.year}`;
}

/** `02:00`, the local clock time of an instant. */

export function formatClock(instant: number, zoneName: string): string {
  const local = localAt(instant, zoneName);
  return `${pad2(local.hour)}:${pad2(local.minute)}`;
}

/**
 * `02:00-04:00 CET`, or with a label at each end when the offset changes in between
 * (`02:30 CEST - 02:30 CET`), so that a local time said twice is never read as one.
 */
export function formatClockSpan(start: number, end: number, zoneName: string, dash: string): string {
  const clocks = `${formatClock(start, zoneName)}${dash}${formatClock(end, zoneName)}`;
  if (offsetAt(start, zoneName) === offsetAt(end, zoneName)) return `${clocks} ${zoneLabel(start, zoneName)}`;
  const spaced = dash === '-' ? ' - ' : dash;
  return `${formatClock(start, zoneName)} ${zoneLabel(start, zoneName)}${spaced}${formatClock(end, zoneName)} ${zoneLabel(end, zoneName)}`;
}

/** A plain-language date and time in a zone: `Sunday 17 January 2027, 02:00 CET`. */
export function formatInstant(instant: number, zoneName: string, withDay = true): string {
  const clock = `${formatClock(instant, zoneName)} ${zoneLabel(instant, zoneName)}`;
  return withDay ? `${formatDay(instant, zoneName)}, ${clock}` : clock;
}

/** The local calendar date (yyyy-MM-dd) of an instant in a zone. */
export function dateIn(instant: number, zoneName: string): string {
  const local = localAt(instant, zoneName);
  return `${local.year}-${pad2(local.month)}-${pad2(local.day)}`;
}

/**
 * A short zone label people recognise: tzdata's abbreviation (CET, EST, IST), UTC, or the offset
 * (UTC+04:00) where tzdata's abbreviation is only a number (+04).
 */
export function zoneLabel(instant: number, zoneName: string): string {
  if (zoneName === 'UTC' || zoneName === 'Etc/UTC') return 'UTC';
  const rules = zoneRules(zoneName);
  // A fixed offset of a request names itself: UTC+5:30.
  if (!rules) return zoneFor(zoneName)?.offsetName(instant, { format: 'short' }) ?? zoneName;
  const { abbr, offset } = rules.typeAt(instant);
  if (!/^[+-]/.test(abbr)) return abbr;
  const abs = Math.abs(offset) / 60;
  return `UTC${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(Math.floor(abs % 60))}`;
}

/** The ISO 8601 UTC form used in machine output: 2027-01-17T04:00:00Z. */
export function isoUtc(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads an instant given on the command line (--now, --after): with offset or Z, or a date (UTC). */
export function parseInstant(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const parsed = parseDateTime(text);
  if ('kind' in parsed) return undefined;
  if (parsed.offsetMinutes === undefined) return undefined;
  return wallClockMillis(parsed.local) - parsed.offsetMinutes * MINUTE;
}

/** The instant a local calendar day (yyyy-MM-dd, or a wall-clock day number) begins in a zone. */
export function startOfLocalDay(date: string | number, zoneName: string): number {
  const wall = typeof date === 'number' ? date : Date.parse(`${date}T00:00:00Z`);
  return instantOfLocal(localFromWallClock(wall), zoneName);
}

/** yyyy-MM-dd plus a number of days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** `Sunday 17 January 2027, 02:00 CET (01:00 UTC)`; UTC alone when the zone is UTC. */
export function formatBoth(instant: number, zoneName: string): string {
  const local = formatInstant(instant, zoneName);
  if (offsetAt(instant, zoneName) === 0) return local;
  return `${local} (${formatClock(instant, 'UTC')} UTC)`;
}

/** Rounds an instant up to the next whole minute. */
export function ceilToMinute(instant: number): number {
  return Math.ceil(instant / MINUTE) * MINUTE;
}
