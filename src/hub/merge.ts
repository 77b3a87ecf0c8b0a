// The organisation's schedule: every member's occurrences in one list, in the published order, each
// UID (with its recurrence id) once, and only what the hub's retention keeps. Plus the SEQUENCE of
// every event, raised when its times or status change (schedule.json does not carry one). Pure.
import type { ScheduleDocument } from '../publish/schedule-json.ts';
import type { RepositoryOccurrence } from './schedule-input.ts';

export interface MemberOccurrences {
  repository: string;
  occurrences: readonly RepositoryOccurrence[];
}

export interface MergedSchedule {
  occurrences: RepositoryOccurrence[];
  /** Per repository, how many of its occurrences the merged schedule holds. */
  counts: Map<string, number>;
  /** Occurrences left out because another repository's already has their UID. */
  collisions: string[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `keepSince`: occurrences that ended before it are history the hub no longer shows. */
export function mergeSchedules(members: readonly MemberOccurrences[], keepSince: number): MergedSchedule {
  const owners = new Map<string, string>();
  const counts = new Map<string, number>();
  const collisions: string[] = [];
  const occurrences: RepositoryOccurrence[] = [];
  for (const member of members) {
    let count = 0;
    for (const occurrence of member.occurrences) {
      if (Date.parse(occurrence.end_utc) < keepSince) continue;
      const key = `${occurrence.uid} ${occurrence.recurrence_id}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== member.repository) {
        collisions.push(`${occurrence.uid} of ${member.repository} is already ${owner}'s: left out`);
        continue;
      }
      if (owner !== undefined) continue;
      owners.set(key, member.repository);
      occurrences.push(occurrence);
      count++;
    }
    counts.set(member.repository, count);
  }
  occurrences.sort((a, b) => byText(a.start_utc, b.start_utc) || byText(a.uid, b.uid));
  return { occurrences, counts, collisions };
}

/** The hub's schedule.json: its own header and freezes (from `base`), the members' occurrences. */
export function hubDocument(
  base: ScheduleDocument,
  occurrences: readonly RepositoryOccurrence[],
): ScheduleDocument {
  // Every occurrence was made with its repository after its id (schedule-input.ts inRepository):
  // no copy of a hundred thousand objects here.
  return { ...base, occurrences: [...occurrences] };
}

/**
 * What an event's SEQUENCE follows: for one-off work its times and status; for a series its status,
 * duration and the local weekdays and times it runs at, so the series' window sliding forward day by
 * day does not count as a change, while moving it to another day or hour does.
 */
export function timingSignature(occurrences: readonly RepositoryOccurrence[]): string {
  const [first] = occurrences;
  if (!first) return '';
  if (first.recurrence_id === null) return `${first.start_utc}/${first.end_utc}/${first.status}`;
  const slots = new Set<string>();
  for (const o of occurrences) {
    const local = o.start_local.slice(0, 19);
    const weekday = new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay();
    slots.add(`${weekday}@${local.slice(11, 16)}`);
  }
  const duration = Date.parse(first.end_utc) - Date.parse(first.start_utc);
  return `${first.status}/${duration}/${[...slots].sort().join(',')}`;
}

/** Groups occurrences by UID, in order of first appearance. */
export function byUid(occurrences: readonly RepositoryOccurrence[]): Map<string, RepositoryOccurrence[]> {
  const groups = new Map<string, RepositoryOccurrence[]>();
  for (const occurrence of occurrences) {
    const group = groups.get(occurrence.uid);
    if (group) group.push(occurrence);
    else groups.set(occurrence.uid, [occurrence]);
  }
  return groups;
}

/** Each UID's SEQUENCE: kept while its signature stays, raised by one when it changes. */
export function nextSequences(
  previous: Readonly<Record<string, [number, string]>>,
  groups: ReadonlyMap<string, readonly RepositoryOccurrence[]>,
): Record<string, [number, string]> {
  const next: Record<string, [number, string]> = {};
  for (const [uid, group] of groups) {
    const signature = timingSignature(group);
    const before = previous[uid];
    next[uid] =
      before === undefined ? [0, signature] : before[1] === signature ? before : [before[0] + 1, signature];
  }
  return next;
}
