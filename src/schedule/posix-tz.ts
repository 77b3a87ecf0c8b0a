// POSIX TZ strings, as the footer of a TZif file writes them (RFC 8536 3.3): the rule a zone follows
// after its last listed transition, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`. Parses them and says which
// local time type (offset, abbreviation, DST) holds at an instant. Offsets here are seconds east of
// UTC (the string writes them west of UTC: `CET-1` is UTC+1). Pure.

export interface LocalTimeType {
  /** Seconds east of UTC. */
  offset: number;
  /** `CET`, or a numeric one as tzdata writes it: `+0330`, `-03`. */
  abbr: string;
  isDst: boolean;
}

export type PosixDate =
  /** Day `weekday` (0 = Sunday) of week `week` (1-4, 5 = the last) of `month` (1-12). */
  | { form: 'M'; month: number; week: number; weekday: number }
  /** `Jn`: day 1-365 of the year, never counting 29 February (J60 is always 1 March). */
  | { form: 'J'; day: number }
  /** `n`: day 0-365 of the year, counting 29 February. */
  | { form: 'n'; day: number };

export interface PosixRule {
  date: PosixDate;
  /** Local time of the change, in seconds after the date's midnight: -167 h to 167 h (RFC 8536). */
  time: number;
}

export interface PosixTz {
  std: LocalTimeType;
  /** Daylight time and when it starts (in standard time) and ends (in daylight time); none: all year std. */
  dst?: { type: LocalTimeType; start: PosixRule; end: PosixRule };
}

const HOUR = 3600;
const DAY = 86_400;

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new Error(`POSIX TZ string ${JSON.stringify(this.text)}: ${what} at position ${this.at + 1}`);
  }
  done(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? '';
  }
  take(pattern: RegExp): string | undefined {
    const match = pattern.exec(this.text.slice(this.at));
    if (!match || match.index !== 0) return undefined;
    this.at += match[0].length;
    return match[0];
  }

  /** `CET` (three or more letters) or `<+0330>` (quoted: letters, digits, signs). */
  abbr(): string {
    const quoted = this.take(/^<[A-Za-z0-9+-]{3,}>/);
    if (quoted) return quoted.slice(1, -1);
    return this.take(/^[A-Za-z]{3,}/) ?? this.fail('expected a zone abbreviation');
  }

  /** `[+-]h[h...][:mm[:ss]]` in seconds, with the hours at most `maxHours`. */
  hms(maxHours: number, what: string): number {
    const text = this.take(/^[+-]?\d{1,3}(:\d{2}(:\d{2})?)?/) ?? this.fail(`expected ${what}`);
    const sign = text.startsWith('-') ? -1 : 1;
    const [hours, minutes = 0, seconds = 0] = text.replace(/^[+-]/, '').split(':').map(Number) as number[];
    if (hours! > maxHours || minutes > 59 || seconds > 59) this.fail(`${what} ${text} is out of range`);
    return sign * (hours! * HOUR + minutes * 60 + seconds);
  }

  /** `,date[/time]` */
  rule(): PosixRule {
    if (!this.take(/^,/)) this.fail('expected `,` and a transition rule');
    let date: PosixDate;
    const month = this.take(/^M\d{1,2}\.\d\.\d/);
    if (month) {
      const [m, w, d] = month.slice(1).split('.').map(Number) as [number, number, number];
      if (m < 1 || m > 12 || w < 1 || w > 5 || d > 6) this.fail(`rule ${month} is out of range`);
      date = { form: 'M', month: m, week: w, weekday: d };
    } else if (this.take(/^J/)) {
      const day = Number(this.take(/^\d{1,3}/) ?? this.fail('expected a day after J'));
      if (day < 1 || day > 365) this.fail(`J${day} is out of range (J1-J365)`);
      date = { form: 'J', day };
    } else {
      const day = Number(this.take(/^\d{1,3}/) ?? this.fail('expected Mm.w.d, Jn or n'));
      if (day > 365) this.fail(`day ${day} is out of range (0-365)`);
      date = { form: 'n', day };
    }
    const time = this.take(/^\//) ? this.hms(167, 'a transition time') : 2 * HOUR;
    return { date, time };
  }
}

