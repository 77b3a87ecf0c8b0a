// One zone's UTC offsets, abbreviations and DST, read from its tzdata table (zone-table.ts): the
// listed transitions since 1970, then the zone's POSIX TZ rule. Validation asks millions of times,
// so a zone answers from the period of its last answer when it can, else by binary search among its
// transitions, or from its rule's table for the year (worked out once per year, no allocation after).
import {
  changesAround,
  parsePosixTz,
  periodAmong,
  utcYear,
  type LocalTimeType,
  type PosixTz,
} from './posix-tz.ts';
import { decodeZoneTable, type ZoneTable } from './zone-table.ts';

const SECOND = 1000;

/** The rule's changes within one UTC year. */
interface YearTable {
  /** The year's first instant and the next year's (ms). */
  start: number;
  end: number;
  /** The type at `start`. */
  initial: LocalTimeType;
  /** Changes within the year (ms), ascending, and the type each starts. */
  at: number[];
  types: LocalTimeType[];
}

/** A transition as a VTIMEZONE or a caller sees it: UTC instant in milliseconds and the type it starts. */
export interface Transition {
  at: number;
  before: LocalTimeType;
  after: LocalTimeType;
}

export class ZoneRules {
  readonly table: ZoneTable;
  /** The rule for every instant from the last listed transition on. */
  readonly rule: PosixTz | undefined;
  /** Milliseconds: where the rule takes over (-Infinity when the zone lists no transition). */
  readonly ruleFrom: number;
  private readonly at: Float64Array;
  private readonly years = new Map<number, YearTable>();
  // The two years asked last: questions alternate between neighbouring years.
  private year: YearTable | undefined;
  private otherYear: YearTable | undefined;
  // The last answer and the span it holds for.
  private from = Infinity;
  private until = -Infinity;
  private current: LocalTimeType;

  constructor(encoded: string) {
    this.table = decodeZoneTable(encoded);
    this.rule = this.table.rule === '' ? undefined : parsePosixTz(this.table.rule);
    this.at = Float64Array.from(this.table.at, (seconds) => seconds * SECOND);
    this.ruleFrom = this.at.length === 0 ? -Infinity : this.at[this.at.length - 1]!;
    this.current = this.table.types[this.table.initial]!;
  }

  /** Offset, abbreviation and DST at an instant (milliseconds since 1970 UTC). */
  typeAt(instant: number): LocalTimeType {
    if (instant < this.from || instant >= this.until) this.find(instant);
    return this.current;
  }

  /** Minutes east of UTC at an instant (fractional only for the local mean times of the early 1970s). */
  offsetMinutes(instant: number): number {
    if (instant < this.from || instant >= this.until) this.find(instant);
    return this.current.offset / 60;
  }

  private find(instant: number): void {
    const { at } = this;
    const { types, type, initial } = this.table;
    if (this.rule && instant >= this.ruleFrom) {
      if (!this.rule.dst) {
        this.set(this.rule.std, this.ruleFrom, Infinity);
        return;
      }
      let year = this.year;
      if (!year || instant < year.start || instant >= year.end) {
        year = this.otherYear;
        if (!year || instant < year.start || instant >= year.end) year = this.yearTable(this.rule, instant);
        this.otherYear = this.year;
        this.year = year;
      }
      let i = 0;
      while (i < year.at.length && year.at[i]! <= instant) i++;
      this.set(
        i === 0 ? year.initial : year.types[i - 1]!,
        Math.max(i === 0 ? year.start : year.at[i - 1]!, this.ruleFrom),
        i < year.at.length ? year.at[i]! : year.end,
      );
      return;
    }
    if (at.length === 0 || instant < at[0]!) {
      this.set(types[initial]!, -Infinity, at.length === 0 ? Infinity : at[0]!);
      return;
    }
    // The last transition at or before the instant.
    let low = 0;
    let high = at.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (at[middle]! <= instant) low = middle;
      else high = middle - 1;
    }
    this.set(types[type[low]!]!, at[low]!, low + 1 < at.length ? at[low + 1]! : Infinity);
  }

  private yearTable(rule: PosixTz, instant: number): YearTable {
    const number = utcYear(Math.floor(instant / SECOND));
    let year = this.years.get(number);
    if (!year) {
      const start = new Date(0).setUTCFullYear(number, 0, 1);
      const end = new Date(0).setUTCFullYear(number + 1, 0, 1);
      const changes = changesAround(rule, number);
      const inYear = changes.filter((c) => c.at * SECOND >= start && c.at * SECOND < end);
      year = {
        start,
        end,
        initial: periodAmong(rule, changes, start / SECOND).type,
        at: inYear.map((c) => c.at * SECOND),
        types: inYear.map((c) => periodAmong(rule, changes, c.at).type),
      };
      this.years.set(number, year);
    }
    return year;
  }

  private set(type: LocalTimeType, from: number, until: number): void {
    this.current = type;
    this.from = from;
    this.until = until;
  }

  /** The listed transitions (not the rule's), oldest first. */
  listedTransitions(): Transition[] {
    const { types, type, initial } = this.table;
    return this.table.at.map((seconds, i) => ({
      at: seconds * SECOND,
      before: types[i === 0 ? initial : type[i - 1]!]!,
      after: types[type[i]!]!,
    }));
  }
}
