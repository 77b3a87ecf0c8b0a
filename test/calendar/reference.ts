// The reference for instants (test/fixtures/calendar/reference_occurrences.py): occurrences of
// requests as Python's zoneinfo and dateutil work them out from the request's own fields.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FIXTURES } from './fixture-feeds.ts';

export interface ReferenceRequest {
  id: string;
  /** IANA name, or null for a fixed offset (`zone_offset_minutes`). */
  zone: string | null;
  zone_offset_minutes?: number;
  /** yyyy-MM-ddTHH:mm:ss as written, without offset. */
  start_local: string;
  start_offset_minutes: number | null;
  duration_seconds: number;
  rrule: string | null;
  exdates: string[];
  /** UTC ISO bounds of the occurrences wanted. */
  from: string;
  to: string;
}

/** Occurrences [start, end] (UTC ISO) per request id. */
export function referenceOccurrences(requests: readonly ReferenceRequest[]): Map<string, [string, string][]> {
  const result = spawnSync('/usr/bin/python3', [resolve(FIXTURES, 'reference_occurrences.py')], {
    input: JSON.stringify(requests),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`reference_occurrences.py failed: ${result.stderr || result.error}`);
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, [string, string][]>));
}
