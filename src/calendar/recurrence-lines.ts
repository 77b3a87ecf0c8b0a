// The lines that make a VEVENT a series, written so that every reader expands the occurrences
// src/schedule/recurrence.ts computes:
// - RRULE with UNTIL as a UTC date-time (RFC 5545 wants UTC when DTSTART has a TZID): the instant
//   the request's UNTIL names, or, when a reader's way with a clock change could move the last
//   occurrence across it, the latest reading of the last occurrence (the same set of occurrences);
// - EXDATE with the rule's own local starts of the removed occurrences;
// - DURATION in hours, which RFC 5545 makes exact: each occurrence lasts the request's duration
//   even across a clock change, where a local DTEND would be read as another length;
// - the occurrences a reader could place differently (at a clock change), which are written as
//   exceptions with their own UTC start and end (see maintenance-event.ts).
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import {
  occurrenceNamed,
  possibleReadings,
  seriesOccurrences,
  untilBounds,
  type SeriesOccurrence,
} from '../schedule/recurrence.ts';
import {
  localAt,
  localFromWallClock,
  resolveLocal,
  wallClockMillis,
  type LocalDateTime,
} from '../schedule/time.ts';

type Series = Pick<MaintenanceRequest, 'id' | 'zone' | 'series' | 'startsAt' | 'endsAt' | 'durationMs'>;

const PART = /^([A-Z]+)=([A-Z0-9,+-]+)$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** yyyyMMddTHHmmss of a wall-clock time held as UTC millis. */
export function wallStamp(wall: number): string {
  const l = localFromWallClock(wall);
  return `${pad(l.year, 4)}${pad(l.month)}${pad(l.day)}T${pad(l.hour)}${pad(l.minute)}${pad(l.second)}`;
}

/** yyyyMMddTHHmmssZ of an instant. */
export function utcStamp(instant: number): string {
  return `${wallStamp(instant)}Z`;
}

/** The UTC UNTIL to write: the request's own, unless a reader could then keep or drop another occurrence. */
function untilToWrite(request: Series): number {
  const bounds = untilBounds(request);
  if (!bounds) throw new Error(`${request.id}: UNTIL gives no occurrence`);
  const [, latestLast] = possibleReadings(bounds.last.nominal, request.zone);
  const lastReading = Math.max(latestLast, bounds.last.start);
  const earliestNext =
    bounds.nextWall === undefined ? Infinity : possibleReadings(bounds.nextWall, request.zone)[0];
  return lastReading <= bounds.until && bounds.until < earliestNext ? bounds.until : lastReading;
}

/**
 * `RRULE:...` for a series. The rule was checked when the request was read (recurrenceProblem);
 * anything that is not KEY=VALUE of letters, digits and signs is refused here rather than written.
 */
export function rruleLine(request: Series): string {
  const parts = request
    .series!.rrule.replace(/^RRULE:/i, '')
    .trim()
    .toUpperCase()
    .split(';');
  const out: string[] = [];
  for (const part of parts) {
    const match = PART.exec(part);
    if (!match) throw new Error(`${request.id}: recurrence part ${JSON.stringify(part)} cannot be written`);
    const [, key, value] = match as unknown as [string, string, string];
    out.push(key === 'UNTIL' ? `UNTIL=${utcStamp(untilToWrite(request))}` : `${key}=${value}`);
  }
  return `RRULE:${out.join(';')}`;
}

/** `EXDATE...` for the removed occurrences: the rule's local starts in the TZID (or UTC), sorted; undefined for none. */
export function exdateLine(request: Series, tzid: string | undefined): string | undefined {
  const removed = new Map<number, SeriesOccurrence>();
  for (const text of request.series?.exdates ?? []) {
    const match = occurrenceNamed(request, text);
    if (match.matches) removed.set(match.occurrence.nominal, match.occurrence);
  }
  if (removed.size === 0) return undefined;
  const sorted = [...removed.values()].sort((a, b) => a.nominal - b.nominal);
  if (tzid === undefined) return `EXDATE:${sorted.map((o) => utcStamp(o.start)).join(',')}`;
  return `EXDATE;TZID=${tzid}:${sorted.map((o) => wallStamp(o.nominal)).join(',')}`;
}

/** `DURATION:PT2H30M`: hours, never days, so the length is exact (RFC 5545 3.3.6). */
export function durationLine(ms: number): string {
  let seconds = Math.max(1, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds %= 3600;
  const minutes = Math.floor(seconds / 60);
  seconds %= 60;
  const parts = [
    hours > 0 ? `${hours}H` : '',
    minutes > 0 ? `${minutes}M` : '',
    seconds > 0 ? `${seconds}S` : '',
  ];
  return `DURATION:PT${parts.join('')}`;
}

function isExact(local: LocalDateTime, zone: string): boolean {
  return resolveLocal(local, zone).kind === 'exact';
}

/**
 * Whether every reader places an occurrence where the schedule does, from DTSTART's TZID and the
 * duration alone: its local start names one instant (no gap, no fold), it is that instant (not the
 * second reading given by an offset), and no clock change falls inside it (ical.js adds a duration
 * to the local time, and a local end in a fold could be read either way).
 */
function readersAgree(occurrence: SeriesOccurrence, zone: string): boolean {
  const nominal = localFromWallClock(occurrence.nominal);
  if (!isExact(nominal, zone)) return false;
  if (wallClockMillis(localAt(occurrence.start, zone)) !== occurrence.nominal) return false;
  const startLocal = localAt(occurrence.start, zone);
  const endLocal = localAt(occurrence.end, zone);
  const shift = wallClockMillis(endLocal) - wallClockMillis(startLocal);
  return shift === occurrence.end - occurrence.start && isExact(endLocal, zone) && isExact(startLocal, zone);
}

/** An occurrence written as an exception (RECURRENCE-ID): the rule's local start, and when it really is. */
export interface OccurrenceException extends Interval {
  /** yyyyMMddTHHmmss: the rule's local start, in the event's TZID. */
  recurrenceId: string;
}

/** The occurrences in the window that readers could place differently, to write as exceptions. */
export function occurrenceExceptions(
  request: Series,
  window: Interval,
  tzid: string | undefined,
): OccurrenceException[] {
  if (tzid === undefined || !request.series) return [];
  return seriesOccurrences(request, window.start, window.end)
    .filter((occurrence) => !readersAgree(occurrence, request.zone))
    .map((occurrence) => ({
      recurrenceId: wallStamp(occurrence.nominal),
      start: occurrence.start,
      end: occurrence.end,
    }));
}
