// A published occurrence seen as a request, for what is written for requests: the schedule page and
// its timeline, and the occurrence index conflicts are found with. It carries what schedule.json says
// (times, environment, services, impact, status); what it does not (description, rollback, contacts)
// is empty, and the page leaves empty facts out. Each occurrence of a series is its own one-off here:
// the id is the UID with the occurrence's start, unique across repositories.
import type { MaintenanceRequest } from '../model/types.ts';
import type { RepositoryOccurrence } from './schedule-input.ts';

/** The path of the request file inside its repository, from its link (`…/blob/<ref>/<path>`). */
export function requestPath(occurrence: RepositoryOccurrence): string {
  const url = occurrence.links.request_file;
  const match = url ? /\/blob\/[^/]+\/(.+)$/.exec(new URL(url).pathname) : null;
  return match ? decodeURIComponent(match[1]!) : `${occurrence.id}.yaml`;
}

export function occurrenceKey(occurrence: Pick<RepositoryOccurrence, 'uid' | 'recurrence_id'>): string {
  return occurrence.recurrence_id === null ? occurrence.uid : `${occurrence.uid}#${occurrence.recurrence_id}`;
}

export function asRequest(occurrence: RepositoryOccurrence): MaintenanceRequest {
  const startsAt = Date.parse(occurrence.start_utc);
  const endsAt = Date.parse(occurrence.end_utc);
  return {
    id: occurrenceKey(occurrence),
    file: requestPath(occurrence),
    title: occurrence.title,
    type: occurrence.type,
    category: occurrence.category,
    environment: occurrence.environment,
    services: occurrence.services,
    start: occurrence.start_local,
    timezone: occurrence.timezone,
    impact: occurrence.impact,
    impact_description: occurrence.impact_description,
    description: '',
    rollback: '',
    requester: '',
    status: occurrence.status,
    zone: occurrence.timezone,
    startsAt,
    endsAt,
    durationMs: endsAt - startsAt,
  };
}
