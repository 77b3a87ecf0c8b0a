// Whether a recurrence rule ever comes round, found with bounded work before anything expands it.
// The expansion library walks period by period until the next occurrence, up to the year 9999: a
// rule whose days never come (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would take it 20 seconds. Also
// refuses the part combinations RFC 5545 forbids, which would otherwise make this search unbounded.
import { RRule } from '../schedule/rrule.ts';
import type { LocalDateTime } from '../schedule/time.ts';

/** A rule must have an occurrence this many years from its start... */
export const REACH_YEARS = 10;
/** ...that is, within this many days of it (daily and weekly rules are searched day by day). */
export const REACH_DAYS = REACH_YEARS * 366;
/** The Gregorian calendar repeats exactly (dates and weekdays) every 400 years. */
const CYCLE_YEARS = 400;
const LAST_YEAR = 9999;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function partsOf(rrule: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of rrule.replace(/^RRULE:/i, '').split(';')) {
    const [key, value] = part.split('=');
    if (key && value !== undefined) parts.set(key.toUpperCase(), value.toUpperCase());
  }
  return parts;
}

/** RFC 5545 section 3.3.10's MUST NOTs that matter here, as a sentence; undefined when none. */
function forbiddenCombination(parts: Map<string, string>): string | undefined {
  const freq = parts.get('FREQ');
  if (parts.has('BYWEEKNO') && freq !== 'YEARLY')
    return `uses BYWEEKNO with FREQ=${freq}; RFC 5545 allows BYWEEKNO only with FREQ=YEARLY`;
  if (parts.has('BYYEARDAY') && freq !== 'YEARLY')
    return `uses BYYEARDAY with FREQ=${freq}; RFC 5545 allows BYYEARDAY only with FREQ=YEARLY`;
  if (parts.has('BYMONTHDAY') && freq === 'WEEKLY')
    return 'uses BYMONTHDAY with FREQ=WEEKLY, which RFC 5545 forbids: use FREQ=MONTHLY';
  const ordinal = (parts.get('BYDAY') ?? '').split(',').some((day) => /\d/.test(day));
  if (ordinal && freq !== 'MONTHLY' && freq !== 'YEARLY')
    return `numbers a day in BYDAY (${parts.get('BYDAY')}) with FREQ=${freq}; RFC 5545 allows that only with MONTHLY or YEARLY`;
  return undefined;
}

/**
 * A sentence (after "`recurrence` ...") when the rule cannot be used because it has no occurrence
 * within REACH_YEARS of `start`, or combines parts RFC 5545 forbids; undefined when it is usable.
 * The rule's syntax is already checked.
 */
export function unreachableRule(rrule: string, start: LocalDateTime): string | undefined {
  const parts = partsOf(rrule);
  const forbidden = forbiddenCombination(parts);
  if (forbidden) return forbidden;
  const freq = parts.get('FREQ');
  const found =
    everyPeriod(parts) ||
    (freq === 'DAILY'
      ? dailyReaches(parts, start)
      : freq === 'WEEKLY'
        ? weeklyReaches(parts, start)
        : cycleReaches(rrule, start));
  return found
    ? undefined
    : `${rrule} produces no occurrence within ${REACH_YEARS} years of its start: check that its days exist (e.g. BYMONTH=2;BYMONTHDAY=30 never comes)`;
}

/**
 * Weekly, monthly and yearly rules that filter by weekday alone (at most the 4th or 4th-last of a
 * month) come round every period: the common case, answered without expanding anything. (A daily
 * rule's interval can step over its weekdays for ever.)
 */
function everyPeriod(parts: Map<string, string>): boolean {
  if (parts.get('FREQ') === 'DAILY') return false;
  if (['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYSETPOS'].some((key) => parts.has(key)))
    return false;
  const days = parts.get('BYDAY')?.split(',') ?? [];
  return days.every((day) => /^[+-]?[1-4]?[A-Z]{2}$/.test(day));
}

