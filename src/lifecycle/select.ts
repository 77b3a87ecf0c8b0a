// Which occurrences a tick looks at, so that its work does not grow with past maintenance: a plain
// request until 7 days after its end; a recurring request's occurrences from 7 days before their first
// reminder (the look-ahead: each is announced then) until 7 days after their end. Occurrences whose
// state is not settled (an open result issue) are looked at whenever they were, wherever they are.
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { DAY } from '../schedule/time.ts';

/** A recurring occurrence is announced this long before its first reminder. */
export const LOOK_AHEAD_MS = 7 * DAY;
/** An occurrence that ended longer ago than this, and was never seen, is history: nothing is due. */
export const LOOK_BACK_MS = 7 * DAY;

export interface View {
  now: number;
  lookAheadMs: number;
  lookBackMs: number;
}

/** When a recurring occurrence comes into view and is announced: before its first reminder. */
export function announcementMoment(occurrence: Interval, leadMs: number, view: View): number {
  return occurrence.start - leadMs - view.lookAheadMs;
}

/** The occurrences of one request a tick looks at; `leadMs` is its first reminder's lead. */
export function occurrencesInView(request: MaintenanceRequest, leadMs: number, view: View): Interval[] {
  const from = view.now - view.lookBackMs;
  if (!request.series) return request.endsAt > from ? [{ start: request.startsAt, end: request.endsAt }] : [];
  const latestStart = view.now + view.lookAheadMs + leadMs;
  return occurrencesBetween(request, from, latestStart + 1).filter((o) => o.start <= latestStart);
}
