// One event of a feed, before it is written: what maintenance and freezes share, the UIDs, and the
// fixed DTSTAMP. Which feeds an event belongs to travels with it (environments, services).
import type { OccurrenceException } from './recurrence-lines.ts';

export interface Repository {
  owner: string;
  name: string;
  /** https://github.com unless given (GitHub Enterprise Server). */
  serverUrl?: string;
}

export interface TimedSpan {
  kind: 'timed';
  /** First (or only) occurrence, epoch milliseconds. */
  start: number;
  end: number;
  /** Written with this TZID and its VTIMEZONE; undefined: in UTC. */
  tzid?: string;
  /** RRULE, EXDATE and DURATION lines of a series (a series has no DTEND: DURATION is exact). */
  recurrence?: string[];
  /** Occurrences of the series written as exceptions, with their own UTC times. */
  exceptions?: OccurrenceException[];
}

export interface AllDaySpan {
  kind: 'all-day';
  /** yyyy-MM-dd, inclusive. */
  startDate: string;
  /** yyyy-MM-dd, exclusive (RFC 5545 DTEND of a DATE event). */
  endDate: string;
}

export interface FeedEvent {
  uid: string;
  sequence: number;
  summary: string;
  description: string;
  categories: string[];
  url?: string;
  status: 'CONFIRMED' | 'CANCELLED';
  /** Shown as free time (freezes) rather than busy (maintenance). */
  transparent: boolean;
  /** A display alarm this many seconds before the start. */
  alarmSeconds?: number;
  span: TimedSpan | AllDaySpan;
  /** Feeds of these environments include it; undefined: every environment. */
  environments?: string[];
  /** Feeds of these services include it. */
  services: readonly string[];
  /** A change freeze (freezes.ics) rather than a maintenance. */
  freeze: boolean;
  /** Orders events in a feed: the start instant. */
  sortKey: number;
}

/**
 * DTSTAMP of every event: a constant. A published feed is recreated on every build, so the honest
 * value would be the build time, and then no two builds would be byte-identical (spurious commits to
 * the site, HTTP caches invalidated, clients re-processing every event). Which version of an event
 * is newer is said by SEQUENCE, which RFC 5546 compares first; DTSTAMP only breaks ties.
 */
export const DTSTAMP = Date.UTC(2000, 0, 1);

/** The right-hand side of every UID: `<owner>.<name>.maint`, lower-cased (GitHub ignores case). */
export function uidDomain(repo: Repository | undefined): string {
  if (!repo) return 'maint';
  const part = (text: string) => text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  return `${part(repo.owner)}.${part(repo.name)}.maint`;
}
