// Occurrences of a series whose local time is not what the rule says, or is said twice, because the
// clocks change that night: the description says when the work really starts. (The feed itself
// writes them as exceptions with UTC times, so calendar apps place them right; this is for people.)
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { seriesOccurrences } from '../schedule/recurrence.ts';
import { formatBoth, formatDay, localFromWallClock, resolveLocal, zoneFor } from '../schedule/time.ts';

type SeriesTiming = Pick<MaintenanceRequest, 'startsAt' | 'endsAt' | 'durationMs' | 'zone' | 'series'>;

function clock(wall: number): string {
  const local = localFromWallClock(wall);
  return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
}

/** One line per occurrence in the window that starts at a clock change, for the description. */
export function clockChangeNotes(request: SeriesTiming, window: Interval): string[] {
  const zone = zoneFor(request.zone);
  if (!request.series || !zone || zone.isUniversal) return [];
  const notes: string[] = [];
  for (const occurrence of seriesOccurrences(request, window.start, window.end)) {
    const nominal = localFromWallClock(occurrence.nominal);
    const reading = resolveLocal(nominal, request.zone);
    const day = formatDay(occurrence.start, request.zone);
    const starts = formatBoth(occurrence.start, request.zone);
    if (reading.kind === 'gap') {
      notes.push(
        `Clock change: ${clock(occurrence.nominal)} does not exist on ${day} (clocks jump from ${reading.gapStart} to ${reading.gapEnd}); it starts ${starts}.`,
      );
    } else if (reading.kind === 'ambiguous') {
      const which = occurrence.start === reading.instants[1] ? 'second' : 'first';
      notes.push(
        `Clock change: ${clock(occurrence.nominal)} happens twice on ${day}; it starts at the ${which}, ${starts}.`,
      );
    }
  }
  return notes;
}
