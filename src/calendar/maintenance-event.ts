// A maintenance request as a feed event: summary, the description people read in their calendar,
// categories, link, status, alarm, and its times (one VEVENT with RRULE/EXDATE for a series).
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { formatDuration } from '../schedule/time.ts';
import { followableUrl } from '../format/url.ts';
import { clockChangeNotes } from './clock-changes.ts';
import type { FeedEvent, Repository } from './feed-event.ts';
import { durationLine, exdateLine, occurrenceExceptions, rruleLine } from './recurrence-lines.ts';
import { plainText, singleLine, truncate, uriValue } from './text.ts';
import { eventTzid, isAmbiguousLocal } from './zones.ts';

export interface RequestLinks {
  pr?: string;
  issue?: string;
  page?: string;
}

export interface MaintenanceContext {
  domain: string;
  /** Occurrences in here that start at a clock change get a note in the description. */
  window: Interval;
  repo?: Repository;
  sequence: number;
  links: RequestLinks;
  /** Seconds before the start for the alarm (policy.calendar.alarm); undefined for none. */
  alarmSeconds?: number;
}

/** Long descriptions are cut here: Google shows about 8 KB, and the feed is fetched by everyone. */
const MAX_DESCRIPTION = 4000;
const MAX_ROLLBACK = 300;

export function maintenanceSummary(
  request: Pick<MaintenanceRequest, 'title' | 'environment' | 'status'>,
): string {
  // Outlook ignores STATUS:CANCELLED and Google hides the event: the prefix is what people see.
  const prefix = request.status === 'cancelled' ? '[CANCELLED] ' : '';
  return `${prefix}[${request.environment.toUpperCase()}] Maintenance: ${singleLine(request.title)}`;
}

/** The first paragraph of the rollback plan, on one line. */
function rollbackSummary(rollback: string): string {
  const first =
    plainText(rollback)
      .trim()
      .split(/\n\s*\n/)[0] ?? '';
  return truncate(singleLine(first), MAX_ROLLBACK);
}

function contactsLine(request: MaintenanceRequest): string {
  const parts: string[] = [];
  if (request.contacts?.primary) parts.push(`primary ${singleLine(request.contacts.primary)}`);
  if (request.contacts?.secondary) parts.push(`secondary ${singleLine(request.contacts.secondary)}`);
  parts.push(`requester @${singleLine(request.requester)}`);
  return parts.join('; ');
}

export function maintenanceDescription(
  request: MaintenanceRequest,
  links: RequestLinks,
  notes: readonly string[] = [],
): string {
  const lines: string[] = [];
  if (request.status === 'cancelled') lines.push('CANCELLED: this maintenance will not take place.', '');
  lines.push(
    `Environment: ${request.environment}`,
    `Services: ${request.services.join(', ')}`,
    `Type: ${request.type}, ${request.category}${request.incident ? ` (incident ${singleLine(request.incident)})` : ''}`,
    `Impact: ${request.impact}`,
    `What users will notice: ${singleLine(request.impact_description)}`,
    `Duration: ${formatDuration(request.durationMs)}${request.series ? ' each time' : ''}`,
    `Contacts: ${contactsLine(request)}`,
    `Rollback plan: ${rollbackSummary(request.rollback)}`,
    ...notes,
    '',
    truncate(plainText(request.description).trim(), MAX_DESCRIPTION),
  );
  const references: string[] = [];
  const pr = followableUrl(links.pr, { mailto: true })?.href;
  const issue = followableUrl(links.issue, { mailto: true })?.href;
  const page = followableUrl(links.page, { mailto: true })?.href;
  if (pr) references.push(`Pull request: ${pr}`);
  if (issue) references.push(`Result issue: ${issue}`);
  if (page) references.push(`Schedule: ${page}`);
  for (const link of request.links ?? []) {
    const url = followableUrl(link.url, { mailto: true })?.href;
    if (url) references.push(`${singleLine(link.title)}: ${url}`);
  }
  if (references.length > 0) lines.push('', ...references);
  return lines.join('\n');
}

/** Where the request lives on GitHub, when its path is a plain relative path. */
function fileUrl(request: MaintenanceRequest, repo: Repository | undefined): string | undefined {
  if (!repo) return undefined;
  const path = request.file.split('\\').join('/');
  if (path.startsWith('/') || path.split('/').includes('..')) return undefined;
  const server = (repo.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const segments = [repo.owner, repo.name, 'blob', 'HEAD', ...path.replace(/^\.\//, '').split('/')];
  return `${server}/${segments.map(encodeURIComponent).join('/')}`;
}

export function maintenanceEvent(request: MaintenanceRequest, context: MaintenanceContext): FeedEvent {
  const cancelled = request.status === 'cancelled';
  let tzid = eventTzid(request.zone, request.series !== undefined);
  // A single event that starts or ends in the repeated hour of a fall-back is written in UTC, where
  // no reader can take the other reading. A series keeps its TZID; such occurrences become exceptions.
  if (
    tzid &&
    !request.series &&
    [request.startsAt, request.endsAt].some((t) => isAmbiguousLocal(t, request.zone))
  )
    tzid = undefined;
  const recurrence = request.series
    ? [rruleLine(request), exdateLine(request, tzid), durationLine(request.durationMs)].filter(
        (line) => line !== undefined,
      )
    : undefined;
  const exceptions = request.series ? occurrenceExceptions(request, context.window, tzid) : [];
  const url =
    uriValue(context.links.page) ??
    uriValue(context.links.issue) ??
    uriValue(context.links.pr) ??
    uriValue(fileUrl(request, context.repo));
  return {
    uid: `${request.id}@${context.domain}`,
    sequence: context.sequence,
    summary: maintenanceSummary(request),
    description: maintenanceDescription(request, context.links, clockChangeNotes(request, context.window)),
    categories: [
      'Maintenance',
      request.environment,
      request.category,
      `${request.impact} impact`,
      request.type,
    ],
    ...(url ? { url } : {}),
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    transparent: false,
    ...(context.alarmSeconds !== undefined && !cancelled ? { alarmSeconds: context.alarmSeconds } : {}),
    span: {
      kind: 'timed',
      start: request.startsAt,
      end: request.endsAt,
      ...(tzid ? { tzid } : {}),
      ...(recurrence ? { recurrence } : {}),
      ...(exceptions.length > 0 ? { exceptions } : {}),
    },
    environments: [request.environment],
    services: request.services,
    freeze: false,
    sortKey: request.startsAt,
  };
}
