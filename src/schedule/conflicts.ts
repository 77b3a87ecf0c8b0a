// Overlaps between scheduled requests, found by sweeping each environment's occurrences in start
// order (O(n log n + overlaps), never all pairs): for every occurrence (a slot), the other requests
// that overlap it and the most that run at once during it.
import type { Interval, MaintenanceRequest } from '../model/types.ts';

/** One occurrence of a request and the other work that shares its time. */
export interface SlotOverlaps extends Interval {
  /** The other requests overlapping the slot on a service it has too, each once, in start order. */
  sharing: MaintenanceRequest[];
  /** The other requests overlapping the slot on other services, each once, in start order. */
  others: MaintenanceRequest[];
  /** The moment in the slot when the most requests run at once, when that is over the limit. */
  peak?: ConcurrencyPeak;
}

export interface ConcurrencyPeak {
  at: number;
  limit: number;
  /** Everyone running at that moment (this request included), in start order. */
  running: MaintenanceRequest[];
}

export interface OverlapIndex {
  /** The request's occurrences that other work overlaps, in start order. */
  slotsOf(id: string): SlotOverlaps[];
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
  const slotsById = new Map<string, SlotOverlaps[]>();
  const seriesSeen = new Map<SlotOverlaps, Set<MaintenanceRequest>>();
  const meet = (slot: SlotOverlaps, other: MaintenanceRequest, sharing: boolean) => {
    if (other.series) {
      // A series can overlap a slot with more than one of its occurrences: name it once.
      let seen = seriesSeen.get(slot);
      if (!seen) seriesSeen.set(slot, (seen = new Set()));
      if (seen.has(other)) return;
      seen.add(other);
    }
    (sharing ? slot.sharing : slot.others).push(other);
  };

  for (const environment of index.environments()) {
    const items = index.all(environment);
    const slots: SlotOverlaps[] = [];
    const limit = limits(environment);
    /** Indices of the occurrences still running. */
    let active: number[] = [];
    for (let i = 0; i < items.length;) {
      const at = items[i]!.start;
      active = active.filter((a) => items[a]!.end > at);
      // Everything starting at this moment arrives together: the count can only peak at a start.
      for (; i < items.length && items[i]!.start === at; i++) {
        const item = items[i]!;
        const slot: SlotOverlaps = { start: item.start, end: item.end, sharing: [], others: [] };
        slots.push(slot);
        let own = slotsById.get(item.request.id);
        if (!own) slotsById.set(item.request.id, (own = []));
        own.push(slot);
        for (const a of active) {
          const other = items[a]!.request;
          if (other === item.request) continue;
          // Once per pair: whether they share a service is the same from either side.
          const sharing = sharesService(item.request, other);
          meet(slot, other, sharing);
          meet(slots[a]!, item.request, sharing);
        }
        active.push(i);
      }
      if (limit === undefined || active.length <= limit) continue;
      const running = distinctRequests(active.map((a) => items[a]!));
      if (running.length <= limit) continue;
      const peak: ConcurrencyPeak = { at, limit, running };
      for (const a of active) {
        const slot = slots[a]!;
        if (!slot.peak || slot.peak.running.length < running.length) slot.peak = peak;
      }
    }
  }

  return {
    slotsOf: (id) =>
      (slotsById.get(id) ?? []).filter((slot) => slot.sharing.length + slot.others.length > 0 || slot.peak),
  };
}

function sharesService(a: MaintenanceRequest, b: MaintenanceRequest): boolean {
  const mine = a.services;
  const theirs = b.services;
  for (let i = 0; i < mine.length; i++) if (theirs.includes(mine[i]!)) return true;
  return false;
}

function distinctRequests(items: readonly Item[]): MaintenanceRequest[] {
  const out: MaintenanceRequest[] = [];
  const seen = new Set<MaintenanceRequest>();
  for (const item of items) {
    if (seen.has(item.request)) continue;
    seen.add(item.request);
    out.push(item.request);
  }
  return out;
}
