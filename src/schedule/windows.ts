// Allowed maintenance windows: weekly recurring local-time ranges in a named zone, which may cross
// midnight. Occurrences that touch or overlap are merged, so work may run from one into the next.
import type { Interval, Weekday, WindowSpec } from '../model/types.ts';
import {
  DAY,
  MINUTE,
  formatClockSpan,
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

type DayOccurrence = (window: WindowSpec, day: number) => Interval | undefined;

/** The occurrence of a window that opens on a local day (wall-clock midnight), if it opens that day. */
function occurrenceOnDay(window: WindowSpec, day: number): Interval | undefined {
  if (!window.days.includes(weekdayOfWallDay(day))) return undefined;
  const crossesMidnight = window.endMinute <= window.startMinute;
  const start = instantOfWall(day + window.startMinute * MINUTE, window.zone, 'first');
  const end = instantOfWall(
    day + (crossesMidnight ? DAY : 0) + window.endMinute * MINUTE,
    window.zone,
    'last',
  );
  return end > start ? { start, end } : undefined;
}

/** Occurrences of one window that overlap [from, to). */
function occurrencesOf(
  window: WindowSpec,
  from: number,
  to: number,
  onDay: DayOccurrence,
): WindowOccurrence[] {
  const out: WindowOccurrence[] = [];
  const lastDay = localDay(to + DAY, window.zone);
  for (let day = localDay(from - DAY, window.zone); day <= lastDay; day += DAY) {
    const occurrence = onDay(window, day);
    if (occurrence && occurrence.end > from && occurrence.start < to)
      out.push({ start: occurrence.start, end: occurrence.end, names: [window.name] });
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
  onDay: DayOccurrence = occurrenceOnDay,
): WindowOccurrence[] {
  const all = windows.flatMap((w) => occurrencesOf(w, from, to, onDay)).sort((a, b) => a.start - b.start);

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

/** Occurrences are computed and merged a month at a time: validation asks about thousands of nearby days. */
const CHUNK = 32 * DAY;

/** Looks up window occurrences around instants, computing each day and each month once. */
export class WindowCalendar {
  private readonly cache = new Map<number, WindowOccurrence[]>();
  // Each window's occurrence on each local day, computed once: neighbouring queries share days.
  private readonly days = new Map<WindowSpec, Map<number, Interval | undefined>>();
  private readonly onDay: DayOccurrence = (window, day) => {
    let known = this.days.get(window);
    if (!known) this.days.set(window, (known = new Map()));
    if (!known.has(day)) known.set(day, occurrenceOnDay(window, day));
    return known.get(day);
  };

  constructor(private readonly windows: readonly WindowSpec[]) {}

  /** The merged occurrence that wholly contains the interval, if any. */
  containing(interval: Interval): WindowOccurrence | undefined {
    const occurrence = this.lastStartingBy(interval);
    return occurrence && occurrence.end >= interval.end ? occurrence : undefined;
  }

  /** The merged occurrence the interval starts in, if any. */
  startingIn(interval: Interval): WindowOccurrence | undefined {
    const occurrence = this.lastStartingBy(interval);
    return occurrence && occurrence.end > interval.start ? occurrence : undefined;
  }

  /** Occurrences overlapping [from, to), for searches over longer spans. */
  between(from: number, to: number): WindowOccurrence[] {
    return windowOccurrences(this.windows, from, to, this.onDay);
  }

  /**
   * The last merged occurrence to start at or before the interval: merged occurrences do not overlap,
   * so it is the only one that can hold the interval's start.
   */
  private lastStartingBy(interval: Interval): WindowOccurrence | undefined {
    const found =
      interval.end - interval.start > DAY
        ? windowOccurrences(this.windows, interval.start - 2 * DAY, interval.end + 2 * DAY, this.onDay)
        : this.month(interval.start);
    let low = 0;
    let high = found.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (found[middle]!.start <= interval.start) low = middle + 1;
      else high = middle;
    }
    return low > 0 ? found[low - 1] : undefined;
  }

  /** The merged occurrences around the month-sized chunk holding an instant, computed once. */
  private month(instant: number): WindowOccurrence[] {
    const key = Math.floor(instant / CHUNK);
    let found = this.cache.get(key);
    if (!found) {
      // Three days beyond each edge covers any window up to 48 h long plus an interval of a day.
      found = windowOccurrences(this.windows, key * CHUNK - 3 * DAY, (key + 1) * CHUNK + 3 * DAY, this.onDay);
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

/**
 * `02:00-06:00 CET (01:00-05:00 UTC)` for an occurrence; UTC alone when the zone is UTC. Across a
 * clock change each end has its own label (`02:30 CEST - 02:30 CET`), so a repeated local time reads
 * as the two different instants it is.
 */
export function describeOccurrence(occurrence: Interval, zone: string): string {
  const utc = offsetAt(occurrence.start, zone) === 0 && offsetAt(occurrence.end, zone) === 0;
  const local = formatClockSpan(occurrence.start, occurrence.end, zone, '-');
  return utc ? local : `${local} (${formatClockSpan(occurrence.start, occurrence.end, 'UTC', '-')})`;
}
