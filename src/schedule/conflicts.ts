// Overlaps between scheduled requests, found by sweeping each environment's occurrences in start
// order (O(n log n + overlaps), never all pairs), and the peaks of concurrent work per environment.
import type { Interval, MaintenanceRequest } from '../model/types.ts';

export interface Overlap {
  other: MaintenanceRequest;
  /** Services both touch; empty when they only share the environment. */
  sharedServices: string[];
  /** The first span where they overlap. */
  at: Interval;
  /** How many occurrence pairs overlap in all. */
  count: number;
}

export interface ConcurrencyPeak {
  at: number;
  environment: string;
  limit: number;
  /** Everyone running at that moment, in start order. */
  requests: MaintenanceRequest[];
}

export interface OverlapIndex {
  overlapsOf(id: string): Overlap[];
  peaksOf(id: string): ConcurrencyPeak[];
}

export interface ScheduledOccurrence extends Interval {
  request: MaintenanceRequest;
}

/** Every scheduled occurrence per environment, sorted by start, for range queries. */
export class OccurrenceIndex {
  private readonly byEnvironment = new Map<string, { items: ScheduledOccurrence[]; longest: number }>();

  constructor(
    requests: readonly MaintenanceRequest[],
    occurrencesOf: (request: MaintenanceRequest) => readonly Interval[],
  ) {
    for (const request of requests) {
      let entry = this.byEnvironment.get(request.environment);
      if (!entry) this.byEnvironment.set(request.environment, (entry = { items: [], longest: 0 }));
      for (const occurrence of occurrencesOf(request)) {
        entry.items.push({ start: occurrence.start, end: occurrence.end, request });
        entry.longest = Math.max(entry.longest, occurrence.end - occurrence.start);
      }
    }
    for (const entry of this.byEnvironment.values())
      entry.items.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  environments(): string[] {
    return [...this.byEnvironment.keys()];
  }

  /** All occurrences of an environment in start order. */
  all(environment: string): readonly ScheduledOccurrence[] {
    return this.byEnvironment.get(environment)?.items ?? [];
  }

  /** Occurrences of an environment that overlap [from, to). */
  overlapping(environment: string, from: number, to: number): ScheduledOccurrence[] {
    const entry = this.byEnvironment.get(environment);
    if (!entry) return [];
    const { items, longest } = entry;
    // First item that could still be running at `from`: it starts no earlier than from - longest.
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[middle]!.start < from - longest) low = middle + 1;
      else high = middle;
    }
    const out: ScheduledOccurrence[] = [];
    for (let i = low; i < items.length && items[i]!.start < to; i++) {
      if (items[i]!.end > from) out.push(items[i]!);
    }
    return out;
  }
}

type Item = ScheduledOccurrence;

export function buildOverlapIndex(
  index: OccurrenceIndex,
  limits: (environment: string) => number | undefined,
): OverlapIndex {
  const overlaps = new Map<string, Map<string, Overlap>>();
  const peaks = new Map<string, ConcurrencyPeak[]>();

  const record = (a: Item, b: Item) => {
    let mine = overlaps.get(a.request.id);
    if (!mine) overlaps.set(a.request.id, (mine = new Map()));
    const existing = mine.get(b.request.id);
    if (existing) {
      existing.count++;
      return;
    }
    const theirs = new Set(b.request.services);
    mine.set(b.request.id, {
      other: b.request,
      sharedServices: a.request.services.filter((s) => theirs.has(s)),
      at: { start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) },
      count: 1,
    });
  };

  for (const environment of index.environments()) {
    const items = index.all(environment);
    const limit = limits(environment);
    let active: Item[] = [];
    const reported = new Set<string>();
    for (const item of items) {
      active = active.filter((a) => a.end > item.start);
      for (const other of active) {
        if (other.request.id === item.request.id) continue;
        record(item, other);
        record(other, item);
      }
      active.push(item);
      if (limit !== undefined && new Set(active.map((a) => a.request.id)).size > limit) {
        const running = [...new Map(active.map((a) => [a.request.id, a.request])).values()];
        const peak: ConcurrencyPeak = { at: item.start, environment, limit, requests: running };
        for (const request of running) {
          // One peak per request is enough to explain the problem.
          if (reported.has(request.id)) continue;
          reported.add(request.id);
          peaks.set(request.id, [peak]);
        }
      }
    }
  }

  return {
    overlapsOf: (id) => [...(overlaps.get(id)?.values() ?? [])],
    peaksOf: (id) => peaks.get(id) ?? [],
  };
}
