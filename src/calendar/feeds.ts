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
import { renderCalendarChunks, type CalendarHeader } from './render.ts';

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
export const FEED_FILE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export function byStart(a: FeedEvent, b: FeedEvent): number {
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
  return renderFeedFiles(policy, standardFeedFiles(policy, maintenance, freezes, environments, services));
}

/** One feed file: where it goes, its calendar's name and description, and its events in order. */
export interface FeedFile {
  path: string;
  name: string;
  description: string;
  events: readonly FeedEvent[];
}

/** What every site publishes: everything, the freezes, a feed per environment and per service. */
export function standardFeedFiles(
  policy: Policy,
  maintenance: readonly FeedEvent[],
  freezes: readonly FeedEvent[],
  environments: ReadonlySet<string>,
  services: ReadonlySet<string>,
): FeedFile[] {
  for (const name of [...environments, ...services]) {
    if (!FEED_FILE_NAME.test(name)) throw new Error(`${JSON.stringify(name)} cannot name a feed file`);
  }
  const calendar = policy.calendar;
  const about = calendar.description || calendar.name;
  const files: FeedFile[] = [
    {
      path: 'maintenance.ics',
      name: calendar.name,
      description: about,
      events: [...maintenance, ...freezes],
    },
    {
      path: 'freezes.ics',
      name: `${calendar.name}: change freezes`,
      description: `Change freezes of ${calendar.name}`,
      events: freezes,
    },
  ];
  for (const environment of [...environments].sort()) {
    files.push({
      path: `env/${environment}.ics`,
      name: `${calendar.name}: ${environment}`,
      description: `${about} (${environment})`,
      events: [...maintenance, ...freezes].filter((event) => appliesTo(event, environment)),
    });
  }
  // Each service's events in one pass over them (not one pass per service), in their order.
  const byService = new Map<string, FeedEvent[]>([...services].map((service) => [service, []]));
  for (const event of maintenance)
    for (const service of new Set(event.services)) byService.get(service)?.push(event);
  for (const service of [...services].sort()) {
    files.push({
      path: `service/${service}.ics`,
      name: `${calendar.name}: ${service}`,
      description: `${about} (service ${service})`,
      events: byService.get(service)!,
    });
  }
  return files;
}

/** Each feed file as ICS text, by path, with the policy's calendar settings in every header. */
export function renderFeedFiles(policy: Policy, files: readonly FeedFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, renderFeedFile(policy, file)]));
}

/** One feed file as ICS text. */
export function renderFeedFile(policy: Policy, file: FeedFile): string {
  return renderFeedFileChunks(policy, file).join('');
}

/** One feed file as ICS text in pieces, to be written one after the other (a large hub's feeds). */
export function renderFeedFileChunks(policy: Policy, file: FeedFile): string[] {
  return renderCalendarChunks(feedHeader(policy, file.name, file.description), file.events);
}
