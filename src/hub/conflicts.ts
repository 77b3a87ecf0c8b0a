// Conflicts between repositories, among the work still to come in a hub's schedule: two requests of
// different repositories overlapping in one environment (on a shared service: the policy's
// `same_service` severity; on others: its `same_environment` one), and moments when more work runs
// at once in an environment than its `max_concurrent` across repositories. Found with the schedule's
// occurrence index, sweeping each environment in start order (never all pairs). Pure.
import type { Interval, Policy, Severity } from '../model/types.ts';
import type { ScheduleLinks } from '../publish/schedule-json.ts';
import { OccurrenceIndex } from '../schedule/conflicts.ts';
import { asRequest, occurrenceKey } from './occurrence-request.ts';
import type { RepositoryOccurrence } from './schedule-input.ts';

/** One side of a conflict: a request of one repository. */
export interface ConflictParty {
  uid: string;
  id: string;
  title: string;
  repository: string;
  environment: string;
  services: string[];
  timezone: string;
  links: ScheduleLinks;
}

export interface CrossConflict {
  /** The two UIDs, sorted, space-separated: one conflict per pair of requests. */
  key: string;
  severity: Severity;
  environment: string;
  /** Services both touch; empty when they only share the environment. */
  sharedServices: string[];
  a: ConflictParty;
  b: ConflictParty;
  /** The first span where they overlap. */
  at: Interval;
  /** How many pairs of their occurrences overlap. */
  count: number;
  /** The first overlapping occurrences of `a` and `b` (occurrenceKey). */
  first: [string, string];
}

export interface ConcurrencyExcess {
  environment: string;
  limit: number;
  at: number;
  /** Everyone running at that moment (of at least two repositories), in start order. */
  running: ConflictParty[];
}

export interface CrossRepositoryReport {
  /** Every conflict that is an error, and the first warnings (at most MAX_LISTED_WARNINGS). */
  conflicts: CrossConflict[];
  /** Overlapping pairs of occurrences that are warnings beyond those, counted but not listed. */
  unlistedWarnings: number;
  excesses: ConcurrencyExcess[];
}

/**
 * Work on different services of one environment overlaps a lot in a large organisation (every
 * team's production nights): the first of these warnings are listed, the rest counted, so a hub of
 * hundreds of repositories stays within memory. Errors (shared services, limits) are all listed.
 */
export const MAX_LISTED_WARNINGS = 500;

export function party(occurrence: RepositoryOccurrence): ConflictParty {
  return {
    uid: occurrence.uid,
    id: occurrence.id,
    title: occurrence.title,
    repository: occurrence.repository,
    environment: occurrence.environment,
    services: occurrence.services,
    timezone: occurrence.timezone,
    links: occurrence.links,
  };
}

/** Scheduled work that has not ended, indexed by environment; `keep` filters further. */
export function upcomingIndex(
  occurrences: readonly RepositoryOccurrence[],
  now: number,
  keep: (occurrence: RepositoryOccurrence) => boolean = () => true,
): { index: OccurrenceIndex; byId: Map<string, RepositoryOccurrence> } {
  const byId = new Map<string, RepositoryOccurrence>();
  const requests = [];
  for (const occurrence of occurrences) {
    if (occurrence.status !== 'scheduled' || Date.parse(occurrence.end_utc) <= now || !keep(occurrence))
      continue;
    const request = asRequest(occurrence);
    byId.set(request.id, occurrence);
    requests.push(request);
  }
  const index = new OccurrenceIndex(requests, (r) => [{ start: r.startsAt, end: r.endsAt }]);
  return { index, byId };
}

export function crossRepositoryConflicts(
  occurrences: readonly RepositoryOccurrence[],
  policy: Policy,
  now: number,
): CrossRepositoryReport {
  const { sameService, sameEnvironment } = policy.conflicts;
  const { index, byId } = upcomingIndex(occurrences, now);
  const conflicts = new Map<string, CrossConflict>();
  const excesses = new Map<string, ConcurrencyExcess>();
  const parties = new Map<string, ConflictParty>();
  const partyOf = (o: RepositoryOccurrence) => {
    let found = parties.get(o.uid);
    if (!found) parties.set(o.uid, (found = party(o)));
    return found;
  };
  let warnings = 0;
  let unlistedWarnings = 0;
  for (const environment of index.environments()) {
    const limit = policy.environments[environment]?.maxConcurrent;
    let active: { end: number; occurrence: RepositoryOccurrence; start: number }[] = [];
    for (const item of index.all(environment)) {
      const occurrence = byId.get(item.request.id)!;
      active = active.filter((a) => a.end > item.start);
      for (const other of active) {
        if (other.occurrence.repository === occurrence.repository) continue;
        const theirs = new Set(other.occurrence.services);
        const shared = occurrence.services.filter((s) => theirs.has(s));
        if (shared.length === 0 && sameEnvironment === 'off') continue;
        const [a, b] =
          other.occurrence.uid < occurrence.uid
            ? [other.occurrence, occurrence]
            : [occurrence, other.occurrence];
        const key = `${a.uid} ${b.uid}`;
        const known = conflicts.get(key);
        if (known) {
          known.count++;
          continue;
        }
        const severity = shared.length > 0 ? sameService : (sameEnvironment as Severity);
        if (severity === 'warning' && warnings >= MAX_LISTED_WARNINGS) {
          unlistedWarnings++;
          continue;
        }
        if (severity === 'warning') warnings++;
        conflicts.set(key, {
          key,
          severity,
          environment,
          sharedServices: shared,
          a: partyOf(a),
          b: partyOf(b),
          at: { start: item.start, end: Math.min(item.end, other.end) },
          count: 1,
          first: [occurrenceKey(a), occurrenceKey(b)],
        });
      }
      active.push({ start: item.start, end: item.end, occurrence });
      if (limit === undefined) continue;
      const running = [...new Map(active.map((a) => [a.occurrence.uid, a.occurrence])).values()];
      if (running.length <= limit || new Set(running.map((r) => r.repository)).size < 2) continue;
      const key = `${environment} ${running
        .map((r) => r.uid)
        .sort()
        .join(' ')}`;
      if (!excesses.has(key))
        excesses.set(key, { environment, limit, at: item.start, running: running.map(partyOf) });
    }
  }
  const order = (x: { at: number | Interval }, y: { at: number | Interval }) =>
    (typeof x.at === 'number' ? x.at : x.at.start) - (typeof y.at === 'number' ? y.at : y.at.start);
  return {
    conflicts: [...conflicts.values()].sort(
      (x, y) => order(x, y) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
    ),
    unlistedWarnings,
    excesses: [...excesses.values()].sort(order),
  };
}
