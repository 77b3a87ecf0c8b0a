// Fast UTC offsets for IANA zones. Asking Intl costs microseconds a call, and validation asks
// millions of times; offsets only change at a zone's transitions, so each zone-year's transitions
// are found once (probing daily, then bisecting to the minute) and every later question is a binary
// search. Probes read Intl's `longOffset` name (GMT+01:00), five times quicker than luxon's
// reading of every date part.

const MINUTE = 60_000;
// Transitions are months apart (a few weeks at the closest, as in Morocco's Ramadan breaks).
const PROBE = 24 * 3_600_000;
const LONG_OFFSET = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/;

interface YearTable {
  /** The year's first instant and the next year's. */
  start: number;
  end: number;
  /** Instants at which the offset changes, ascending, and the offset from each on. */
  at: number[];
  offset: number[];
  /** Offset at the start of the year. */
  initial: number;
}

export class OffsetTable {
  private readonly years = new Map<number, YearTable>();
  // Questions come in runs about the same year: checking the last table's bounds skips a Date.
  private last: YearTable | undefined;
  private readonly format: Intl.DateTimeFormat;
  constructor(zoneName: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zoneName, timeZoneName: 'longOffset' });
  }

  /** Asks Intl: `GMT`, `GMT+05:30`, or with seconds for old local mean times (`GMT-00:44:30`). */
  private probe(instant: number): number {
    const match = LONG_OFFSET.exec(this.format.format(instant));
    if (!match) return 0;
    const [, sign, hours, minutes, seconds] = match;
    const magnitude = Number(hours) * 60 + Number(minutes) + Number(seconds ?? 0) / 60;
    return sign === '-' ? -magnitude : magnitude;
  }

  offset(instant: number): number {
    let table = this.last;
    if (!table || instant < table.start || instant >= table.end) {
      const year = new Date(instant).getUTCFullYear();
      table = this.years.get(year);
      if (!table) {
        table = this.build(year);
        this.years.set(year, table);
      }
      this.last = table;
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
    const initial = this.probe(start);
    const at: number[] = [];
    const offset: number[] = [];
    let previous = initial;
    let previousInstant = start;
    for (let probe = start + PROBE; probe <= end; probe += PROBE) {
      const current = this.probe(Math.min(probe, end - 1));
      if (current !== previous) {
        const transition = this.bisect(previousInstant, Math.min(probe, end - 1), previous);
        at.push(transition);
        offset.push(current);
        previous = current;
      }
      previousInstant = probe;
    }
    return { start, end, at, offset, initial };
  }

  /** The first minute in (low, high] whose offset differs from `before`. */
  private bisect(low: number, high: number, before: number): number {
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (this.probe(middle) === before) low = middle;
      else high = middle;
    }
    return high;
  }
}
