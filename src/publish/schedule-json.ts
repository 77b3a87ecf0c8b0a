// schedule.json, published beside the feeds for dashboards, developer portals and the hub: every
// occurrence the feeds publish and the change freezes, as plain data. Its shape is a contract
// (schema/schedule.schema.json, `version: 1`): fields may be added, never renamed or removed.
// Pure and deterministic like the feeds, from the same inputs and the same rules of retention.
import { retainedRequests } from '../calendar/feeds.ts';
import { uidDomain, type Repository } from '../calendar/feed-event.ts';
import { freezeEvents } from '../calendar/freeze-event.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { BlackoutCalendar } from '../schedule/blackouts.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { MINUTE, isoUtc, localAt, offsetAt } from '../schedule/time.ts';
import { followableUrl } from '../format/url.ts';
import { requestFileUrl } from '../site/item.ts';

export const SCHEDULE_JSON_VERSION = 1;
export const SCHEDULE_JSON_PATH = 'schedule.json';

export interface ScheduleLinks {
  request_file: string | null;
  pull_request: string | null;
  result_issue: string | null;
}

export interface ScheduledOccurrence {
  /** The calendar UID of the request (`<id>@<owner>.<repo>.maint`), shared by a series' occurrences. */
  uid: string;
  id: string;
  /** owner/name of the request's repository: given by a hub, whose schedule merges many. */
  repository?: string;
  /** A series occurrence's start in UTC (its RECURRENCE-ID); null for one-off work. */
  recurrence_id: string | null;
  title: string;
  type: MaintenanceRequest['type'];
  category: MaintenanceRequest['category'];
  environment: string;
  services: string[];
  impact: MaintenanceRequest['impact'];
  impact_description: string;
  status: MaintenanceRequest['status'];
  start_utc: string;
  end_utc: string;
  /** The same instants in the request's zone, with their offset: 2027-01-24T04:00:00+01:00. */
  start_local: string;
  end_local: string;
  timezone: string;
  links: ScheduleLinks;
}

export interface ScheduledFreeze {
  uid: string;
  name: string;
  reason: string | null;
  /** null: every environment. */
  environments: string[] | null;
  start_utc: string;
  end_utc: string;
  start_local: string;
  end_local: string;
  /** The policy's zone, in which freeze days are counted. */
  timezone: string;
  /** Whole days in that zone: `start_date` inclusive, `end_date` exclusive (as ICS all-day events). */
  all_day: boolean;
  start_date: string | null;
  end_date: string | null;
}

export interface ScheduleDocument {
  version: typeof SCHEDULE_JSON_VERSION;
  /** `owner/name` of the repository the requests live in; null when publish was not told. */
  repository: string | null;
  generated_at: string;
  calendar: { name: string; timezone: string };
  /** Repeating work is expanded over this range (one-off work is listed however far ahead). */
  range: { from: string; until: string };
  occurrences: ScheduledOccurrence[];
  freezes: ScheduledFreeze[];
}

export interface ScheduleInput {
  requests: readonly MaintenanceRequest[];
  policy: Policy;
  now: number;
  repo?: Repository;
  links?: (id: string) => { pr?: string; issue?: string };
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** An instant as ISO 8601 local time with its offset in a zone: 2027-01-24T04:00:00+01:00. */
export function isoLocal(instant: number, zone: string): string {
  const local = localAt(instant, zone);
  const offset = offsetAt(instant, zone);
  const seconds = Math.floor((instant % MINUTE) / 1000);
  const sign = offset < 0 ? '-' : '+';
  return (
    `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(seconds)}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

const link = (url: string | undefined) => followableUrl(url)?.href ?? null;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildScheduleDocument(input: ScheduleInput): ScheduleDocument {
  const { policy, now } = input;
  const domain = uidDomain(input.repo);
  // The feeds' own window: what they retain, and how far freezes are written.
  const from = now - policy.calendar.keepAfterEndMs;
  const until = now + policy.horizonMs;
  const occurrences: ScheduledOccurrence[] = [];
  for (const request of retainedRequests(input.requests, policy, now)) {
    const given = input.links?.(request.id) ?? {};
    const links: ScheduleLinks = {
      request_file: input.repo ? link(requestFileUrl(input.repo, request.file)) : null,
      pull_request: link(given.pr),
      result_issue: link(given.issue),
    };
    const spans = request.series
      ? occurrencesBetween(request, from, until)
      : [{ start: request.startsAt, end: request.endsAt }];
    for (const span of spans) {
      occurrences.push({
        uid: `${request.id}@${domain}`,
        id: request.id,
        recurrence_id: request.series ? isoUtc(span.start) : null,
        title: request.title,
        type: request.type,
        category: request.category,
        environment: request.environment,
        services: [...request.services],
        impact: request.impact,
        impact_description: request.impact_description,
        status: request.status,
        start_utc: isoUtc(span.start),
        end_utc: isoUtc(span.end),
        start_local: isoLocal(span.start, request.zone),
        end_local: isoLocal(span.end, request.zone),
        timezone: request.zone,
        links,
      });
    }
  }
  occurrences.sort((a, b) => byText(a.start_utc, b.start_utc) || byText(a.uid, b.uid));

  const periods = new BlackoutCalendar(policy).between(from, until);
  const zone = policy.timezone;
  const freezes = freezeEvents(periods, policy, domain).map((event, i): ScheduledFreeze => {
    const period = periods[i]!;
    const allDay = event.span.kind === 'all-day';
    return {
      uid: event.uid,
      name: period.name,
      reason: period.reason ?? null,
      environments: period.environments ? [...period.environments] : null,
      start_utc: isoUtc(period.start),
      end_utc: isoUtc(period.end),
      start_local: isoLocal(period.start, zone),
      end_local: isoLocal(period.end, zone),
      timezone: zone,
      all_day: allDay,
      start_date: event.span.kind === 'all-day' ? event.span.startDate : null,
      end_date: event.span.kind === 'all-day' ? event.span.endDate : null,
    };
  });
  freezes.sort((a, b) => byText(a.start_utc, b.start_utc) || byText(a.uid, b.uid));

  return {
    version: SCHEDULE_JSON_VERSION,
    repository: input.repo ? `${input.repo.owner}/${input.repo.name}` : null,
    generated_at: isoUtc(now),
    calendar: { name: policy.calendar.name, timezone: zone },
    range: { from: isoUtc(from), until: isoUtc(until) },
    occurrences,
    freezes,
  };
}

/** schedule.json's text: two-space indented, ending in a newline. */
export function renderScheduleJson(input: ScheduleInput): string {
  return `${JSON.stringify(buildScheduleDocument(input), null, 2)}\n`;
}
