// Writes feed events as one iCalendar text with ical-generator, steering around its traps (each has
// a test in test/calendar/ical-generator-traps.test.ts):
// - it writes a random UID and the clock's DTSTAMP by default: both are always set here;
// - with a native Date plus a TZID it takes the wall clock from the process's TZ: only Luxon
//   DateTimes are passed;
// - with a TZID it converts a Luxon DateTime to that zone by name, which Luxon reads with the
//   runtime's Intl (ICU, possibly releases behind tzdata): times with a TZID are passed as floating
//   DateTimes already in maint's tzdata zone (schedule/tzdata-zone.ts) and the TZID is written here;
// - with a calendar time-zone name it writes DTSTAMP without Z and zone-less times as floating
//   local times: the name stays empty (only the VTIMEZONE generator is set), X-WR-TIMEZONE is
//   added here;
// - it writes the calendar name and description unescaped: they are escaped here;
// - it writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONEs, where RFC 5545 allows
//   no calendar property: they are placed before the first component here, with X-WR-TIMEZONE;
// - it ends the text without the CRLF RFC 5545 puts after every line: added here.
import ical, {
  ICalAlarmType,
  ICalCalendarMethod,
  ICalEventBusyStatus,
  ICalEventStatus,
  ICalEventTransparency,
  escape,
  foldLines,
} from 'ical-generator';
import { DateTime } from 'luxon';
import { zoneFor } from '../schedule/time.ts';
import { DTSTAMP, type FeedEvent } from './feed-event.ts';
import { plainText, singleLine, uriValue } from './text.ts';
import type { OccurrenceException } from './recurrence-lines.ts';
import { luxonZoneOfTzid, vtimezoneFor } from './zones.ts';

export interface CalendarHeader {
  name: string;
  description: string;
  /** IANA zone of the calendar (X-WR-TIMEZONE): where freezes' days are counted. */
  timezone: string;
  /** REFRESH-INTERVAL and X-PUBLISHED-TTL. */
  refreshSeconds: number;
  url?: string;
}

const PRODUCT = { company: 'maint', product: 'maintenance calendar', language: 'EN' };

interface SpanData {
  start: DateTime;
  end?: DateTime;
  allDay?: boolean;
  floating?: boolean;
  repeating?: string;
}

function span(event: FeedEvent): SpanData {
  const { span } = event;
  if (span.kind === 'all-day') {
    // Dates in a fixed zone: for DATE values ical-generator keeps a non-system Luxon zone's date.
    return {
      allDay: true,
      start: DateTime.fromISO(span.startDate, { zone: 'UTC' }),
      end: DateTime.fromISO(span.endDate, { zone: 'UTC' }),
    };
  }
  // Local times in the TZID's zone with tzdata's offsets (a fixed offset of its own, `UTC+0530`,
  // as Luxon names it: `UTC+5:30`), written floating; withTzidWritten adds the TZID.
  const zone = span.tzid === undefined ? 'UTC' : zoneFor(luxonZoneOfTzid(span.tzid));
  if (!zone) throw new Error(`no zone for TZID ${span.tzid}`);
  return {
    start: DateTime.fromMillis(span.start, { zone }),
    // A series' length is its DURATION line (exact), never a DTEND read in local time.
    ...(span.recurrence ? {} : { end: DateTime.fromMillis(span.end, { zone }) }),
    ...(span.tzid ? { floating: true } : {}),
    ...(span.recurrence ? { repeating: span.recurrence.join('\n') } : {}),
  };
}

/** The TZID parameter on the DTSTART and DTEND of an event written floating in its zone. */
function withTzidWritten(text: string, event: FeedEvent): string {
  if (event.span.kind !== 'timed' || event.span.tzid === undefined) return text;
  return text.replace(/\r\n(DTSTART|DTEND):/g, `\r\n$1;TZID=${event.span.tzid}:`);
}

