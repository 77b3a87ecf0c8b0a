// Occurrences of a series that land where the clocks change. In a spring-forward gap the time does
// not exist: RFC 5545 and the schedule move it forward, ical.js and dateutil move it back. In a
// fall-back fold it happens twice: RFC 5545 and the schedule take the first, ical.js the second.
// An RRULE cannot say which, so the description says when the work really starts.
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { formatBoth, localAt, zoneFor } from '../schedule/time.ts';
import { isAmbiguousLocal } from './zones.ts';

type SeriesTiming = Pick<MaintenanceRequest, 'startsAt' | 'endsAt' | 'durationMs' | 'zone' | 'series'>;

/** One line per occurrence in the window that starts at a clock change, for the description. */
export function clockChangeNotes(request: SeriesTiming, window: Interval): string[] {
  const zone = zoneFor(request.zone);
  if (!request.series || !zone || zone.isUniversal) return [];
  const planned = localAt(request.startsAt, request.zone);
  const notes: string[] = [];
  for (const occurrence of occurrencesBetween(request, window.start, window.end)) {
    const local = localAt(occurrence.start, request.zone);
    const moved = local.hour !== planned.hour || local.minute !== planned.minute;
    if (moved || isAmbiguousLocal(occurrence.start, request.zone)) {
      notes.push(
        `Clock change: it starts ${formatBoth(occurrence.start, request.zone)}; calendar apps may show another time.`,
      );
    }
  }
  return notes;
}
