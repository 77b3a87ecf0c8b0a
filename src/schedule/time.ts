// Instants, local date-times and durations: parsing what people write, resolving it in a time zone
// (including DST gaps and overlaps), and saying it back in plain language. Pure; never reads the clock.
import { DateTime, Duration, FixedOffsetZone, IANAZone, type Zone } from 'luxon';

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

/** A luxon zone for an IANA name or a fixed offset written as UTC+1 / UTC+05:30. */
export function zoneFor(name: string): Zone | undefined {
  if (zoneCache.has(name)) return zoneCache.get(name);
  let zone: Zone | undefined;
  if (/^UTC[+-]\d/.test(name)) {
    zone = FixedOffsetZone.parseSpecifier(name) ?? undefined;
  } else if (IANAZone.isValidZone(name)) {
    zone = IANAZone.create(name);
  }
  zoneCache.set(name, zone);
  return zone;
}

/** The canonical spelling of an IANA zone (`europe/berlin` -> `Europe/Berlin`), or undefined. */
export function canonicalZoneName(name: string): string | undefined {
  if (!IANAZone.isValidZone(name)) return undefined;
  if (name.toUpperCase() === 'UTC') return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
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
  const zone = zoneFor(zoneName);
  if (!zone) throw new Error(`unknown time zone ${zoneName}`);
  const wall = wallClockMillis(local);
  if (zone.isUniversal) return { kind: 'exact', instant: wall - zone.offset(wall) * MINUTE };
  const candidates = new Set<number>();
  for (const probe of [wall - DAY, wall, wall + DAY]) candidates.add(zone.offset(probe));
  const matches: { instant: number; offset: number }[] = [];
  for (const offset of candidates) {
    const instant = wall - offset * MINUTE;
    if (zone.offset(instant) === offset) matches.push({ instant, offset });
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
  const before = zone.offset(wall - DAY);
  const after = zone.offset(wall + DAY);
  const instant = wall - before * MINUTE;
  const transition = findTransition(zone, wall - DAY - before * MINUTE, wall + DAY - after * MINUTE);
  const clock = (wallMs: number) => DateTime.fromMillis(wallMs, { zone: 'UTC' }).toFormat('HH:mm');
  return {
    kind: 'gap',
    instant,
    gapStart: clock(transition + before * MINUTE),
    gapEnd: clock(transition + after * MINUTE),
  };
}

/** Binary search for the first instant whose offset differs from the offset at `low`. */
function findTransition(zone: Zone, low: number, high: number): number {
  const startOffset = zone.offset(low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (zone.offset(middle) === startOffset) low = middle;
    else high = middle;
  }
  return high;
}

/** The local date-time of an instant in a zone. */
export function localAt(instant: number, zoneName: string): LocalDateTime {
  const zone = zoneFor(zoneName);
  if (!zone) throw new Error(`unknown time zone ${zoneName}`);
  return localFromWallClock(instant + zone.offset(instant) * MINUTE);
}

export function offsetAt(instant: number, zoneName: string): number {
  return zoneFor(zoneName)?.offset(instant) ?? 0;
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

/** A plain-language date and time in a zone: `Sunday 17 January 2027, 02:00 CET`. */
export function formatInstant(instant: number, zoneName: string, withDay = true): string {
  const zone = zoneFor(zoneName) ?? 'UTC';
  const dt = DateTime.fromMillis(instant, { zone }).setLocale('en-GB');
  const name = zoneLabel(instant, zoneName);
  return `${dt.toFormat(withDay ? 'cccc d LLLL yyyy, HH:mm' : 'HH:mm')} ${name}`;
}

export function formatClock(instant: number, zoneName: string): string {
  const zone = zoneFor(zoneName) ?? 'UTC';
  return DateTime.fromMillis(instant, { zone }).toFormat('HH:mm');
}

/** The local calendar date (yyyy-MM-dd) of an instant in a zone. */
export function dateIn(instant: number, zoneName: string): string {
  const zone = zoneFor(zoneName) ?? 'UTC';
  return DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd');
}

/** A short zone label people recognise: CET, EST, UTC, or the offset when there is no abbreviation. */
export function zoneLabel(instant: number, zoneName: string): string {
  if (zoneName === 'UTC' || zoneName === 'Etc/UTC') return 'UTC';
  const zone = zoneFor(zoneName);
  if (!zone) return zoneName;
  const short = zone.offsetName(instant, { format: 'short', locale: 'en-GB' });
  if (short && !/^GMT[+-]/.test(short)) return short;
  const offset = zone.offset(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
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
  const resolution = resolveLocal(localFromWallClock(wall), zoneName);
  return resolution.kind === 'ambiguous' ? resolution.instants[0] : resolution.instant;
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

/** `Friday 22 January 2027`, the local day of an instant. */
export function formatDay(instant: number, zoneName: string): string {
  const zone = zoneFor(zoneName) ?? 'UTC';
  return DateTime.fromMillis(instant, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}
