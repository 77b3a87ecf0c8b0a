// Occurrence keys: what lifecycle state is stored under. A plain request's key is its id; each
// occurrence of a recurring request is `<id>@<local start yyyy-MM-ddTHH:mm>` in the request's zone
// (`weekly-api-rolling-update@2027-01-10T02:00`). A start moved forward by a DST gap is keyed by the
// time it really starts (02:30 that does not exist becomes 03:30); a doubled time by its first reading
// (the first occurrence by `start`, which may name the second).
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { occurrenceNamed, occurrencesBetween } from '../schedule/recurrence.ts';
import { formatLocal, instantOfLocal, localAt, parseDateTime } from '../schedule/time.ts';

type Keyed = Pick<MaintenanceRequest, 'id' | 'zone' | 'series' | 'startsAt' | 'endsAt' | 'durationMs'>;

const KEY = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:@(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}))?$/;

export function occurrenceKey(request: Keyed, start: number): string {
  return request.series ? `${request.id}@${formatLocal(localAt(start, request.zone))}` : request.id;
}

/** The request id and local start a key names, or undefined when it is not a key. */
export function parseOccurrenceKey(key: string): { id: string; local?: string } | undefined {
  const match = KEY.exec(key);
  if (!match) return undefined;
  return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, local: match[2] };
}

/**
 * The planned interval a key names for its request, whether or not the request still has that
 * occurrence (an exdate may have removed it since). Undefined when the key cannot be one of its keys.
 */
export function keyInterval(request: Keyed, key: string): Interval | undefined {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.id !== request.id) return undefined;
  if (parsed.local === undefined)
    return request.series ? undefined : { start: request.startsAt, end: request.endsAt };
  if (!request.series) return undefined;
  const local = parseDateTime(parsed.local);
  if ('kind' in local) return undefined;
  // The occurrence it names, removed or not; a key the rule no longer gives is read as its local time.
  const named = occurrenceNamed(request, parsed.local);
  const start = named.matches ? named.occurrence.start : instantOfLocal(local.local, request.zone);
  return { start, end: start + request.durationMs };
}

/** The occurrence a key names, if the request has it today. */
export function occurrenceOfKey(request: Keyed, key: string): Interval | undefined {
  const interval = keyInterval(request, key);
  if (!interval || !request.series) return interval;
  return occurrencesBetween(request, interval.start, interval.start + 1).find(
    (o) => o.start === interval.start,
  );
}