/** Reads a POSIX TZ string as RFC 8536 extends it (hours of a transition time from -167 to 167). */
export function parsePosixTz(text: string): PosixTz {
  const reader = new Reader(text);
  const stdAbbr = reader.abbr();
  // The string counts west of UTC; `0 - x` rather than `-x`, so that UTC is 0 and not -0.
  const std: LocalTimeType = { abbr: stdAbbr, offset: 0 - reader.hms(24, 'an offset'), isDst: false };
  if (reader.done()) return { std };
  const dstAbbr = reader.abbr();
  const offset = reader.done() || reader.peek() === ',' ? std.offset + HOUR : 0 - reader.hms(24, 'an offset');
  // RFC 8536 3.3: a TZ string with daylight time in a TZif footer always has its rules.
  const start = reader.rule();
  const end = reader.rule();
  if (!reader.done()) reader.fail('unexpected text');
  return { std, dst: { type: { abbr: dstAbbr, offset, isDst: true }, start, end } };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days from 1970-01-01 to a date (month 1-12; day 0 is the month's eve). Any year, 0-99 too. */
function epochDay(year: number, month: number, day: number): number {
  return new Date(0).setUTCFullYear(year, month - 1, day) / (DAY * 1000);
}

/** Days from 1970-01-01 to the date a rule names in a year. */
export function ruleDay(date: PosixDate, year: number): number {
  const yearStart = epochDay(year, 1, 1);
  if (date.form === 'J') return yearStart + date.day - 1 + (isLeap(year) && date.day >= 60 ? 1 : 0);
  if (date.form === 'n') return yearStart + date.day;
  const monthStart = epochDay(year, date.month, 1);
  const daysInMonth = epochDay(year, date.month + 1, 1) - monthStart;
  // 1970-01-01 was a Thursday (4).
  const firstWeekday = (((monthStart + 4) % 7) + 7) % 7;
  let day = 1 + ((date.weekday - firstWeekday + 7) % 7) + (date.week - 1) * 7;
  while (day > daysInMonth) day -= 7;
  return monthStart + day - 1;
}

/** A change of a year: its UTC instant (seconds) and whether daylight time begins there. */
export interface PosixTransition {
  at: number;
  toDst: boolean;
}

/** The year's two changes, in the order the rules name them (start, then end). */
export function transitionsOfYear(tz: PosixTz, year: number): PosixTransition[] {
  if (!tz.dst) return [];
  const { type, start, end } = tz.dst;
  return [
    { at: ruleDay(start.date, year) * DAY + start.time - tz.std.offset, toDst: true },
    { at: ruleDay(end.date, year) * DAY + end.time - type.offset, toDst: false },
  ];
}

/** The changes of the years before, of and after `year`, in time order (ties: the later year's last). */
export function changesAround(tz: PosixTz, year: number): PosixTransition[] {
  // Array sort is stable: equal instants keep the order of the years and of the rules.
  return [year - 1, year, year + 1].flatMap((y) => transitionsOfYear(tz, y)).sort((a, b) => a.at - b.at);
}

/** The local time type in force at an instant and the span it holds for, from changes around it. */
export interface PosixPeriod {
  type: LocalTimeType;
  /** Seconds since 1970 UTC: the period holds from `from` (inclusive) to `until` (exclusive). */
  from: number;
  until: number;
}

export function periodAmong(tz: PosixTz, changes: readonly PosixTransition[], instant: number): PosixPeriod {
  if (!tz.dst) return { type: tz.std, from: -Infinity, until: Infinity };
  let latest: PosixTransition | undefined;
  let next: PosixTransition | undefined;
  for (const change of changes) {
    if (change.at <= instant) latest = change;
    else {
      next = change;
      break;
    }
  }
  // Before the first change listed, the time is what the first change ends.
  const toDst = latest ? latest.toDst : !next!.toDst;
  return {
    type: toDst ? tz.dst.type : tz.std,
    from: latest?.at ?? -Infinity,
    until: next?.at ?? Infinity,
  };
}

/**
 * The UTC year of an instant in seconds since 1970, by arithmetic (H. Hinnant's days-to-civil):
 * several times quicker than a Date, and asked on every lookup that leaves a year.
 */
export function utcYear(instant: number): number {
  const days = Math.floor(instant / DAY) + 719_468; // days since 0000-03-01
  const era = Math.floor(days / 146_097);
  const dayOfEra = days - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  // Years run from March here: January and February belong to the next calendar year.
  return yearOfEra + era * 400 + (dayOfYear >= 306 ? 1 : 0);
}

/**
 * The local time type at an instant (seconds since 1970 UTC). The changes of the year before and
 * after count too, so a rule whose change crosses New Year (`J365/25`) is still read right.
 */
export function posixTypeAt(tz: PosixTz, instant: number): LocalTimeType {
  return periodAmong(tz, changesAround(tz, utcYear(instant)), instant).type;
}
