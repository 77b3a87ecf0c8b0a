// What the schedule page lists: occurrences of the requests (series expanded a few weeks ahead) and
// the policy's change freezes, grouped by day in the policy's zone. Pure data; rendering is elsewhere.
import type { Interval, MaintenanceRequest, Policy } from '../model/types.ts';
import { BlackoutCalendar, type BlackoutPeriod } from '../schedule/blackouts.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { DAY, dateIn, startOfLocalDay } from '../schedule/time.ts';

/** How far ahead repeating work is expanded and freezes are shown. One-off work is listed however far. */
export const UPCOMING_SPAN_MS = 42 * DAY;
/** How far back a repeating series' past occurrences are listed (one-off work: the policy's retention). */
export const RECENT_SERIES_SPAN_MS = 14 * DAY;

export type Phase = 'upcoming' | 'in-progress' | 'past';

export interface Occurrence extends Interval {
  kind: 'maintenance';
  request: MaintenanceRequest;
  phase: Phase;
  /** Freezes this occurrence overlaps in its environment (an emergency may run in one). */
  freezes: BlackoutPeriod[];
}

export interface FreezeEntry {
  kind: 'freeze';
  period: BlackoutPeriod;
  /** Began before the day it is listed under (it is already in force at `now`). */
  ongoing: boolean;
}

export type Entry = Occurrence | FreezeEntry;

export interface DayGroup {
  /** yyyy-MM-dd in the policy's zone. */
  date: string;
  /** When that day begins. */
  start: number;
  entries: Entry[];
}

export interface Timeline {
  upcoming: DayGroup[];
  recent: DayGroup[];
  /** Freezes in force or starting within the upcoming span. */
  freezes: BlackoutPeriod[];
  /** Policy environments in policy order, then others the requests name, sorted. */
  environments: string[];
  services: string[];
  /** The upcoming span ends here; the recent list starts at `recentFrom`. */
  upcomingUntil: number;
  recentFrom: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function occurrencesOf(request: MaintenanceRequest, policy: Policy, now: number): Interval[] {
  if (!request.series) {
    const retained = request.endsAt > now - policy.calendar.keepAfterEndMs;
    return retained ? [{ start: request.startsAt, end: request.endsAt }] : [];
  }
  const recentFrom = now - Math.min(policy.calendar.keepAfterEndMs, RECENT_SERIES_SPAN_MS);
  const found = occurrencesBetween(request, recentFrom, now + UPCOMING_SPAN_MS);
  if (!found.some((o) => o.end > now)) {
    // Nothing soon: still show when the series next runs, so no series disappears from the page.
    const horizon = Math.max(now, request.startsAt) + Math.max(policy.horizonMs, 366 * DAY);
    const next = occurrencesBetween(request, now, horizon)[0];
    if (next) found.push(next);
  }
  return found;
}

function phaseOf(interval: Interval, now: number): Phase {
  if (interval.end <= now) return 'past';
  return interval.start <= now ? 'in-progress' : 'upcoming';
}

function group(entries: { at: number; entry: Entry }[], zone: string, newestFirst: boolean): DayGroup[] {
  const days = new Map<string, DayGroup>();
  for (const { at, entry } of entries) {
    const date = dateIn(at, zone);
    let day = days.get(date);
    if (!day) {
      day = { date, start: startOfLocalDay(date, zone), entries: [] };
      days.set(date, day);
    }
    day.entries.push(entry);
  }
  const sorted = [...days.values()].sort((a, b) => byText(a.date, b.date));
  return newestFirst ? sorted.reverse() : sorted;
}

function entryOrder(a: { at: number; entry: Entry }, b: { at: number; entry: Entry }): number {
  if (a.at !== b.at) return a.at - b.at;
  // Freezes first on their day; then by id so equal starts always come out in the same order.
  const key = (e: Entry) =>
    e.kind === 'freeze' ? `0 ${e.period.name}` : `1 ${e.request.id} ${e.request.file}`;
  return byText(key(a.entry), key(b.entry));
}

export function buildTimeline(
  requests: readonly MaintenanceRequest[],
  policy: Policy,
  now: number,
): Timeline {
  const blackouts = new BlackoutCalendar(policy);
  const upcomingUntil = now + UPCOMING_SPAN_MS;
  const upcoming: { at: number; entry: Entry }[] = [];
  const recent: { at: number; entry: Entry }[] = [];
  for (const request of requests) {
    for (const interval of occurrencesOf(request, policy, now)) {
      const occurrence: Occurrence = {
        kind: 'maintenance',
        request,
        start: interval.start,
        end: interval.end,
        phase: phaseOf(interval, now),
        freezes: blackouts.overlapping(interval, request.environment),
      };
      // Work in progress is listed under today, with the rest of what is happening now.
      if (occurrence.phase === 'past') recent.push({ at: interval.start, entry: occurrence });
      else upcoming.push({ at: Math.max(interval.start, now), entry: occurrence });
    }
  }
  const freezes = blackouts.between(now, upcomingUntil);
  for (const period of freezes) {
    upcoming.push({
      at: Math.max(period.start, now),
      entry: { kind: 'freeze', period, ongoing: period.start < now },
    });
  }
  upcoming.sort(entryOrder);
  recent.sort(entryOrder);

  const environments = Object.keys(policy.environments);
  const others = new Set<string>();
  const services = new Set<string>();
  for (const entry of [...upcoming, ...recent].map((e) => e.entry)) {
    if (entry.kind !== 'maintenance') continue;
    if (!environments.includes(entry.request.environment)) others.add(entry.request.environment);
    for (const service of entry.request.services) services.add(service);
  }
  return {
    upcoming: group(upcoming, policy.timezone, false),
    recent: group(recent, policy.timezone, true),
    freezes,
    environments: [...environments, ...[...others].sort(byText)],
    services: [...services].sort(byText),
    upcomingUntil,
    recentFrom: now - policy.calendar.keepAfterEndMs,
  };
}