/**
 * A daily rule tested day by day (at most REACH_YEARS × 366 tests): with the combinations above
 * refused, only BYMONTH, BYMONTHDAY, a plain BYDAY and BYSETPOS can filter its days.
 */
function dailyReaches(parts: Map<string, string>, start: LocalDateTime): boolean {
  const numbers = (key: string) => parts.get(key)?.split(',').map(Number);
  const months = numbers('BYMONTH');
  const monthDays = numbers('BYMONTHDAY');
  const weekdays = parts.get('BYDAY')?.split(',');
  const setPositions = numbers('BYSETPOS');
  // Each day is a set of one occurrence: only position 1 (or -1) of it exists.
  if (setPositions && !setPositions.includes(1) && !setPositions.includes(-1)) return false;
  const interval = Number(parts.get('INTERVAL') ?? 1);
  for (let k = 0; k <= REACH_DAYS; k += interval) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + k));
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (months && !months.includes(month)) continue;
    if (weekdays && !weekdays.includes(WEEKDAYS[date.getUTCDay()]!)) continue;
    if (monthDays) {
      const length = new Date(Date.UTC(date.getUTCFullYear(), month, 0)).getUTCDate();
      if (!monthDays.includes(day) && !monthDays.includes(day - length - 1)) continue;
    }
    return true;
  }
  return false;
}

/**
 * A weekly rule tested week by week (at most REACH_YEARS × 53 weeks): the week's days that pass
 * BYMONTH and BYDAY (the start's weekday by default), then BYSETPOS over them, in order from WKST.
 */
function weeklyReaches(parts: Map<string, string>, start: LocalDateTime): boolean {
  const months = parts.get('BYMONTH')?.split(',').map(Number);
  const setPositions = parts.get('BYSETPOS')?.split(',').map(Number);
  const startDay = Date.UTC(start.year, start.month - 1, start.day);
  const weekdays = parts.get('BYDAY')?.split(',') ?? [WEEKDAYS[new Date(startDay).getUTCDay()]!];
  const weekStart = WEEKDAYS.indexOf(parts.get('WKST') ?? 'MO');
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const back = (new Date(startDay).getUTCDay() - weekStart + 7) % 7;
  const firstWeek = startDay - back * 86_400_000;
  const lastDay = startDay + REACH_DAYS * 86_400_000;
  for (let week = 0; week * 7 <= REACH_DAYS + 7; week += interval) {
    const days: number[] = [];
    for (let d = 0; d < 7; d++) {
      const day = firstWeek + (week * 7 + d) * 86_400_000;
      const date = new Date(day);
      if (months && !months.includes(date.getUTCMonth() + 1)) continue;
      if (!weekdays.includes(WEEKDAYS[date.getUTCDay()]!)) continue;
      days.push(day);
    }
    const kept = setPositions
      ? setPositions.map((p) => days[p > 0 ? p - 1 : days.length + p]).filter((d) => d !== undefined)
      : days;
    if (kept.some((day) => day >= startDay && day <= lastDay)) return true;
  }
  return false;
}

/**
 * Monthly and yearly rules expanded by the library from a start moved forward by whole 400-year
 * cycles (which changes no date nor weekday) to just over REACH_YEARS before the year 9999, where
 * the library stops: at most 410 years of months or years. COUNT and UNTIL are left out, which
 * can only find more.
 */
function cycleReaches(rrule: string, start: LocalDateTime): boolean {
  const cycles = Math.max(0, Math.floor((LAST_YEAR - REACH_YEARS - start.year) / CYCLE_YEARS));
  const year = start.year + cycles * CYCLE_YEARS;
  const dtstart = new Date(Date.UTC(year, start.month - 1, start.day, start.hour, start.minute));
  const options = RRule.parseString(rrule.replace(/^RRULE:/i, ''));
  delete options.count;
  delete options.until;
  return new RRule({ ...options, dtstart }).after(dtstart, true) !== null;
}
