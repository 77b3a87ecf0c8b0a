// The published calendar feeds: maintenance.ics (everything), env/<environment>.ics,
// service/<service>.ics and freezes.ics, as file path -> ICS text. Pure and deterministic: the same
// input gives the same bytes (no clock, no randomness, stable order).
// - UID: `<id>@<owner>.<name>.maint`. The id is the file name, stable forever by contract; the
//   repository keeps two repositories' requests apart in one calendar app.
// - A series is ONE VEVENT with RRULE and EXDATE, not one event per occurrence: clients expand it,
//   the feed stays small, and an edit or cancellation reaches every occurrence at once.
// - DTSTAMP is a constant (feed-event.ts says why); SEQUENCE comes from git (workspace/sequence.ts).
// - Retention: a request stays until keep_after_end after its last occurrence; freezes are those
//   overlapping [now - keep_after_end, now + horizon].
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { BlackoutCalendar, appliesTo } from '../schedule/blackouts.ts';
import { seriesEnd } from '../schedule/recurrence.ts';
import { parseIsoDuration } from '../schedule/time.ts';
import { uidDomain, type FeedEvent, type Repository } from './feed-event.ts';
import { freezeEvents } from './freeze-event.ts';
import { maintenanceEvent, type RequestLinks } from './maintenance-event.ts';
import { renderCalendar, type CalendarHeader } from './render.ts';

export type { RequestLinks } from './maintenance-event.ts';
export type { Repository } from './feed-event.ts';

export interface FeedInput {
  requests: readonly MaintenanceRequest[];
  policy: Policy;
  now: number;
  /** Names the UIDs (`<id>@<owner>.<name>.maint`) and links to request files. */
  repo?: Repository;
  /** SEQUENCE per request id (see src/workspace/sequence.ts); missing ids are 0. */
  sequences: ReadonlyMap<string, number>;
  links?: (id: string) => RequestLinks;
}

/** Environment and service names become file names: the request schema's pattern, checked again. */
const FILE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

function byStart(a: FeedEvent, b: FeedEvent): number {
  return a.sortKey - b.sortKey || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
}

/** Requests still in the feeds: every one that has not ended, and those that ended within retention. */
export function retainedRequests(
  requests: readonly MaintenanceRequest[],
  policy: Policy,
  now: number,
): MaintenanceRequest[] {
  const since = now - policy.calendar.keepAfterEndMs;
  return requests.filter((request) => seriesEnd(request) >= since);
}

function alarmSeconds(policy: Policy): number | undefined {
  if (policy.calendar.alarm === undefined) return undefined;
  const ms = parseIsoDuration(policy.calendar.alarm);
  return ms !== undefined && ms > 0 ? Math.round(ms / 1000) : undefined;
}

/** What one request's event depends on besides the request: the same in a feed and in an e-mail. */
export interface EventInput {
  policy: Policy;
  now: number;
  repo?: Repository;
  sequence: number;
  links: RequestLinks;
}

/** The span the feeds cover: clock-change notes and a series' exceptions are written within it. */
function feedWindow(policy: Policy, now: number) {
  return { start: now - policy.calendar.keepAfterEndMs, end: now + policy.horizonMs };
}

/** A request's event exactly as the feeds carry it (UID, SEQUENCE, times, description, alarm). */
export function requestEvent(request: MaintenanceRequest, input: EventInput): FeedEvent {
  const alarm = alarmSeconds(input.policy);
  return maintenanceEvent(request, {
    domain: uidDomain(input.repo),
    window: feedWindow(input.policy, input.now),
    ...(input.repo ? { repo: input.repo } : {}),
    sequence: input.sequence,
    links: input.links,
    ...(alarm !== undefined ? { alarmSeconds: alarm } : {}),
  });
}

/** The header of a feed named `name` (the calendar's own name and description when not given). */
export function feedHeader(policy: Policy, name?: string, description?: string): CalendarHeader {
  const calendar = policy.calendar;
  return {
    name: name ?? calendar.name,
    description: description ?? (calendar.description || calendar.name),
    timezone: policy.timezone,
    refreshSeconds: calendar.refreshMs / 1000,
    ...(calendar.url !== undefined ? { url: calendar.url } : {}),
  };
}

export function buildFeeds(input: FeedInput): Map<string, string> {
  const { policy, now } = input;
  const domain = uidDomain(input.repo);
  const ids = new Set<string>();
  for (const request of input.requests) {
    if (ids.has(request.id)) throw new Error(`request id ${request.id} appears twice: UIDs would collide`);
    ids.add(request.id);
  }

  const window = feedWindow(policy, now);
  const maintenance = retainedRequests(input.requests, policy, now)
    .map((request) =>
      requestEvent(request, {
        policy,
        now,
        ...(input.repo ? { repo: input.repo } : {}),
        sequence: input.sequences.get(request.id) ?? 0,
        links: input.links?.(request.id) ?? {},
      }),
    )
    .sort(byStart);
  const periods = new BlackoutCalendar(policy).between(window.start, window.end);
  const freezes = freezeEvents(periods, policy, domain).sort(byStart);

  // Feeds exist for every environment of the policy and every service ever named, even when empty
  // for now: a subscribed URL must not disappear.
  const environments = new Set(Object.keys(policy.environments));
  const services = new Set<string>();
  for (const request of input.requests) {
    environments.add(request.environment);
    for (const service of request.services) services.add(service);
  }
  for (const name of [...environments, ...services]) {
    if (!FILE_NAME.test(name)) throw new Error(`${JSON.stringify(name)} cannot name a feed file`);
  }

  const calendar = policy.calendar;
  const header = (name: string, description: string) => feedHeader(policy, name, description);
  const about = calendar.description || calendar.name;

  const feeds = new Map<string, string>();
  feeds.set('maintenance.ics', renderCalendar(header(calendar.name, about), [...maintenance, ...freezes]));
  feeds.set(
    'freezes.ics',
    renderCalendar(header(`${calendar.name}: change freezes`, `Change freezes of ${calendar.name}`), freezes),
  );
  for (const environment of [...environments].sort()) {
    const events = [...maintenance, ...freezes].filter((event) => appliesTo(event, environment));
    const text = renderCalendar(
      header(`${calendar.name}: ${environment}`, `${about} (${environment})`),
      events,
    );
    feeds.set(`env/${environment}.ics`, text);
  }
  for (const service of [...services].sort()) {
    const events = maintenance.filter((event) => event.services.includes(service));
    feeds.set(
      `service/${service}.ics`,
      renderCalendar(header(`${calendar.name}: ${service}`, `${about} (service ${service})`), events),
    );
  }
  return feeds;
}
