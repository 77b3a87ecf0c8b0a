// Holidays from the ICS file a policy names: each all-day (or timed) event becomes whole local days,
// yearly recurring ones expanded over the years asked for.
import ICAL from 'ical.js';
import type { Holiday } from './types.ts';
import { addDays } from '../schedule/time.ts';

export type HolidayParse = { holidays: Holiday[] } | { error: string };

const MAX_EXPANSION = 500;

export function parseHolidays(text: string, firstYear: number, lastYear: number): HolidayParse {
  let calendar: InstanceType<typeof ICAL.Component>;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    return { error: `is not an iCalendar file: ${error instanceof Error ? error.message : String(error)}` };
  }
  const holidays: Holiday[] = [];
  for (const component of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (!event.startDate) continue;
    const name = event.summary || 'Holiday';
    const days = (start: InstanceType<typeof ICAL.Time>): Holiday => {
      const startDate = start.toString().slice(0, 10);
      const length = event.endDate ? Math.max(1, Math.round(event.duration.toSeconds() / 86_400)) : 1;
      return { name, startDate, endDate: addDays(startDate, length) };
    };
    if (!event.isRecurring()) {
      holidays.push(days(event.startDate));
      continue;
    }
    const iterator = event.iterator();
    for (let i = 0, next = iterator.next(); next && i < MAX_EXPANSION; i++, next = iterator.next()) {
      if (next.year > lastYear) break;
      if (next.year >= firstYear) holidays.push(days(next));
    }
  }
  return { holidays: holidays.sort((a, b) => a.startDate.localeCompare(b.startDate)) };
}
