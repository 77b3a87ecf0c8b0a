// Reads a schedule.json someone else published: a member's (for the hub) or the hub's (for a member's
// validation, and for the hub's next build). It is untrusted text: it must be JSON of the published
// schema's version 1, and each occurrence must belong to the repository it claims, keep names that can
// name feed files, and end after it starts; what does not is left out and counted, never trusted.
import { uidDomain } from '../calendar/feed-event.ts';
import { describeErrors } from '../model/schema-check.ts';
import { dataValidators } from '../model/schema-validators.ts';
import type { ScheduleDocument, ScheduledOccurrence } from '../publish/schedule-json.ts';
import { zoneFor } from '../schedule/time.ts';

const ENVIRONMENT = /^[a-z0-9][a-z0-9-]*$/;
const SERVICE = /^[a-z0-9][a-z0-9._-]*$/;
/** A schedule.json is about 1 KB an occurrence; this allows some 200,000 of them. */
export const MAX_SCHEDULE_BYTES = 256 * 1024 * 1024;

/** An occurrence placed in the repository it comes from. */
export type RepositoryOccurrence = ScheduledOccurrence & { repository: string };

export interface ScheduleRead {
  document: ScheduleDocument;
  occurrences: RepositoryOccurrence[];
  /** Occurrences left out, each with why. */
  dropped: string[];
}

/** The document as data, or why it cannot be used at all. */
export function readScheduleDocument(text: string): { document: ScheduleDocument } | { problem: string } {
  if (text.length > MAX_SCHEDULE_BYTES)
    return { problem: `schedule.json is over ${MAX_SCHEDULE_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      problem: `schedule.json is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const validate = dataValidators().schedule;
  if (!validate(value)) {
    const reasons = describeErrors(validate.errors ?? []).map((f) => f.message);
    return {
      problem: `schedule.json does not follow schema/schedule.schema.json (version 1): ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? ` (and ${reasons.length - 3} more)` : ''}`,
    };
  }
  return { document: value as ScheduleDocument };
}

function occurrenceProblem(occurrence: ScheduledOccurrence): string | undefined {
  if (!ENVIRONMENT.test(occurrence.environment))
    return `environment ${JSON.stringify(occurrence.environment)} is not a valid name`;
  const service = occurrence.services.find((s) => !SERVICE.test(s));
  if (service !== undefined) return `service ${JSON.stringify(service)} is not a valid name`;
  if (!zoneFor(occurrence.timezone)) return `time zone ${JSON.stringify(occurrence.timezone)} is unknown`;
  if (!(Date.parse(occurrence.end_utc) > Date.parse(occurrence.start_utc)))
    return 'it does not end after it starts';
  return undefined;
}

/** The occurrence with its repository, right after its id where a reader of a hub's file looks for it. */
export function inRepository(occurrence: ScheduledOccurrence, repository: string): RepositoryOccurrence {
  const { uid, id, repository: _claimed, ...rest } = occurrence;
  return { uid, id, repository, ...rest };
}

/**
 * A member's schedule.json: the document must be the member's own (its `repository`, when given, and
 * every UID's `@<owner>.<repo>.maint`), so no member can place work in another's name.
 */
export function readMemberSchedule(text: string, repository: string): ScheduleRead | { problem: string } {
  const read = readScheduleDocument(text);
  if ('problem' in read) return read;
  const { document } = read;
  if (document.repository !== null && document.repository.toLowerCase() !== repository.toLowerCase())
    return { problem: `schedule.json is the schedule of ${document.repository}, not of ${repository}` };
  const [owner = '', name = ''] = repository.split('/');
  const domain = `@${uidDomain({ owner, name })}`;
  const dropped: string[] = [];
  const seen = new Set<string>();
  const occurrences: RepositoryOccurrence[] = [];
  for (const occurrence of document.occurrences) {
    const label = `${occurrence.uid}${occurrence.recurrence_id ? ` at ${occurrence.recurrence_id}` : ''}`;
    const problem = !occurrence.uid.endsWith(domain)
      ? `its UID is not of ${repository} (…${domain})`
      : seen.has(`${occurrence.uid} ${occurrence.recurrence_id}`)
        ? 'it is listed twice'
        : occurrenceProblem(occurrence);
    if (problem !== undefined) {
      dropped.push(`${label}: ${problem}`);
      continue;
    }
    seen.add(`${occurrence.uid} ${occurrence.recurrence_id}`);
    occurrences.push(inRepository(occurrence, repository));
  }
  return { document, occurrences, dropped };
}

/**
 * A hub's schedule.json: every occurrence names its repository. The hub reads its own previous one
 * back (its members' last good data); a member's validation reads the hub's.
 */
export function readHubSchedule(text: string): ScheduleRead | { problem: string } {
  const read = readScheduleDocument(text);
  if ('problem' in read) return read;
  const dropped: string[] = [];
  const occurrences: RepositoryOccurrence[] = [];
  for (const occurrence of read.document.occurrences) {
    const problem =
      occurrence.repository === undefined ? 'it names no repository' : occurrenceProblem(occurrence);
    if (problem !== undefined) dropped.push(`${occurrence.uid}: ${problem}`);
    else occurrences.push(occurrence as RepositoryOccurrence);
  }
  return { document: read.document, occurrences, dropped };
}
