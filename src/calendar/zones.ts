// Which TZID an event is written in, and the VTIMEZONE that defines it. The TZID is the zone name
// the request or the policy uses, as written: for a tz database link (Asia/Calcutta, US/Eastern) the
// VTIMEZONE is the zone's it points to (vtimezone.ts, from maint's tzdata tables), published under
// the name used. UTC and its aliases are written in UTC with `Z`; a fixed offset of a series gets an
// Etc/GMT zone, or a VTIMEZONE of its own when it is not whole hours.
import { HOUR, MINUTE, localAt, resolveLocal, zoneFor } from '../schedule/time.ts';
import { zoneRules } from '../schedule/zone-offsets.ts';
import { vtimezoneLines } from './vtimezone.ts';

const blocks = new Map<string, { tzid: string; vtimezone: string } | undefined>();

/** `UTC+0530`: the TZID of a fixed offset that no Etc/GMT zone names. */
const FIXED_TZID = /^UTC([+-])(\d{2})(\d{2})$/;

function fixedOffsetBlock(tzid: string): string | undefined {
  const match = FIXED_TZID.exec(tzid);
  if (!match) return undefined;
  const offset = `${match[1]}${match[2]}${match[3]}`;
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    'BEGIN:STANDARD',
    `TZNAME:${tzid}`,
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'DTSTART:19700101T000000',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n');
}

/** The zone name Luxon knows for a TZID this module chose (`UTC+0530` -> `UTC+5:30`). */
export function luxonZoneOfTzid(tzid: string): string {
  const match = FIXED_TZID.exec(tzid);
  if (!match) return tzid;
  const minutes = Number(match[3]);
  return `UTC${match[1]}${Number(match[2])}${minutes ? `:${match[3]}` : ''}`;
}

/**
 * The VTIMEZONE of a TZID, true from `from` (ms: the earliest instant the feed writes in it; by
 * default 1970) on; a link's is its zone's, under the link's name. Undefined for unknown names.
 */
export function vtimezoneFor(name: string, from = 0): { tzid: string; vtimezone: string } | undefined {
  const key = `${name} ${from}`;
  if (blocks.has(key)) return blocks.get(key);
  let found: { tzid: string; vtimezone: string } | undefined;
  const fixed = fixedOffsetBlock(name);
  const rules = fixed ? undefined : zoneRules(name);
  if (fixed) found = { tzid: name, vtimezone: fixed };
  else if (rules) found = { tzid: name, vtimezone: vtimezoneLines(name, rules, from).join('\r\n') };
  blocks.set(key, found);
  return found;
}

/** Whether a TZID this module chose has a VTIMEZONE. */
function hasVtimezone(name: string): boolean {
  return FIXED_TZID.test(name) || zoneRules(name) !== undefined;
}

/** Generator for ical-generator: the VTIMEZONE text of a TZID this module chose, true from 1970 on. */
export function vtimezoneText(tzid: string): string {
  return vtimezoneFor(tzid)?.vtimezone ?? '';
}

const UNIVERSAL = /^(Etc\/)?(UTC|UCT|GMT|GMT[+-]?0|Zulu|Universal|Greenwich)$/;

/**
 * The TZID to write a request's times in, or undefined for UTC.
 * - Zones of the tz database: their name as written (UTC and its aliases are written as UTC).
 * - Fixed offsets (`start` written with an offset): UTC, except for a series, so that BYDAY and
 *   BYMONTHDAY keep meaning local days (02:00 at UTC+3 on Sunday is Saturday 23:00 UTC): written
 *   in the matching `Etc/GMT` zone, or in a VTIMEZONE of its own (`UTC+0530`) for other offsets.
 */
export function eventTzid(zoneName: string, recurring: boolean): string | undefined {
  const zone = zoneFor(zoneName);
  if (!zone) return undefined;
  if (zone.isUniversal) {
    const offset = zone.offset(0);
    if (!recurring || offset === 0) return undefined;
    if (offset % (HOUR / MINUTE) === 0) {
      // POSIX sign: Etc/GMT-3 is three hours east of UTC.
      const hours = offset / (HOUR / MINUTE);
      const tzid = `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
      return hasVtimezone(tzid) ? tzid : undefined;
    }
    const abs = Math.abs(offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    const tzid = `UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
    return hasVtimezone(tzid) ? tzid : undefined;
  }
  if (UNIVERSAL.test(zoneName)) return undefined;
  return hasVtimezone(zoneName) ? zoneName : undefined;
}

/**
 * Whether the local time of an instant happens twice in a zone (the fold of a fall-back). A TZID
 * date-time there names the first reading (RFC 5545 3.3.5), yet ical.js reads the second: a single
 * event that starts or ends there is written in UTC.
 */
export function isAmbiguousLocal(instant: number, zone: string): boolean {
  if (!zoneFor(zone)) return false;
  return resolveLocal(localAt(instant, zone), zone).kind === 'ambiguous';
}
