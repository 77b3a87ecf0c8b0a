// Which TZID an event is written in, and the VTIMEZONE that defines it (from timezones-ical-library,
// current IANA data). UTC and zones without a definition are written in UTC with `Z`.
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { HOUR, MINUTE, localAt, resolveLocal, zoneFor } from '../schedule/time.ts';

let known: Set<string> | undefined;
const blocks = new Map<string, { tzid: string; vtimezone: string } | undefined>();

/** The library's VTIMEZONE for an IANA name and the TZID it defines (aliases resolve to their zone). */
export function vtimezoneFor(name: string): { tzid: string; vtimezone: string } | undefined {
  if (blocks.has(name)) return blocks.get(name);
  known ??= new Set(tzlib_get_timezones() as string[]);
  let found: { tzid: string; vtimezone: string } | undefined;
  // Checked first: the library prints to the console when asked for a name it does not have.
  if (known.has(name)) {
    const block = tzlib_get_ical_block(name);
    if (Array.isArray(block) && block[0] && block[1]?.startsWith('TZID=')) {
      found = { tzid: block[1].slice('TZID='.length), vtimezone: block[0] };
    }
  }
  blocks.set(name, found);
  return found;
}

/** Generator for ical-generator: the VTIMEZONE text of a TZID this module chose. */
export function vtimezoneText(tzid: string): string {
  return vtimezoneFor(tzid)?.vtimezone ?? '';
}

/**
 * The TZID to write a request's times in, or undefined for UTC.
 * - IANA zones: their TZID when the library defines them (UTC itself is written as UTC).
 * - Fixed offsets (`start` written with an offset): UTC, except for a series with a whole-hour
 *   offset, written in the matching `Etc/GMT` zone, so that BYDAY and BYMONTHDAY keep meaning
 *   local days (02:00 at UTC+3 on Sunday is Saturday 23:00 UTC).
 */
export function eventTzid(zoneName: string, recurring: boolean): string | undefined {
  const zone = zoneFor(zoneName);
  if (!zone) return undefined;
  if (zone.isUniversal) {
    const offset = zone.offset(0);
    if (!recurring || offset === 0 || offset % (HOUR / MINUTE) !== 0) return undefined;
    // POSIX sign: Etc/GMT-3 is three hours east of UTC.
    const hours = offset / (HOUR / MINUTE);
    return vtimezoneFor(`Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`)?.tzid;
  }
  const defined = vtimezoneFor(zoneName);
  if (!defined || /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal|Greenwich)$/.test(defined.tzid)) return undefined;
  // The times are converted with the runtime's zone data: it must know the library's name too.
  return zoneFor(defined.tzid) ? defined.tzid : undefined;
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
