// Blackout periods of a policy as concrete spans of time: yearly ranges (which may cross the new
// year), the last N business days of each month, quarter or year, recurrence rules with a length
// (the fourth Thursday of November for five days), dated freezes, and holidays.
// Days are counted in the policy's zone. Each year is computed once and kept.
import type { BlackoutSpec, Interval, NominalDuration, Policy } from '../model/types.ts';
import { recurrenceProblem, ruleWithoutUntil, untilInstant, untilText } from './recurrence.ts';
import { RRule } from './rrule.ts';
import { DAY, addDays, dateIn, formatDate, startOfLocalDay } from './time.ts';

export interface BlackoutPeriod extends Interval {
  name: string;
  reason?: string;
  /** Undefined: every environment. */
  environments?: string[];
  kind: 'yearly' | 'last-business-days' | 'recurring' | 'dated' | 'holiday';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function weekdayOf(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function lastDayOfMonth(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

export class BlackoutCalendar {
  private readonly years = new Map<number, BlackoutPeriod[]>();
  private readonly ranges = new Map<string, BlackoutPeriod[]>();
  private readonly holidayDates: Set<string>;

  constructor(private readonly policy: Policy) {
    this.holidayDates = new Set();
    if (policy.holidays.countAsNonBusiness) {
      for (const holiday of policy.holidays.days) {
        for (let d = holiday.startDate; d < holiday.endDate; d = addDays(d, 1)) this.holidayDates.add(d);
      }
    }
  }

  /** Periods overlapping the interval that apply to an environment. */
  overlapping(interval: Interval, environment: string): BlackoutPeriod[] {
    return this.between(interval.start, interval.end).filter(
      (p) => p.start < interval.end && p.end > interval.start && appliesTo(p, environment),
    );
  }

  /** All periods overlapping [from, to), for every environment, sorted by start. */
  between(from: number, to: number): BlackoutPeriod[] {
    const zone = this.policy.timezone;
    const firstYear = Number(dateIn(from, zone).slice(0, 4)) - 1;
    const lastYear = Number(dateIn(to, zone).slice(0, 4));
    return this.ofYears(firstYear, lastYear).filter((p) => p.start < to && p.end > from);
  }

  /** The periods beginning in a range of years, each once, sorted: computed once per range. */
  private ofYears(firstYear: number, lastYear: number): BlackoutPeriod[] {
    const key = `${firstYear}-${lastYear}`;
    let periods = this.ranges.get(key);
    if (!periods) {
      const all: BlackoutPeriod[] = [];
      for (let year = firstYear; year <= lastYear; year++) all.push(...this.inYear(year));
      periods = [...new Set(all)].sort((a, b) => a.start - b.start);
      this.ranges.set(key, periods);
    }
    return periods;
  }

  /** Periods that begin in a year (a yearly range crossing the new year belongs to its first year). */
  private inYear(year: number): BlackoutPeriod[] {
    let periods = this.years.get(year);
    if (!periods) {
      periods = [...this.policy.blackouts.flatMap((spec) => this.expand(spec, year)), ...this.holidays(year)];
      this.years.set(year, periods);
    }
    return periods;
  }

  private expand(spec: BlackoutSpec, year: number): BlackoutPeriod[] {
    const zone = this.policy.timezone;
    const base = {
      name: spec.name,
      ...(spec.reason !== undefined ? { reason: spec.reason } : {}),
      ...(spec.environments !== undefined ? { environments: spec.environments } : {}),
    };
    const rule = spec.rule;
    switch (rule.kind) {
      case 'yearly': {
        const from = `${year}-${pad(rule.from.month)}-${pad(rule.from.day)}`;
        const crosses = rule.to.month * 100 + rule.to.day < rule.from.month * 100 + rule.from.day;
        const to = `${crosses ? year + 1 : year}-${pad(rule.to.month)}-${pad(rule.to.day)}`;
        // 02-29 in a year without it: the range ends on 03-01's eve, as written dates roll over.
        const start = startOfLocalDay(normaliseDate(from), zone);
        const end = startOfLocalDay(addDays(normaliseDate(to), 1), zone);
        return [{ ...base, kind: 'yearly', start, end }];
      }
      case 'last-business-days': {
        const months =
          rule.of === 'month'
            ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
            : rule.of === 'quarter'
              ? [3, 6, 9, 12]
              : [12];
        return months.flatMap((month) =>
          this.lastBusinessDays(year, month, rule.count).map(([first, last]) => ({
            ...base,
            kind: 'last-business-days' as const,
            start: startOfLocalDay(first, zone),
            end: startOfLocalDay(addDays(last, 1), zone),
          })),
        );
      }
      case 'recurring':
        return recurringIn(rule.rrule, rule.length, year, zone).map((span) => ({
          ...base,
          kind: 'recurring' as const,
          ...span,
        }));
      case 'dated': {
        const startYear = Number(dateIn(rule.start, zone).slice(0, 4));
        return startYear === year ? [{ ...base, kind: 'dated', start: rule.start, end: rule.end }] : [];
      }
    }
  }

  /** The last `count` business days of a month, as runs of consecutive dates [first, last]. */
  private lastBusinessDays(year: number, month: number, count: number): [string, string][] {
    const days: string[] = [];
    for (let date = lastDayOfMonth(year, month); days.length < count; date = addDays(date, -1)) {
      if (this.isBusinessDay(date)) days.unshift(date);
    }
    const runs: [string, string][] = [];
    for (const date of days) {
      const run = runs[runs.length - 1];
      if (run && addDays(run[1], 1) === date) run[1] = date;
      else runs.push([date, date]);
    }
    return runs;
  }

  isBusinessDay(date: string): boolean {
    return this.policy.businessDays.includes(weekdayOf(date) as never) && !this.holidayDates.has(date);
  }

  private holidays(year: number): BlackoutPeriod[] {
    const zone = this.policy.timezone;
    const environments = this.policy.holidays.environments;
    return this.policy.holidays.days
      .filter((h) => Number(h.startDate.slice(0, 4)) === year)
      .map((h) => ({
        name: h.name,
        reason: `Holiday${this.policy.holidays.file ? ` (${this.policy.holidays.file})` : ''}`,
        ...(environments ? { environments } : {}),
        kind: 'holiday' as const,
        start: startOfLocalDay(h.startDate, zone),
        end: startOfLocalDay(h.endDate, zone),
      }));
  }
}

/** Longest blackout a rule may give: a year, so each stays within the years \`between\` looks at. */
const MAX_LENGTH_DAYS = 366;

/** `P5D`, `P1W`, `PT12H`, `P1DT6H`: weeks and days on the local calendar, hours and minutes exact. */
export function parseNominalDuration(text: string): NominalDuration | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0'] = match;
  return { days: Number(weeks) * 7 + Number(days), ms: (Number(hours) * 60 + Number(minutes)) * 60_000 };
}

/** What is wrong with a blackout's `rule` and `duration`, or undefined. */
export function recurringBlackoutProblem(
  rule: string,
  duration: string,
): { field: 'rule' | 'duration'; message: string } | undefined {
  const problem = recurrenceProblem(rule);
  if (problem) return { field: 'rule', message: `\`rule\` ${problem}` };
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((part) => part.toUpperCase().split('=') as [string, string]),
  );
  // A blackout rule has no first date: it gives days, not a numbered series.
  for (const key of ['COUNT', 'INTERVAL', 'BYSETPOS'])
    if (parts.has(key) && !(key === 'INTERVAL' && parts.get(key) === '1'))
      return {
        field: 'rule',
        message: `\`rule\` cannot use ${key}: a blackout rule names days (BYMONTH, BYDAY, BYMONTHDAY), it has no first occurrence to count from`,
      };
  const freq = parts.get('FREQ');
  const names = (keys: string[]) => keys.some((key) => parts.has(key));
  if (freq === 'YEARLY' && !names(['BYMONTH', 'BYYEARDAY', 'BYWEEKNO']))
    return {
      field: 'rule',
      message:
        '`rule` FREQ=YEARLY needs BYMONTH (or BYYEARDAY, BYWEEKNO) to say when in the year, such as FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
    };
  if (freq === 'MONTHLY' && !names(['BYDAY', 'BYMONTHDAY']))
    return {
      field: 'rule',
      message:
        '`rule` FREQ=MONTHLY needs BYDAY or BYMONTHDAY to say which day, such as FREQ=MONTHLY;BYDAY=-1FR',
    };
  if (freq === 'WEEKLY' && !parts.has('BYDAY'))
    return {
      field: 'rule',
      message: '`rule` FREQ=WEEKLY needs BYDAY to say which days, such as FREQ=WEEKLY;BYDAY=FR',
    };
  const length = parseNominalDuration(duration);
  if (!length || (length.days === 0 && length.ms === 0))
    return {
      field: 'duration',
      message: `\`duration\` \`${duration}\` must be a length such as P5D, P1W, PT12H or P1DT6H (weeks, days, hours, minutes)`,
    };
  if (length.days + length.ms / DAY > MAX_LENGTH_DAYS)
    return {
      field: 'duration',
      message: `\`duration\` \`${duration}\` is longer than a year: split the blackout`,
    };
  return undefined;
}

/** The blackouts a rule gives that start in a year: each from local midnight of its day, for its length. */
function recurringIn(rrule: string, length: NominalDuration, year: number, zone: string): Interval[] {
  const rule = new RRule({
    ...RRule.parseString(ruleWithoutUntil(rrule)),
    dtstart: new Date(Date.UTC(year, 0, 1)),
  });
  const written = untilText(rrule);
  const until = written === undefined ? Infinity : untilInstant(written, zone);
  return rule
    .between(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1) - 1), true)
    .map((day) => {
      const start = startOfLocalDay(day.getTime(), zone);
      return { start, end: startOfLocalDay(day.getTime() + length.days * DAY, zone) + length.ms };
    })
    .filter((span) => span.start <= until);
}

export function appliesTo(period: { environments?: string[] }, environment: string): boolean {
  return period.environments === undefined || period.environments.includes(environment);
}

/** Rolls an impossible date such as 2027-02-29 over to the next real day. */
function normaliseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
}

/** The whole-day span of a period in a zone, for display: `20 December 2026 - 5 January 2027`. */
export function describePeriod(period: Interval, zone: string): string {
  const fmt = (ms: number) => formatDate(ms, zone);

  const lastDay = period.end - 1;
  const wholeDays =
    dateIn(period.start, zone) !== dateIn(period.end, zone) || period.end - period.start >= DAY;
  if (!wholeDays) return fmt(period.start);
  const first = fmt(period.start);
  const last = fmt(lastDay);
  return first === last ? first : `${first} - ${last}`;
}
