// A member's requests against the other repositories' work in its hub's schedule.json: overlapping
// work on a shared service of the same environment (the policy's `same_service` severity), on other
// services of it (`same_environment`), and more work at once than the environment's `max_concurrent`
// counting the other repositories' (the repository's own requests are checked by the usual rules, from
// fresher data than the hub's). Each finding names the other repository, its request and its pull
// request. Pure: the hub's occurrences are passed in.
import type { Finding, Interval, MaintenanceRequest, Policy } from '../model/types.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { formatBoth, formatDay } from '../schedule/time.ts';
import { describeOccurrence } from '../schedule/windows.ts';
import { upcomingIndex } from './conflicts.ts';
import type { RepositoryOccurrence } from './schedule-input.ts';

export interface CrossCheckInput {
  /** The requests to check (a pull request's changed files). */
  requests: readonly MaintenanceRequest[];
  /** The hub's occurrences, every repository's. */
  hub: readonly RepositoryOccurrence[];
  /** owner/name of the repository the requests live in. */
  repository: string;
  policy: Policy;
  now: number;
}

/** `` `db-upgrade` of acme/payments ("Database upgrade", https://github.com/acme/payments/pull/7) `` */
export function describeOther(occurrence: RepositoryOccurrence): string {
  const where = occurrence.links.pull_request ?? occurrence.links.request_file;
  return `\`${occurrence.id}\` of ${occurrence.repository} ("${occurrence.title}"${where ? `, ${where}` : ''})`;
}

function occurrencesOf(request: MaintenanceRequest, policy: Policy, now: number): Interval[] {
  if (!request.series) return request.endsAt > now ? [{ start: request.startsAt, end: request.endsAt }] : [];
  return occurrencesBetween(request, now, Math.max(now, request.startsAt) + policy.horizonMs);
}

/** The most of the others running at one moment inside [from, to), and who they are then. */
function peakWithin(others: readonly (Interval & { who: RepositoryOccurrence })[], from: number, to: number) {
  const edges = others.flatMap((o) => [
    { at: Math.max(o.start, from), delta: 1, who: o.who },
    { at: Math.min(o.end, to), delta: -1, who: o.who },
  ]);
  // Ends before starts at the same instant: back-to-back work is not concurrent.
  edges.sort((x, y) => x.at - y.at || x.delta - y.delta);
  const running = new Map<string, RepositoryOccurrence>();
  const counts = new Map<string, number>();
  let best = { at: from, running: [] as RepositoryOccurrence[] };
  for (const edge of edges) {
    const n = (counts.get(edge.who.uid) ?? 0) + edge.delta;
    counts.set(edge.who.uid, n);
    if (n > 0) running.set(edge.who.uid, edge.who);
    else running.delete(edge.who.uid);
    if (running.size > best.running.length) best = { at: edge.at, running: [...running.values()] };
  }
  return best;
}

/** Findings per request (requests without any are absent). */
export function crossRepositoryFindings(input: CrossCheckInput): Map<MaintenanceRequest, Finding[]> {
  const { policy, now } = input;
  const self = input.repository.toLowerCase();
  const { index, byId } = upcomingIndex(input.hub, now, (o) => o.repository.toLowerCase() !== self);
  const found = new Map<MaintenanceRequest, Finding[]>();
  for (const request of input.requests) {
    const environment = policy.environments[request.environment];
    if (request.status !== 'scheduled' || !environment) continue;
    const findings: Finding[] = [];
    const overlaps = new Map<string, { other: RepositoryOccurrence; at: Interval; count: number }>();
    let peak: { at: number; running: RepositoryOccurrence[] } | undefined;
    for (const occurrence of occurrencesOf(request, policy, now)) {
      const items = index.overlapping(request.environment, occurrence.start, occurrence.end);
      const others = items.map((item) => ({
        start: item.start,
        end: item.end,
        who: byId.get(item.request.id)!,
      }));
      for (const { start, end, who } of others) {
        const known = overlaps.get(who.uid);
        if (known) known.count++;
        else
          overlaps.set(who.uid, {
            other: who,
            at: { start: Math.max(start, occurrence.start), end: Math.min(end, occurrence.end) },
            count: 1,
          });
      }
      const limit = environment.maxConcurrent;
      if (limit !== undefined && peak === undefined && others.length >= limit) {
        const busiest = peakWithin(others, occurrence.start, occurrence.end);
        if (busiest.running.length + 1 > limit) peak = busiest;
      }
    }
    const { sameService, sameEnvironment } = policy.conflicts;
    for (const { other, at, count } of overlaps.values()) {
      const theirs = new Set(other.services);
      const shared = request.services.filter((s) => theirs.has(s));
      const when = `${formatDay(at.start, request.zone)}, ${describeOccurrence(at, request.zone)}`;
      const times = count > 1 ? ` (${count} overlapping occurrences)` : '';
      if (shared.length > 0) {
        findings.push({
          rule: 'conflict',
          severity: sameService,
          message: `overlaps ${describeOther(other)} on ${request.environment}/${shared.join(', ')} on ${when}${times}, in the hub's schedule: two changes to one shared service at once make failures impossible to attribute; move one of them with that repository's owners`,
          path: ['services'],
        });
      } else if (sameEnvironment !== 'off') {
        findings.push({
          rule: 'conflict',
          severity: sameEnvironment,
          message: `runs at the same time as ${describeOther(other)} in ${request.environment} (services ${other.services.join(', ')}) on ${when}${times}, in the hub's schedule; check they do not depend on each other`,
          path: ['start'],
        });
      }
    }
    if (peak) {
      findings.push({
        rule: 'concurrency',
        severity: 'error',
        message: `${peak.running.length + 1} maintenances would run at once in ${request.environment} at ${formatBoth(peak.at, request.zone)} counting other repositories' work in the hub's schedule (the policy allows ${environment.maxConcurrent}): this one and ${peak.running.map(describeOther).join(', ')}; move one of them`,
        path: ['start'],
      });
    }
    if (findings.length > 0) found.set(request, findings);
  }
  return found;
}
