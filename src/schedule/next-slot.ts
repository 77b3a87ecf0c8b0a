// The earliest start, to the minute, at which a piece of work passes every rule: inside a window,
// outside blackouts (and error-level peak hours), with enough notice, not overlapping work on the
// same service, and under the environment's concurrency limit.
import type { Impact, Interval, MaintenanceRequest, Policy, RequestType } from '../model/types.ts';
import { appliesTo, BlackoutCalendar } from './blackouts.ts';
import { OccurrenceIndex, type ScheduledOccurrence } from './conflicts.ts';
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
  return new SlotFinder(policy, busy, now, blackouts).find(query);
}

/** What a search chunk of an environment holds for every query: its windows and forbidden spans. */
interface Chunk {
  allowed: { interval: Interval; names?: string[] }[];
  /** Blackouts and error-level peak hours. */
  closed: Interval[];
  /** The scheduled work overlapping the chunk, in start order, by service and by request. */
  around: ScheduledOccurrence[];
  byService: Map<string, ScheduledOccurrence[]>;
  byRequest: Map<string, ScheduledOccurrence[]>;
  /** Where the environment's limit is reached, and where one more than the limit runs. */
  full: Interval[];
  overfull: Interval[];
}

/**
 * Next-slot searches over one schedule. Validation asks for thousands (one per refused request), so
 * the parts of a search that do not depend on the request (windows, blackouts, where the environment
 * is full) are computed once per environment and chunk of time.
 */
export class SlotFinder {
  private readonly chunks = new Map<string, Chunk>();
  private readonly calendars = new Map<string, { windows?: WindowCalendar; avoid?: WindowCalendar }>();

  constructor(
    private readonly policy: Policy,
    private readonly busy: OccurrenceIndex,
    private readonly now: number,
    private readonly blackouts: BlackoutCalendar = new BlackoutCalendar(policy),
  ) {}

  find(query: SlotQuery): SlotResult {
    const { policy } = this;
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
    const earliest = ceilToMinute(Math.max(query.after ?? this.now, this.now + notice));
    const until = earliest + searchSpan(policy);
    const wanted = new Set(query.services);
    const sameServiceIsError = policy.conflicts.sameService === 'error';

    for (let from = earliest; from < until; from += CHUNK) {
      const to = Math.min(from + CHUNK, until);
      // Look a little past the chunk so a slot that starts near its end can still fit.
      const chunk = this.chunk(query.environment, from, to + query.durationMs);
      const forbidden: Interval[] = [...chunk.closed];
      if (sameServiceIsError) {
        for (const service of wanted)
          for (const o of chunk.byService.get(service) ?? [])
            if (o.request.id !== query.ignoreId) forbidden.push(o);
      }
      if (environment.maxConcurrent !== undefined)
        forbidden.push(...fullWithout(chunk, query.ignoreId, environment.maxConcurrent));
      const blocked = mergeIntervals(forbidden);
      for (const { interval, names } of chunk.allowed) {
        for (const free of subtract(interval, blocked)) {
          // Earlier starts belong to the previous chunk, which saw them whole.
          const start = ceilToMinute(Math.max(free.start, from));
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

  private chunk(name: string, from: number, reach: number): Chunk {
    const key = `${name}|${from}|${reach}`;
    let chunk = this.chunks.get(key);
    if (chunk) return chunk;
    const { policy } = this;
    const environment = policy.environments[name]!;
    const { windows, avoid } = this.calendarsOf(name);
    const around = this.busy.overlapping(name, from, reach);
    const byService = new Map<string, ScheduledOccurrence[]>();
    const byRequest = new Map<string, ScheduledOccurrence[]>();
    const add = (map: Map<string, ScheduledOccurrence[]>, key: string, o: ScheduledOccurrence) => {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(o);
    };
    for (const o of around) {
      for (const service of o.request.services) add(byService, service, o);
      add(byRequest, o.request.id, o);
    }
    const limit = environment.maxConcurrent;
    chunk = {
      allowed: windows
        ? windows.between(from, reach).map((w) => ({ interval: w, names: w.names }))
        : [{ interval: { start: from, end: reach } }],
      closed: [
        ...this.blackouts.between(from, reach).filter((p) => appliesTo(p, name)),
        ...(avoid ? avoid.between(from, reach) : []),
      ],
      around,
      byService,
      byRequest,
      full: limit === undefined ? [] : saturated(around, limit),
      overfull: limit === undefined ? [] : saturated(around, limit + 1),
    };
    this.chunks.set(key, chunk);
    return chunk;
  }

  private calendarsOf(name: string): { windows?: WindowCalendar; avoid?: WindowCalendar } {
    let found = this.calendars.get(name);
    if (!found) {
      const { policy } = this;
      const environment = policy.environments[name]!;
      const avoidSeverity = policy.avoidHours.environments[name] ?? policy.avoidHours.severity;
      found = {
        ...(environment.anytime ? {} : { windows: new WindowCalendar(environment.windows) }),
        ...(avoidSeverity === 'error' && policy.avoidHours.windows.length > 0
          ? { avoid: new WindowCalendar(policy.avoidHours.windows) }
          : {}),
      };
      this.calendars.set(name, found);
    }
    return found;
  }
}

/** Where the environment is full for a request, leaving out the request's own occurrences. */
function fullWithout(chunk: Chunk, ignoreId: string | undefined, limit: number): Interval[] {
  const own = (ignoreId === undefined ? undefined : chunk.byRequest.get(ignoreId)) ?? [];
  if (own.length === 0) return chunk.full;
  if (own.some((o, i) => i > 0 && o.start < own[i - 1]!.end))
    return saturated(
      chunk.around.filter((o) => o.request.id !== ignoreId),
      limit,
    );
  // While one of its own occurrences runs, the others reach the limit only where one more runs.
  const out: Interval[] = chunk.full.flatMap((span) => subtract(span, own));
  for (const mine of own) {
    for (const span of chunk.overfull) {
      const start = Math.max(span.start, mine.start);
      const end = Math.min(span.end, mine.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out;
}

/** Spans where at least `limit` occurrences run at once. */
function saturated(occurrences: readonly Interval[], limit: number): Interval[] {
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
