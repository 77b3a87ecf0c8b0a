// Two independent readers of our feeds, giving the same shape: ical.js in-process (zones from the
// file's VTIMEZONEs, series expanded by ical.js) and Debian's python3-icalendar in a child process
// (zones from pytz by TZID, series expanded by dateutil on the system's tz database). Both apply a
// series' exceptions (RECURRENCE-ID) to its occurrences, as calendar apps do.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import ICAL from 'ical.js';
import { FIXTURES } from './fixture-feeds.ts';

export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string | null;
  /** UTC ISO (2027-01-17T02:00:00Z), or yyyy-MM-dd for all-day events. */
  dtstart: string;
  dtend: string | null;
  all_day: boolean;
  tzid: string | null;
  status: string | null;
  sequence: number;
  dtstamp: string;
  rrule: Record<string, string[]> | null;
  exdate: string[];
  categories: string[];
  transp: string | null;
  url: string | null;
  /** TRIGGER of each VALARM, in seconds (negative: before the start). */
  alarms: number[];
  /** Property names of the VEVENT, sorted. */
  properties: string[];
  /** Occurrence starts (UTC ISO) of a series, at most 60; null for a single event. */
  occurrences: string[] | null;
  /** Occurrences of a series as [start, end] (UTC ISO), exceptions applied, at most 500. */
  spans: [string, string][] | null;
  /** How many exceptions (VEVENTs with its UID and a RECURRENCE-ID) the series has. */
  exceptions: number;
}

export interface ParsedFeed {
  calendar: Record<string, string | null>;
  timezones: string[];
  events: ParsedEvent[];
  errors: string[];
}

const MAX_OCCURRENCES = 60;
const MAX_SPANS = 500;

function utcIso(time: ICAL.Time): string {
  if (time.isDate) return time.toString();
  return new Date(time.toUnixTime() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function text(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

function icalJsEvent(vevent: ICAL.Component, exceptions: ICAL.Component[]): ParsedEvent {
  const event = new ICAL.Event(vevent, { exceptions, strictExceptions: true });
  const start = event.startDate;
  const recur = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  let rrule: Record<string, string[]> | null = null;
  if (recur) {
    rrule = { FREQ: [recur.freq] };
    if (recur.interval && recur.interval !== 1) rrule.INTERVAL = [String(recur.interval)];
    if (recur.count) rrule.COUNT = [String(recur.count)];
    if (recur.until) rrule.UNTIL = [utcIso(recur.until)];
    for (const [part, values] of Object.entries(recur.parts as Record<string, (string | number)[]>)) {
      rrule[part] = values.map(String);
    }
  }
  let spans: [string, string][] | null = null;
  if (event.isRecurring()) {
    spans = [];
    const iterator = event.iterator();
    for (let next = iterator.next(); next && spans.length < MAX_SPANS; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      spans.push([utcIso(details.startDate), utcIso(details.endDate)]);
    }
  }
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description ?? null,
    dtstart: utcIso(start),
    dtend: event.endDate ? utcIso(event.endDate) : null,
    all_day: start.isDate,
    tzid: (vevent.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
    status: text(vevent, 'status'),
    sequence: event.sequence,
    dtstamp: utcIso(vevent.getFirstPropertyValue('dtstamp') as ICAL.Time),
    rrule,
    exdate: vevent
      .getAllProperties('exdate')
      .flatMap((property) => property.getValues() as ICAL.Time[])
      .map(utcIso),
    categories: vevent.getAllProperties('categories').flatMap((property) => property.getValues() as string[]),
    transp: text(vevent, 'transp'),
    url: text(vevent, 'url'),
    alarms: vevent
      .getAllSubcomponents('valarm')
      .map((alarm) => (alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()),
    properties: vevent
      .getAllProperties()
      .map((property) => property.name.toUpperCase())
      .sort(),
    occurrences: spans ? spans.slice(0, MAX_OCCURRENCES).map(([begin]) => begin) : null,
    spans,
    exceptions: exceptions.length,
  };
}

/** RFC 5545 3.3.11 TEXT unescaping. */
function unescapeText(raw: string): string {
  return raw.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export function parseWithIcalJs(ics: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const vtimezone of timezones) ICAL.TimezoneService.register(vtimezone);
  const header: Record<string, string | null> = {};
  for (const name of [
    'PRODID',
    'METHOD',
    'NAME',
    'X-WR-CALNAME',
    'X-WR-CALDESC',
    'X-WR-TIMEZONE',
    'REFRESH-INTERVAL',
    'X-PUBLISHED-TTL',
    'URL',
  ]) {
    // ical.js knows neither NAME (RFC 7986) nor X- properties, so it hands back their raw text.
    const raw = text(calendar, name.toLowerCase());
    header[name] = raw === null ? null : unescapeText(raw);
  }
  const vevents = calendar.getAllSubcomponents('vevent');
  const masters = vevents.filter((vevent) => !vevent.hasProperty('recurrence-id'));
  const exceptions = vevents.filter((vevent) => vevent.hasProperty('recurrence-id'));
  return {
    calendar: header,
    timezones: timezones.map((vtimezone) => String(vtimezone.getFirstPropertyValue('tzid'))),
    events: masters.map((vevent) =>
      icalJsEvent(
        vevent,
        exceptions.filter((e) => e.getFirstPropertyValue('uid') === vevent.getFirstPropertyValue('uid')),
      ),
    ),
    errors: [],
  };
}

/**
 * What python3-icalendar 4.0.3 (Debian 12) makes of TEXT we wrote, step by step as its code does it
 * (parser.py: Contentline.parts escape_string/unescape_string, then vText's unescape_char). Two bugs
 * show: text that contains `%2C`, `%3A`, `%3B` or `%5C` comes back decoded (`,` `:` `;` `\`), and a
 * backslash followed by `n` comes back as a line break, because the escapes are replaced one after
 * the other. ical.js reads the same bytes exactly; this lets the two still be compared field by field.
 */
export function asPythonIcalendarReads(original: string): string {
  const written = original.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
  const parts = written
    .replaceAll('\\,', '%2C')
    .replaceAll('\\:', '%3A')
    .replaceAll('\\;', '%3B')
    .replaceAll('\\\\', '%5C')
    .replaceAll('%2C', ',')
    .replaceAll('%3A', ':')
    .replaceAll('%3B', ';')
    .replaceAll('%5C', '\\');
  return parts
    .replaceAll('\\N', '\\n')
    .replaceAll('\\n', '\n')
    .replaceAll('\\,', ',')
    .replaceAll('\\;', ';')
    .replaceAll('\\\\', '\\');
}

/** All feeds through /usr/bin/python3 and test/fixtures/calendar/parse_ics.py, in one process. */
export function parseWithPython(feeds: ReadonlyMap<string, string>): Map<string, ParsedFeed> {
  const result = spawnSync('/usr/bin/python3', [resolve(FIXTURES, 'parse_ics.py')], {
    input: JSON.stringify(Object.fromEntries(feeds)),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`parse_ics.py failed: ${result.stderr || result.error}`);
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, ParsedFeed>));
}
