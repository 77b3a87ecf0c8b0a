// Holidays from the ICS file a policy names: each all-day (or timed) event becomes whole local days,
// yearly recurring ones expanded over the years asked for. A file that is not iCalendar, or an event
// that cannot be read, is refused with the line it is on.
import ICAL from 'ical.js';
import type { Holiday } from './types.ts';
import { addDays } from '../schedule/time.ts';
import { unreachableRule } from './recurrence-reach.ts';
import { quoteValue } from './visible-text.ts';

export type HolidayParse = { holidays: Holiday[] } | { error: string };

const MAX_EXPANSION = 500;
const FIX = 'export the holidays from a calendar application as an .ics file';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The 1-based line of the first line of `text` equal to `content`, if any. */
function lineOf(text: string, content: string): number | undefined {
  const index = text.split(/\r?\n/).findIndex((line) => line === content);
  return index < 0 ? undefined : index + 1;
}

export function parseHolidays(text: string, firstYear: number, lastYear: number): HolidayParse {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/).find((line) => line.trim() !== '');
  if (firstLine === undefined) return { error: `is empty, not an iCalendar file: ${FIX}` };
  if (firstLine.trim().toUpperCase() !== 'BEGIN:VCALENDAR') {
    return {
      error: `is not an iCalendar file: it must start with BEGIN:VCALENDAR, but line ${lineOf(body, firstLine) ?? 1} is ${quoteValue(firstLine)}; ${FIX}`,
    };
  }
  let calendar: InstanceType<typeof ICAL.Component>;
  try {
    const parsed = ICAL.parse(body) as unknown[];
    // One component parses to [name, properties, components]; several to a list of those.
    if (Array.isArray(parsed[0])) return { error: `holds ${parsed.length} calendars; keep one VCALENDAR` };
    calendar = new ICAL.Component(parsed as ConstructorParameters<typeof ICAL.Component>[0]);
  } catch (error) {
    const message = messageOf(error);
    const quoted = /"([^"]*)"\s*$/.exec(message)?.[1];
    const line = quoted === undefined ? undefined : lineOf(body, quoted);
    return { error: `is not a valid iCalendar file${line ? ` (line ${line})` : ''}: ${message}; ${FIX}` };
  }
  if (calendar.name !== 'vcalendar')
    return {
      error: `is not an iCalendar file: it holds a ${calendar.name.toUpperCase()}, not a VCALENDAR; ${FIX}`,
    };
  const holidays: Holiday[] = [];
  const events = calendar.getAllSubcomponents('vevent');
  const eventLines = [...body.matchAll(/^BEGIN:VEVENT\s*$/gim)].map(
    (m) => body.slice(0, m.index).split('\n').length,
  );
  for (const [index, component] of events.entries()) {
    try {
      holidays.push(...eventDays(component, firstYear, lastYear));
    } catch (error) {
      const summary = component.getFirstPropertyValue('summary');
      const name = typeof summary === 'string' ? ` ${quoteValue(summary)}` : '';
      const line = eventLines[index];
      return {
        error: `event${name}${line ? ` at line ${line}` : ''} cannot be read: ${messageOf(error)}; check its DTSTART, DTEND, DURATION and RRULE`,
      };
    }
  }
  return { holidays: holidays.sort((a, b) => a.startDate.localeCompare(b.startDate)) };
}

function eventDays(
  component: InstanceType<typeof ICAL.Component>,
  firstYear: number,
  lastYear: number,
): Holiday[] {
  const event = new ICAL.Event(component);
  if (!event.startDate) return [];
  const name = event.summary || 'Holiday';
  const length = event.endDate ? Math.max(1, Math.round(event.duration.toSeconds() / 86_400)) : 1;
  if (!Number.isFinite(length)) throw new Error('its length is not a number of days');
  const days = (start: InstanceType<typeof ICAL.Time>): Holiday => {
    const startDate = start.toString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new Error(`its date ${startDate} is not a date`);
    return { name, startDate, endDate: addDays(startDate, Math.min(length, 366)) };
  };
  if (!event.isRecurring()) return [days(event.startDate)];
  // A rule whose days never come would keep the iterator searching for ever.
  const rule = component.getFirstPropertyValue('rrule');
  const start = event.startDate;
  const unreachable = unreachableRule(String(rule), {
    year: start.year,
    month: start.month,
    day: start.day,
    hour: start.hour,
    minute: start.minute,
    second: 0,
  });
  if (unreachable) throw new Error(`its RRULE ${unreachable}`);
  const out: Holiday[] = [];
  const iterator = event.iterator();
  for (let i = 0, next = iterator.next(); next && i < MAX_EXPANSION; i++, next = iterator.next()) {
    if (next.year > lastYear) break;
    if (next.year >= firstYear) out.push(days(next));
  }
  return out;
}
