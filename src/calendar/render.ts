// Writes feed events as one iCalendar text with ical-generator, steering around its traps (each has
// a test in test/calendar/ical-generator-traps.test.ts):
// - it writes a random UID and the clock's DTSTAMP by default: both are always set here;
// - with a native Date plus a TZID it takes the wall clock from the process's TZ: only Luxon
//   DateTimes are passed, which it converts with the zone named;
// - with a calendar time-zone name it writes DTSTAMP without Z and zone-less times as floating
//   local times: the name stays empty (only the VTIMEZONE generator is set), X-WR-TIMEZONE is
//   added here;
// - it writes the calendar name and description unescaped: they are escaped here;
// - it writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONEs, where RFC 5545 allows
//   no calendar property: they are placed before the first component here, with X-WR-TIMEZONE;
// - it ends the text without the CRLF RFC 5545 puts after every line: added here;
// - it takes a lone recurrence line that is not an RRULE for a rule and prefixes `RRULE:`: RDATE
//   lines are not given to it but added to the event's text here.
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
import { DTSTAMP, type FeedEvent } from './feed-event.ts';
import { plainText, singleLine, uriValue } from './text.ts';
import { vtimezoneText } from './zones.ts';

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
  end: DateTime;
  allDay?: boolean;
  timezone?: string;
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
  const zone = span.tzid ?? 'UTC';
  return {
    start: DateTime.fromMillis(span.start, { zone }),
    end: DateTime.fromMillis(span.end, { zone }),
    ...(span.tzid ? { timezone: span.tzid } : {}),
    ...(span.recurrence?.some((line) => !isRdate(line))
      ? { repeating: span.recurrence.filter((line) => !isRdate(line)).join('\n') }
      : {}),
  };
}

const isRdate = (line: string) => /^RDATE[:;]/.test(line);

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
    const calendar = ical({ prodId: PRODUCT, timezone: { name: '', generator: () => null } });
    addEvent(calendar, event);
    const whole = calendar.toString();
    text = whole.slice(
      whole.indexOf('BEGIN:VEVENT\r\n'),
      whole.lastIndexOf('END:VEVENT') + 'END:VEVENT\r\n'.length,
    );
    const dates = event.span.kind === 'timed' ? (event.span.recurrence ?? []).filter(isRdate) : [];
    if (dates.length > 0)
      text = `${text.slice(0, -'END:VEVENT\r\n'.length)}${foldLines(dates.join('\r\n'))}\r\nEND:VEVENT\r\n`;
    eventTexts.set(event, text);
  }
  return text;
}

/** A VTIMEZONE block as ical-generator places it: line ends normalised, trimmed, folded. */
function zoneText(tzid: string): string {
  let text = zoneTexts.get(tzid);
  if (text === undefined) {
    const generated = vtimezoneText(tzid);
    text = generated
      ? foldLines(`${generated.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n').trim()}\r\n`)
      : '';
    zoneTexts.set(tzid, text);
  }
  return text;
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
  const zones = [...new Set(events.map((e) => (e.span.kind === 'all-day' ? undefined : e.span.tzid)))]
    .filter((tzid): tzid is string => tzid !== undefined)
    .map(zoneText)
    .join('');
  return [head, zones, ...events.map(eventText), 'END:VCALENDAR\r\n'];
}

const STAMP = DateTime.fromMillis(DTSTAMP, { zone: 'UTC' });

function addEvent(calendar: ReturnType<typeof ical>, event: FeedEvent): void {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    stamp: STAMP,
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
