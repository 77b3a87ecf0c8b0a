// The earliest start, to the minute, at which a piece of work passes every rule: inside a window,
// outside blackouts (and error-level peak hours), with enough notice, not overlapping work on the
// same service, and under the environment's concurrency limit.
import type { Impact, Interval, MaintenanceRequest, Policy, RequestType } from '../model/types.ts';
import { appliesTo, BlackoutCalendar } from './blackouts.ts';
import { OccurrenceIndex } from './conflicts.ts';
import { maximumDuration } from './rules/duration.ts';
import { requiredNotice } from './rules/notice.ts';
import { occurrencesBetween } from './recurrence.ts';
import { DAY, ceilToMinute, formatDuration } from './time.ts';
import { WindowCalendar } from './windows.ts';

export interface SlotQuery {
  environment: string;
  services: string[];
  durationMs: number;
  impact: Impact;
  type?: RequestType;
  incident?: string;
  /** Earliest acceptable start (besides notice). */
  after?: number;
  /** A request id to leave out of the conflicts (the request being moved). */
  ignoreId?: string;
}

export type SlotResult =
  | { found: true; start: number; end: number; window?: { names: string[]; start: number; end: number } }
  | { found: false; reason: string };

/** How far the search looks: the policy horizon, at least a year. */
function searchSpan(policy: Policy): number {
  return Math.max(policy.horizonMs, 366 * DAY);
}

const CHUNK = 28 * DAY;

/** The index next-slot searches: every scheduled request's occurrences from now over the search span. */
export function scheduleIndex(
  scheduled: readonly MaintenanceRequest[],
  policy: Policy,
  now: number,
): OccurrenceIndex {
  const until = now + searchSpan(policy) + 60 * DAY;
  return new OccurrenceIndex(
    scheduled.filter((r) => r.status === 'scheduled'),
    (r) => occurrencesBetween(r, now, until),
  );
}

export function nextSlot(
  query: SlotQuery,
  policy: Policy,
  busy: OccurrenceIndex,
  now: number,
  blackouts: BlackoutCalendar = new BlackoutCalendar(policy),
): SlotResult {
  const environment = policy.environments[query.environment];
  if (!environment) {
    return {
      found: false,
      reason: `environment ${query.environment} is not in the policy (${Object.keys(policy.environments).join(', ')})`,
    };
  }
  const type = query.type ?? 'standard';
  const limit = maximumDuration({ type, impact: query.impact }, policy);
  if (limit !== undefined && query.durationMs > limit) {
    return {
      found: false,
      reason: `${formatDuration(query.durationMs)} is longer than the ${formatDuration(limit)} allowed for ${query.impact}-impact work: split the work`,
    };
  }
  const notice = requiredNotice(
    { type, impact: query.impact, ...(query.incident ? { incident: query.incident } : {}) },
    policy,
  );
  const earliest = ceilToMinute(Math.max(query.after ?? now, now + notice));
  const until = earliest + searchSpan(policy);

  const wanted = new Set(query.services);
  const othersBetween = (from: number, to: number) =>
    busy.overlapping(query.environment, from, to).filter((o) => o.request.id !== query.ignoreId);
  const windows = environment.anytime ? undefined : new WindowCalendar(environment.windows);
  const avoidSeverity = policy.avoidHours.environments[query.environment] ?? policy.avoidHours.severity;
  const avoid =
    avoidSeverity === 'error' && policy.avoidHours.windows.length > 0
      ? new WindowCalendar(policy.avoidHours.windows)
      : undefined;

  for (let from = earliest; from < until; from += CHUNK) {
    const to = Math.min(from + CHUNK, until);
    // Look a little past the chunk so a slot that starts near its end can still fit.
    const reach = to + query.durationMs;
    const allowed: { interval: Interval; names?: string[] }[] = windows
      ? windows.between(from, reach).map((w) => ({ interval: w, names: w.names }))
      : [{ interval: { start: from, end: reach } }];
    const forbidden: Interval[] = [
      ...blackouts.between(from, reach).filter((p) => appliesTo(p, query.environment)),
      ...(avoid ? avoid.between(from, reach) : []),
      ...(policy.conflicts.sameService === 'error'
        ? othersBetween(from, reach).filter((o) => o.request.services.some((s) => wanted.has(s)))
        : []),
      ...(environment.maxConcurrent !== undefined
        ? saturated(othersBetween(from - DAY, reach), environment.maxConcurrent)
        : []),
    ];
    const blocked = mergeIntervals(forbidden);
    for (const { interval, names } of allowed) {
      for (const free of subtract(interval, blocked)) {
        const start = ceilToMinute(Math.max(free.start, earliest));
        if (start >= to) continue;
        if (start + query.durationMs <= free.end) {
          return {
            found: true,
            start,
            end: start + query.durationMs,
            ...(names ? { window: { names, start: interval.start, end: interval.end } } : {}),
          };
        }
      }
    }
  }
  return {
    found: false,
    reason: `no free ${formatDuration(query.durationMs)} slot in ${query.environment} within ${Math.round(searchSpan(policy) / DAY)} days`,
  };
}

/** Spans where at least `limit` occurrences run at once. */
function saturated(occurrences: Interval[], limit: number): Interval[] {
  const edges = occurrences.flatMap((o) => [
    { at: o.start, delta: 1 },
    { at: o.end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const out: Interval[] = [];
  let running = 0;
  let since = 0;
  for (const edge of edges) {
    const before = running;
    running += edge.delta;
    if (before < limit && running >= limit) since = edge.at;
    if (before >= limit && running < limit && edge.at > since) out.push({ start: since, end: edge.at });
  }
  return out;
}

export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else out.push({ start: interval.start, end: interval.end });
  }
  return out;
}

/** The parts of an interval not covered by sorted, merged blockers. */
function subtract(interval: Interval, blockers: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = interval.start;
  for (const blocker of blockers) {
    if (blocker.end <= cursor) continue;
    if (blocker.start >= interval.end) break;
    if (blocker.start > cursor) out.push({ start: cursor, end: blocker.start });
    cursor = Math.max(cursor, blocker.end);
  }
  if (cursor < interval.end) out.push({ start: cursor, end: interval.end });
  return out;
}
