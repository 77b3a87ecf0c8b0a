// The RRULE and EXDATE lines of a recurring request, written so that calendar clients expand the
// same occurrences as src/schedule/recurrence.ts: UNTIL becomes the UTC instant of the wall-clock
// time it names (RFC 5545 wants UTC there when DTSTART has a TZID), EXDATEs the local starts.
import { DateTime } from 'luxon';
import type { MaintenanceRequest } from '../model/types.ts';
import { parseDateTime, resolveLocal, type LocalDateTime } from '../schedule/time.ts';

const PART = /^([A-Z]+)=([A-Z0-9,+-]+)$/;
const UNTIL = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/;

function instantOf(local: LocalDateTime, zone: string): number {
  const resolution = resolveLocal(local, zone);
  return resolution.kind === 'ambiguous' ? resolution.instants[0] : resolution.instant;
}

function utcStamp(instant: number): string {
  return DateTime.fromMillis(instant, { zone: 'UTC' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

/**
 * `RRULE:...` for a series. The rule was checked when the request was read (recurrenceProblem);
 * anything that is not KEY=VALUE of letters, digits and signs is refused here rather than written.
 */
export function rruleLine(request: Pick<MaintenanceRequest, 'id' | 'zone' | 'series'>): string {
  const parts = request.series!.rrule.toUpperCase().split(';');
  const out: string[] = [];
  for (const part of parts) {
    const match = PART.exec(part);
    if (!match) throw new Error(`${request.id}: recurrence part ${JSON.stringify(part)} cannot be written`);
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'UNTIL') {
      const until = UNTIL.exec(value);
      if (!until) throw new Error(`${request.id}: UNTIL=${value} cannot be written`);
      const [y, mo, d, h, mi, s] = until.slice(1).map((n) => Number(n ?? 0));
      // The schedule expands UNTIL as a wall-clock time in the request's zone (inclusive).
      const local = { year: y!, month: mo!, day: d!, hour: h!, minute: mi!, second: s! };
      out.push(`UNTIL=${utcStamp(instantOf(local, request.zone))}`);
    } else {
      out.push(`${key}=${value}`);
    }
  }
  return `RRULE:${out.join(';')}`;
}

/** `EXDATE...` for the removed occurrences, in the event's TZID (or UTC), sorted; undefined for none. */
export function exdateLine(
  request: Pick<MaintenanceRequest, 'zone' | 'series'>,
  tzid: string | undefined,
): string | undefined {
  const instants = new Set<number>();
  for (const text of request.series?.exdates ?? []) {
    const parsed = parseDateTime(text);
    if ('kind' in parsed) continue;
    instants.add(instantOf(parsed.local, request.zone));
  }
  if (instants.size === 0) return undefined;
  const sorted = [...instants].sort((a, b) => a - b);
  if (tzid === undefined) return `EXDATE:${sorted.map(utcStamp).join(',')}`;
  const local = sorted.map((instant) =>
    DateTime.fromMillis(instant, { zone: tzid }).toFormat("yyyyLLdd'T'HHmmss"),
  );
  return `EXDATE;TZID=${tzid}:${local.join(',')}`;
}
