// A maintenance known only from a published schedule.json (a hub's members) as one feed event. Its
// UID stays the member's own (`<id>@<owner>.<repo>.maint`). A series arrives expanded, so it is written
// back as ONE VEVENT: the first occurrence as DTSTART, every occurrence as RDATE (RFC 5545 lets an
// explicit list stand for a rule) and their length as DURATION (as a series from a request is written),
// which clients expand to exactly the occurrences published. The RDATE list repeats DTSTART: RFC 5545 counts a start given twice once, and ical.js
// leaves DTSTART out of an RDATE-only set unless it is listed.
import { DateTime } from 'luxon';
import type { ScheduledOccurrence } from '../publish/schedule-json.ts';
import { followableUrl } from '../format/url.ts';
import type { FeedEvent } from './feed-event.ts';
import { maintenanceSummary } from './maintenance-event.ts';
import { durationLine } from './recurrence-lines.ts';
import { plainText, singleLine, truncate, uriValue } from './text.ts';
import { eventTzid, isAmbiguousLocal } from './zones.ts';

export interface PublishedEventContext {
  /** owner/name the request lives in. */
  repository: string;
  teams: readonly string[];
  sequence: number;
  alarmSeconds?: number;
}

const MAX_TEXT = 500;

const stamp = (instant: number) =>
  DateTime.fromMillis(instant, { zone: 'UTC' }).toFormat("yyyyLLdd'T'HHmmss'Z'");

function description(first: ScheduledOccurrence, count: number, context: PublishedEventContext): string {
  const lines = [
    ...(first.status === 'cancelled' ? ['CANCELLED: this maintenance will not take place.', ''] : []),
    `Repository: ${context.repository}`,
    ...(context.teams.length > 0 ? [`Team: ${context.teams.join(', ')}`] : []),
    `Environment: ${first.environment}`,
    `Services: ${first.services.join(', ')}`,
    `Type: ${first.type}, ${first.category}`,
    `Impact: ${first.impact}`,
    `What users will notice: ${truncate(singleLine(plainText(first.impact_description)), MAX_TEXT)}`,
    ...(count > 1 ? [`Repeats: ${count} occurrences in this calendar`] : []),
  ];
  const references: string[] = [];
  const add = (label: string, url: string | null) => {
    const href = followableUrl(url ?? undefined)?.href;
    if (href) references.push(`${label}: ${href}`);
  };
  add('Request file', first.links.request_file);
  add('Pull request', first.links.pull_request);
  add('Result issue', first.links.result_issue);
  if (references.length > 0) lines.push('', ...references);
  return lines.join('\n');
}

/** One event for the occurrences of one UID (one for one-off work), in start order. */
export function publishedEvent(
  occurrences: readonly ScheduledOccurrence[],
  context: PublishedEventContext,
): FeedEvent {
  const [first] = occurrences;
  if (!first) throw new Error('an event needs at least one occurrence');
  const start = Date.parse(first.start_utc);
  const end = Date.parse(first.end_utc);
  const series = first.recurrence_id !== null;
  let tzid = eventTzid(first.timezone, series);
  // A start or end in the repeated hour of a fall-back is written in UTC, where no reader can take the
  // other reading (the RDATEs are UTC instants either way).
  if (tzid && [start, end].some((t) => isAmbiguousLocal(t, tzid!))) tzid = undefined;
  const dates = series ? occurrences.map((o) => stamp(Date.parse(o.start_utc))) : [];
  const cancelled = first.status === 'cancelled';
  const links = first.links;
  const url = uriValue(links.pull_request ?? undefined) ?? uriValue(links.request_file ?? undefined);
  return {
    uid: first.uid,
    sequence: context.sequence,
    summary: maintenanceSummary({ title: first.title, environment: first.environment, status: first.status }),
    description: description(first, occurrences.length, context),
    categories: ['Maintenance', first.environment, first.category, `${first.impact} impact`, first.type],
    ...(url ? { url } : {}),
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    transparent: false,
    ...(context.alarmSeconds !== undefined && !cancelled ? { alarmSeconds: context.alarmSeconds } : {}),
    span: {
      kind: 'timed',
      start,
      end,
      ...(tzid ? { tzid } : {}),
      ...(dates.length > 0 ? { recurrence: [`RDATE:${dates.join(',')}`, durationLine(end - start)] } : {}),
    },
    environments: [first.environment],
    services: first.services,
    freeze: false,
    sortKey: start,
  };
}
