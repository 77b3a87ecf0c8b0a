// Instants and windows said in every zone a notice speaks: the request's zone first, then UTC, then
// the policy's extra zones. Pure.
import {
  dateIn,
  formatClock,
  formatClockSpan,
  formatDay,
  formatInstant,
  isoUtc,
  zoneFor,
  zoneLabel,
} from '../schedule/time.ts';

/** An instant as templates see it. */
export interface InstantText {
  /** 2027-01-24T03:00:00Z */
  iso: string;
  /** `Sunday 24 January 2027, 04:00 CET (03:00 UTC; Saturday 23 January 2027, 22:00 EST)` */
  text: string;
  /** In the request's zone: `Sunday 24 January 2027, 04:00 CET`. */
  local: string;
  /** In UTC: `Sunday 24 January 2027, 03:00 UTC`. */
  utc: string;
  /** One line per zone, in order, each with its day. */
  zones: string[];
}

/** A span of time as templates see it. */
export interface WindowText {
  start: InstantText;
  end: InstantText;
  /** `Sunday 24 January 2027, 04:00–07:00 CET (03:00–06:00 UTC)` */
  text: string;
  /** One line per zone, each with its day. */
  zones: string[];
}

/** The zones a notice speaks, without repeats or unknown names: the request's, UTC, the extras. */
export function noticeZones(requestZone: string, extraZones: readonly string[]): string[] {
  const zones: string[] = [];
  const isUtc = (zone: string) => zone === 'UTC' || zone === 'Etc/UTC' || zone === 'UTC+00:00';
  for (const zone of [requestZone, 'UTC', ...extraZones]) {
    if (!zoneFor(zone)) continue;
    if (zones.includes(zone) || (isUtc(zone) && zones.some(isUtc))) continue;
    zones.push(zone);
  }
  return zones.length > 0 ? zones : ['UTC'];
}

export function instantText(instant: number, zones: readonly string[]): InstantText {
  const [first, ...others] = zones as [string, ...string[]];
  const firstDate = dateIn(instant, first);
  const short = others.map((zone) =>
    dateIn(instant, zone) === firstDate
      ? `${formatClock(instant, zone)} ${zoneLabel(instant, zone)}`
      : formatInstant(instant, zone),
  );
  const local = formatInstant(instant, first);
  return {
    iso: isoUtc(instant),
    text: short.length > 0 ? `${local} (${short.join('; ')})` : local,
    local,
    utc: formatInstant(instant, 'UTC'),
    zones: zones.map((zone) => formatInstant(instant, zone)),
  };
}

/** `04:00–07:00 CET`, or across days `Sunday 24 January 2027, 23:00 CET – Monday ..., 01:00 CET`. */
function spanIn(start: number, end: number, zone: string, withDay: boolean): string {
  if (dateIn(start, zone) !== dateIn(Math.max(start, end - 1), zone))
    return `${formatInstant(start, zone)} – ${formatInstant(end, zone)}`;
  const clocks = formatClockSpan(start, end, zone, '–');
  return withDay ? `${formatDay(start, zone)}, ${clocks}` : clocks;
}

export function windowText(start: number, end: number, zones: readonly string[]): WindowText {
  const [first, ...others] = zones as [string, ...string[]];
  const firstDate = dateIn(start, first);
  const short = others.map((zone) => spanIn(start, end, zone, dateIn(start, zone) !== firstDate));
  const main = spanIn(start, end, first, true);
  return {
    start: instantText(start, zones),
    end: instantText(end, zones),
    text: short.length > 0 ? `${main} (${short.join('; ')})` : main,
    zones: zones.map((zone) => spanIn(start, end, zone, true)),
  };
}
