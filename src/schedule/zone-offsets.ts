// Fast UTC offsets for IANA zones. Asking Intl (through luxon) costs ~20 µs a call, and validation
// asks millions of times; offsets only change at a zone's transitions, so each zone-year's
// transitions are found once (probing daily, then bisecting to the minute) and every later
// question is a binary search.
import type { Zone } from 'luxon';

const MINUTE = 60_000;
// Transitions are months apart (a few weeks at the closest, as in Morocco's Ramadan breaks).
const PROBE = 24 * 3_600_000;

interface YearTable {
  /** Instants at which the offset changes, ascending, and the offset from each on. */
  at: number[];
  offset: number[];
  /** Offset at the start of the year. */
  initial: number;
}

export class OffsetTable {
  private readonly years = new Map<number, YearTable>();
  constructor(private readonly zone: Zone) {}

  offset(instant: number): number {
    const year = new Date(instant).getUTCFullYear();
    let table = this.years.get(year);
    if (!table) {
      table = this.build(year);
      this.years.set(year, table);
    }
    // Last transition at or before the instant.
    let low = 0;
    let high = table.at.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (table.at[middle]! <= instant) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found < 0 ? table.initial : table.offset[found]!;
  }

  private build(year: number): YearTable {
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const initial = this.zone.offset(start);
    const at: number[] = [];
    const offset: number[] = [];
    let previous = initial;
    let previousInstant = start;
    for (let probe = start + PROBE; probe <= end; probe += PROBE) {
      const current = this.zone.offset(Math.min(probe, end - 1));
      if (current !== previous) {
        const transition = this.bisect(previousInstant, Math.min(probe, end - 1), previous);
        at.push(transition);
        offset.push(current);
        previous = current;
      }
      previousInstant = probe;
    }
    return { at, offset, initial };
  }

  /** The first minute in (low, high] whose offset differs from `before`. */
  private bisect(low: number, high: number, before: number): number {
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (this.zone.offset(middle) === before) low = middle;
      else high = middle;
    }
    return high;
  }
}
