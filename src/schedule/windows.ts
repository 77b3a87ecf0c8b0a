// Allowed maintenance windows: weekly recurring local-time ranges in a named zone, which may cross
// midnight. Occurrences that touch or overlap are merged, so work may run from one into the next.
import type { Interval, Weekday, WindowSpec } from '../model/types.ts';
import {
  DAY,
  MINUTE,
  formatClock,
  localAt,
  resolveLocal,
  wallClockMillis,
  localFromWallClock,
  offsetAt,
  zoneLabel,
} from './time.ts';

export interface WindowOccurrence extends Interval {
  /** The windows that make up this (possibly merged) occurrence. */
  names: string[];
}

function weekdayOfWallDay(wallDay: number): Weekday {
  return (((new Date(wallDay).getUTCDay() + 6) % 7) + 1) as Weekday;
}

function instantOfWall(wall: number, zone: string, prefer: 'first' | 'last'): number {
  const resolution = resolveLocal(localFromWallClock(wall), zone);
  if (resolution.kind === 'ambiguous') return resolution.instants[prefer === 'first' ? 0 : 1];
  return resolution.instant;
}

/** Occurrences of one window that overlap [from, to). */
function occurrencesOf(window: WindowSpec, from: number, to: number): WindowOccurrence[] {
  const out: WindowOccurrence[] = [];
  const firstDay = localDay(from - DAY, window.zone);
  const lastDay = localDay(to + DAY, window.zone);
  const crossesMidnight = window.endMinute <= window.startMinute;
  for (let day = firstDay; day <= lastDay; day += DAY) {
    if (!window.days.includes(weekdayOfWallDay(day))) continue;
    const start = instantOfWall(day + window.startMinute * MINUTE, window.zone, 'first');
    const endWall = day + (crossesMidnight ? DAY : 0) + window.endMinute * MINUTE;
    const end = instantOfWall(endWall, window.zone, 'last');
    if (end > from && start < to && end > start) out.push({ start, end, names: [window.name] });
  }
  return out;
}

/** The wall-clock midnight (as UTC millis) of the local day an instant falls on. */
function localDay(instant: number, zone: string): number {
  const local = localAt(instant, zone);
  return wallClockMillis({ ...local, hour: 0, minute: 0, second: 0 });
}

/** All windows' occurrences overlapping [from, to), sorted and merged where they touch. */
export function windowOccurrences(
  windows: readonly WindowSpec[],
  from: number,
  to: number,
): WindowOccurrence[] {
  const all = windows.flatMap((w) => occurrencesOf(w, from, to)).sort((a, b) => a.start - b.start);
  const merged: WindowOccurrence[] = [];
  for (const occurrence of all) {
    const last = merged[merged.length - 1];
    if (last && occurrence.start <= last.end) {
      last.end = Math.max(last.end, occurrence.end);
      for (const name of occurrence.names) if (!last.names.includes(name)) last.names.push(name);
    } else {
      merged.push({ ...occurrence, names: [...occurrence.names] });
    }
  }
  return merged;
}

/**
 * Looks up window occurrences around instants, computing each day's neighbourhood once: validation
 * asks about thousands of requests that share a few hundred days.
 */
export class WindowCalendar {
  private readonly cache = new Map<number, WindowOccurrence[]>();
  constructor(private readonly windows: readonly WindowSpec[]) {}

  /** The merged occurrence that wholly contains the interval, if any. */
  containing(interval: Interval): WindowOccurrence | undefined {
    return this.around(interval).find((o) => o.start <= interval.start && o.end >= interval.end);
  }

  /** The merged occurrence the interval starts in, if any. */
  startingIn(interval: Interval): WindowOccurrence | undefined {
    return this.around(interval).find((o) => o.start <= interval.start && o.end > interval.start);
  }

  /** Occurrences overlapping [from, to), for searches over longer spans. */
  between(from: number, to: number): WindowOccurrence[] {
    return windowOccurrences(this.windows, from, to);
  }

  private around(interval: Interval): WindowOccurrence[] {
    if (interval.end - interval.start > DAY)
      return windowOccurrences(this.windows, interval.start - 2 * DAY, interval.end + 2 * DAY);
    const key = Math.floor(interval.start / DAY);
    let found = this.cache.get(key);
    if (!found) {
      // Three days each side covers any window up to 48 h long plus the interval itself.
      found = windowOccurrences(this.windows, key * DAY - 3 * DAY, key * DAY + 4 * DAY);
      this.cache.set(key, found);
    }
    return found;
  }
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `Sunday primary (Sun 02:00-06:00 UTC)`, or without the name: `Sun 02:00-06:00 UTC`. */
export function describeWindow(window: WindowSpec, at: number, withName = true): string {
  const days =
    window.days.length === 7
      ? 'daily'
      : window.days.length === 5 && [1, 2, 3, 4, 5].every((d) => window.days.includes(d as Weekday))
        ? 'Mon-Fri'
        : window.days.map((d) => DAY_NAMES[d]).join(', ');
  const clock = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const when = `${days} ${clock(window.startMinute)}-${clock(window.endMinute)} ${zoneLabel(at, window.zone)}`;
  return withName ? `${window.name} (${when})` : when;
}

/** `02:00-06:00 CET (01:00-05:00 UTC)` for an occurrence; UTC alone when the zone is UTC. */
export function describeOccurrence(occurrence: Interval, zone: string): string {
  const span = (z: string) => `${formatClock(occurrence.start, z)}-${formatClock(occurrence.end, z)}`;
  const label = zoneLabel(occurrence.start, zone);
  const utc = offsetAt(occurrence.start, zone) === 0 && offsetAt(occurrence.end, zone) === 0;
  return utc ? `${span(zone)} ${label}` : `${span(zone)} ${label} (${span('UTC')} UTC)`;
}