/** A positive number of seconds as an RFC 5545 duration: P1D, PT1H, PT1H30M (at least 1 s). */
export function isoDuration(seconds: number): string {
  let rest = Math.max(1, Math.round(seconds));
  const days = Math.floor(rest / 86_400);
  rest %= 86_400;
  const units: [number, string][] = [
    [Math.floor(rest / 3600), 'H'],
    [Math.floor((rest % 3600) / 60), 'M'],
    [rest % 60, 'S'],
  ];
  const time = units.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`);
  return `P${days > 0 ? `${days}D` : ''}${time.length > 0 ? `T${time.join('')}` : ''}`;
}

/** Calendar properties ical-generator cannot place before the first component: inserted there. */
function withHeaderLines(text: string, lines: string[]): string {
  const at = text.search(/\r\nBEGIN:V(TIMEZONE|EVENT)\r\n|\r\nEND:VCALENDAR$/);
  return `${text.slice(0, at)}\r\n${foldLines(lines.join('\r\n'))}${text.slice(at)}`;
}

// An event appears in several feeds (all, its environment, each service): it is rendered once, as
// the folded VEVENT block ical-generator writes, and that text is reused.
const eventTexts = new WeakMap<FeedEvent, string>();
const zoneTexts = new Map<string, string>();

function eventText(event: FeedEvent): string {
  let text = eventTexts.get(event);
  if (text === undefined) {
    text = withTzidWritten(veventText(event), event);
    if (event.span.kind === 'timed' && event.span.tzid !== undefined) {
      for (const exception of event.span.exceptions ?? [])
        text += exceptionText(event, event.span.tzid, exception);
    }
    eventTexts.set(event, text);
  }
  return text;
}

/** The folded VEVENT block ical-generator writes for one event. */
function veventText(event: FeedEvent): string {
  const calendar = ical({ prodId: PRODUCT, timezone: { name: '', generator: () => null } });
  addEvent(calendar, event);
  const whole = calendar.toString();
  return whole.slice(
    whole.indexOf('BEGIN:VEVENT\r\n'),
    whole.lastIndexOf('END:VEVENT') + 'END:VEVENT\r\n'.length,
  );
}

/**
 * One occurrence of a series written as an exception: the same event with its own UTC start and
 * end, and a RECURRENCE-ID naming the rule's local start in the series' TZID (written here: a start
 * in a DST gap is no time Luxon can hold).
 */
function exceptionText(event: FeedEvent, tzid: string, exception: OccurrenceException): string {
  const single: FeedEvent = { ...event, span: { kind: 'timed', start: exception.start, end: exception.end } };
  const text = veventText(single);
  const at = text.indexOf('\r\nDTSTART');
  return `${text.slice(0, at)}\r\nRECURRENCE-ID;TZID=${tzid}:${exception.recurrenceId}${text.slice(at)}`;
}

/**
 * A VTIMEZONE block as ical-generator places it (line ends normalised, trimmed, folded), true from
 * `from`, the earliest instant the feed writes in the TZID.
 */
function zoneText(tzid: string, from: number): string {
  const key = `${tzid} ${from}`;
  let text = zoneTexts.get(key);
  if (text === undefined) {
    const generated = vtimezoneFor(tzid, from)?.vtimezone;
    text = generated
      ? foldLines(`${generated.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n').trim()}\r\n`)
      : '';
    zoneTexts.set(key, text);
  }
  return text;
}

/** Each TZID the events use, in first use, with the earliest instant written in it. */
function zonesUsed(events: readonly FeedEvent[]): Map<string, number> {
  const earliest = new Map<string, number>();
  for (const { span } of events) {
    if (span.kind !== 'timed' || span.tzid === undefined) continue;
    earliest.set(span.tzid, Math.min(earliest.get(span.tzid) ?? Infinity, span.start));
  }
  return earliest;
}

export function renderCalendar(header: CalendarHeader, events: readonly FeedEvent[]): string {
  return renderCalendarChunks(header, events).join('');
}

/**
 * The same text in pieces (the calendar's lines, its zones, each event, the end), so a feed of a
 * hundred thousand events can be written without first being joined into one string.
 */
export function renderCalendarChunks(header: CalendarHeader, events: readonly FeedEvent[]): string[] {
  const url = uriValue(header.url);
  const description = plainText(header.description).trim();
  const calendar = ical({
    prodId: PRODUCT,
    method: ICalCalendarMethod.PUBLISH,
    name: escape(singleLine(header.name), false),
    ...(description ? { description: escape(description, false) } : {}),
    ...(url ? { url } : {}),
  });
  // The same order ical-generator writes: the calendar's lines, each zone once in first use, the events.
  // The header lines go before the first component, which is where the calendar's own text ends.
  const refresh = isoDuration(header.refreshSeconds);
  const head = withHeaderLines(calendar.toString(), [
    `X-WR-TIMEZONE:${escape(header.timezone, false)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`,
    `X-PUBLISHED-TTL:${refresh}`,
  ]).replace(/END:VCALENDAR$/, '');
  const zones = [...zonesUsed(events)].map(([tzid, from]) => zoneText(tzid, from)).join('');
  return [head, zones, ...events.map(eventText), 'END:VCALENDAR\r\n'];
}

let stamp: DateTime | undefined;
/** Built on first use: luxon's first DateTime reads the system locale, which every start would pay for. */
const fixedStamp = (): DateTime => (stamp ??= DateTime.fromMillis(DTSTAMP, { zone: 'UTC' }));

function addEvent(calendar: ReturnType<typeof ical>, event: FeedEvent): void {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    stamp: fixedStamp(),
    ...span(event),

    summary: event.summary,
    description: event.description,
    categories: event.categories.map((name) => ({ name: singleLine(name) })),
    ...(event.url ? { url: event.url } : {}),
    status: event.status === 'CANCELLED' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(event.transparent
      ? { transparency: ICalEventTransparency.TRANSPARENT, busystatus: ICalEventBusyStatus.FREE }
      : {}),
    ...(event.alarmSeconds !== undefined
      ? { alarms: [{ type: ICalAlarmType.display, trigger: event.alarmSeconds }] }
      : {}),
  });
}
