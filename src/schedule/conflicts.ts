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

interface Item extends Interval {
  request: MaintenanceRequest;
}

export function buildOverlapIndex(
  requests: readonly MaintenanceRequest[],
  occurrencesOf: (request: MaintenanceRequest) => readonly Interval[],
  limits: (environment: string) => number | undefined,
): OverlapIndex {
  const overlaps = new Map<string, Map<string, Overlap>>();
  const peaks = new Map<string, ConcurrencyPeak[]>();
  const byEnvironment = new Map<string, Item[]>();
  for (const request of requests) {
    let items = byEnvironment.get(request.environment);
    if (!items) byEnvironment.set(request.environment, (items = []));
    for (const occurrence of occurrencesOf(request)) items.push({ ...occurrence, request });
  }

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

  for (const [environment, items] of byEnvironment) {
    items.sort((a, b) => a.start - b.start || a.end - b.end);
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
