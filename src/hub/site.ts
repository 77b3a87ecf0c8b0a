// The hub's published site as data: the organisation's feeds (everything; per environment, service,
// team and repository; the hub policy's freezes), its schedule.json, the schedule page with a
// repository filter, the timeline, the members and the conflicts between repositories, the JSON
// Schemas, and the state the next build reads back. Pure and deterministic like a member's site.
import { uidDomain, type FeedEvent } from '../calendar/feed-event.ts';
import { byStart, renderFeedFileChunks, standardFeedFiles, type FeedFile } from '../calendar/feeds.ts';
import { freezeEvents } from '../calendar/freeze-event.ts';
import { publishedEvent } from '../calendar/published-event.ts';
import type { LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { BlackoutCalendar } from '../schedule/blackouts.ts';
import { DAY, formatDay, parseIsoDuration } from '../schedule/time.ts';
import { describeOccurrence } from '../schedule/windows.ts';
import type { FileReport, ValidationReport } from '../schedule/validate.ts';
import {
  buildScheduleDocument,
  SCHEDULE_JSON_PATH,
  type ScheduleDocument,
} from '../publish/schedule-json.ts';
import { SCHEMA_LINKS, SCHEMA_SITE_FOLDER, schemaSiteFiles } from '../publish/schema-files.ts';
import { markup, type Markup } from '../site/html.ts';
import { renderSchedulePage, type Feed } from '../site/schedule-page.ts';
import { UPCOMING_SPAN_MS } from '../site/timeline.ts';
import hubSchema from '../../schema/hub.schema.json' with { type: 'json' };
import type { ConflictParty, CrossRepositoryReport } from './conflicts.ts';
import { byUid, hubDocument } from './merge.ts';
import type { Member } from './members.ts';
import { asRequest, occurrenceKey } from './occurrence-request.ts';
import type { RepositoryOccurrence } from './schedule-input.ts';
import { HUB_STATE_PATH, renderHubState, type HubState } from './state.ts';
import { describeMember, type MemberReport } from './summary.ts';

export interface HubSiteInput {
  occurrences: readonly RepositoryOccurrence[];
  members: readonly Member[];
  reports: readonly MemberReport[];
  policy: Policy;
  now: number;
  hub: { owner: string; name: string; serverUrl?: string };
  /** https address the site is served from, for subscribe links. */
  baseUrl?: string;
  conflicts: CrossRepositoryReport;
  state: HubState;
}

/** Warnings listed on the page; every error is. */
const MAX_LISTED_ON_PAGE = 200;

/** `repo/<owner>/<name>.ics`: GitHub ignores case in names, so the path is lower case. */
export function repositoryFeedPath(repository: string): string {
  return `repo/${repository.toLowerCase()}.ics`;
}

function alarmSeconds(policy: Policy): number | undefined {
  if (policy.calendar.alarm === undefined) return undefined;
  const ms = parseIsoDuration(policy.calendar.alarm);
  return ms !== undefined && ms > 0 ? Math.round(ms / 1000) : undefined;
}

function feedFiles(input: HubSiteInput): FeedFile[] {
  const { policy, now } = input;
  const teamsOf = new Map(input.members.map((m) => [m.key, m.teams]));
  const alarm = alarmSeconds(policy);
  const repositoryOf = new Map<FeedEvent, string>();
  const maintenance = [...byUid(input.occurrences).values()]
    .map((group) => {
      const repository = group[0]!.repository;
      const event = publishedEvent(group, {
        repository,
        teams: teamsOf.get(repository.toLowerCase()) ?? [],
        sequence: input.state.sequences[group[0]!.uid]?.[0] ?? 0,
        ...(alarm !== undefined ? { alarmSeconds: alarm } : {}),
      });
      repositoryOf.set(event, repository.toLowerCase());
      return event;
    })
    .sort(byStart);
  const window = { start: now - policy.calendar.keepAfterEndMs, end: now + policy.horizonMs };
  const periods = new BlackoutCalendar(policy).between(window.start, window.end);
  const freezes = freezeEvents(periods, policy, uidDomain(input.hub)).sort(byStart);

  const environments = new Set(Object.keys(policy.environments));
  const services = new Set<string>();
  for (const o of input.occurrences) {
    environments.add(o.environment);
    for (const service of o.services) services.add(service);
  }
  const files = standardFeedFiles(policy, maintenance, freezes, environments, services);
  const name = policy.calendar.name;
  const about = policy.calendar.description || name;
  const byRepository = new Map<string, FeedEvent[]>();
  for (const event of maintenance) {
    const key = repositoryOf.get(event)!;
    const list = byRepository.get(key);
    if (list) list.push(event);
    else byRepository.set(key, [event]);
  }
  // Team and repository feeds exist for every one configured, even when empty for now.
  const teams = [...new Set(input.members.flatMap((m) => m.teams))].sort();
  for (const team of teams) {
    const keys = new Set(input.members.filter((m) => m.teams.includes(team)).map((m) => m.key));
    files.push({
      path: `team/${team}.ics`,
      name: `${name}: team ${team}`,
      description: `${about} (team ${team})`,
      events: maintenance.filter((event) => keys.has(repositoryOf.get(event)!)),
    });
  }
  for (const member of [...input.members].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    files.push({
      path: repositoryFeedPath(member.repository),
      name: `${name}: ${member.repository}`,
      description: `${about} (repository ${member.repository})`,
      events: byRepository.get(member.key) ?? [],
    });
  }
  return files;
}

function feedLabel(path: string, members: readonly Member[]): string {
  if (path === 'maintenance.ics') return 'All maintenance';
  if (path === 'freezes.ics') return 'Change freezes';
  const [kind = '', ...rest] = path.replace(/\.ics$/, '').split('/');
  const name = rest.join('/');
  if (kind === 'repo') return `Repository: ${members.find((m) => m.key === name)?.repository ?? name}`;
  return `${{ env: 'Environment', service: 'Service', team: 'Team' }[kind] ?? kind}: ${name}`;
}

function partyMarkup(p: ConflictParty): Markup {
  const href = p.links.pull_request ?? p.links.request_file;
  const id = href ? markup`<a href="${href}"><code>${p.id}</code></a>` : markup`<code>${p.id}</code>`;
  return markup`${p.repository} ${id} (${p.title})`;
}

function conflictsSection(report: CrossRepositoryReport): Markup {
  // Every error, then warnings (which can be countless in a large organisation) up to a number.
  const listed = [
    ...report.conflicts.filter((c) => c.severity === 'error'),
    ...report.conflicts.filter((c) => c.severity === 'warning').slice(0, MAX_LISTED_ON_PAGE),
  ];
  const rows = listed.map((c) => {
    const where =
      c.sharedServices.length > 0 ? `${c.environment}/${c.sharedServices.join(', ')}` : c.environment;
    const when = `${formatDay(c.at.start, c.a.timezone)}, ${describeOccurrence(c.at, c.a.timezone)}`;
    return markup`<li class="${`finding finding-${c.severity}`}"><span class="finding-label">${c.severity === 'error' ? 'Error' : 'Warning'}</span> ${where}: ${partyMarkup(c.a)} and ${partyMarkup(c.b)}, <time datetime="${new Date(c.at.start).toISOString()}">${when}</time>${c.count > 1 ? ` (${c.count} overlapping occurrences)` : ''}</li>`;
  });
  const peaks = report.excesses.map(
    (e) =>
      markup`<li class="finding finding-error"><span class="finding-label">Error</span> ${e.running.length} at once in ${e.environment} (the policy allows ${e.limit}): ${e.running.map((p, i) => markup`${i > 0 ? ', ' : ''}${partyMarkup(p)}`)}</li>`,
  );
  const more = report.conflicts.length - listed.length + report.unlistedWarnings;
  return markup`<section class="panel" id="conflicts" aria-labelledby="conflicts-heading">
<h2 id="conflicts-heading">Conflicts between repositories</h2>
${
  rows.length + peaks.length === 0
    ? markup`<p>None: no two repositories' work to come overlaps on a shared service or environment.</p>`
    : markup`<div class="findings"><ul>${rows}${peaks}</ul></div>${more > 0 ? markup`<p>And ${more} more overlaps of work on different services, not listed.</p>` : ''}`
}
</section>`;
}

function membersSection(reports: readonly MemberReport[]): Markup {
  const rows = reports.map(
    (m) =>
      markup`<li><strong>${m.repository}</strong>${m.teams.length > 0 ? ` (team ${m.teams.join(', ')})` : ''}: ${m.occurrences} occurrences; ${describeMember(m).replace(/\*\*/g, '')}</li>`,
  );
  return markup`<section class="panel" id="repositories" aria-labelledby="repositories-heading">
<h2 id="repositories-heading">Repositories</h2>
<p>This page lists their work from ${PAGE_PAST_MS / DAY} days ago to ${Math.round(PAGE_AHEAD_MS / DAY / 7)} weeks ahead; the calendar feeds and schedule.json hold all of it.</p>
<ul>${rows}</ul>
</section>`;
}

/** The conflicts as the findings of the entries they are about, for the page to show on each. */
function conflictReport(
  report: CrossRepositoryReport,
  requests: Map<string, MaintenanceRequest>,
): ValidationReport {
  const files = new Map<string, FileReport>();
  const add = (key: string, finding: LocatedFinding) => {
    const request = requests.get(key);
    if (!request) return;
    let file = files.get(key);
    if (!file)
      files.set(
        key,
        (file = { path: request.file, id: key, request, errors: [], warnings: [], history: false }),
      );
    (finding.severity === 'error' ? file.errors : file.warnings).push(finding);
  };
  for (const c of report.conflicts) {
    const where =
      c.sharedServices.length > 0
        ? `on ${c.environment}/${c.sharedServices.join(', ')}`
        : `in ${c.environment}`;
    for (const [other, key] of [
      [c.b, c.first[0]],
      [c.a, c.first[1]],
    ] as const) {
      add(key, {
        rule: 'conflict',
        severity: c.severity,
        message: `overlaps \`${other.id}\` of ${other.repository} ("${other.title}") ${where}`,
        line: 1,
        column: 1,
      });
    }
  }
  const list = [...files.values()];
  return {
    files: list,
    summary: {
      files: list.length,
      errors: list.reduce((n, f) => n + f.errors.length, 0),
      warnings: list.reduce((n, f) => n + f.warnings.length, 0),
    },
  };
}

/** The page lists work from this long ago ... */
export const PAGE_PAST_MS = 14 * DAY;
/** ... to as far ahead as the timeline shows; the feeds and schedule.json hold all of it. */
export const PAGE_AHEAD_MS = UPCOMING_SPAN_MS;

/**
 * schedule.json in pieces, exactly as JSON.stringify(document, null, 2) and a newline write it: the
 * document around its occurrences, and each occurrence indented as it would be inside it.
 */
export function* scheduleJsonPieces(document: ScheduleDocument): Generator<string> {
  const marker = '\n  "occurrences": 0';
  const [before, after] = JSON.stringify({ ...document, occurrences: 0 }, null, 2).split(marker) as [
    string,
    string,
  ];
  yield before;
  if (document.occurrences.length === 0) yield '\n  "occurrences": []';
  else {
    yield '\n  "occurrences": [\n';
    for (const [i, occurrence] of document.occurrences.entries())
      yield `${i > 0 ? ',\n' : ''}    ${JSON.stringify(occurrence, null, 2).replace(/\n/g, '\n    ')}`;
    yield '\n  ]';
  }
  yield after;
  yield '\n';
}

/**
 * The site's files one at a time, so that the feeds of a large organisation (hundreds of megabytes of
 * text) are written as they are made rather than held together.
 */
export function* hubSiteFiles(input: HubSiteInput): Generator<[string, string | Iterable<string>]> {
  const { policy, now } = input;
  let feeds: FeedFile[] | undefined = feedFiles(input);
  const feedList: Feed[] = feeds.map((file) => ({
    label: feedLabel(file.path, input.members),
    path: file.path,
  }));
  for (const file of feeds) yield [file.path, renderFeedFileChunks(policy, file)];
  // The events and their rendered text can go before the rest is made.
  feeds = undefined;

  const base = buildScheduleDocument({ requests: [], policy, now, repo: input.hub });
  yield [SCHEDULE_JSON_PATH, scheduleJsonPieces(hubDocument(base, input.occurrences))];

  const requests = new Map<string, MaintenanceRequest>();
  const occurrenceOf = new Map<MaintenanceRequest, RepositoryOccurrence>();
  for (const occurrence of input.occurrences) {
    if (
      Date.parse(occurrence.end_utc) <= now - PAGE_PAST_MS ||
      Date.parse(occurrence.start_utc) >= now + PAGE_AHEAD_MS
    )
      continue;
    const request = asRequest(occurrence);
    requests.set(occurrenceKey(occurrence), request);
    occurrenceOf.set(request, occurrence);
  }
  yield [
    'index.html',
    renderSchedulePage({
      requests: [...requests.values()],
      report: conflictReport(input.conflicts, requests),
      policy,
      now,
      repo: input.hub,
      feeds: feedList,
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
      links: (id) => {
        const request = requests.get(id);
        const links = request ? occurrenceOf.get(request)?.links : undefined;
        return {
          ...(links?.pull_request ? { pr: links.pull_request } : {}),
          ...(links?.result_issue ? { issue: links.result_issue } : {}),
          ...(links?.request_file ? { file: links.request_file } : {}),
        };
      },
      schemas: [
        ...SCHEMA_LINKS,
        { label: 'the hub (.github/maint-hub.yaml)', path: `${SCHEMA_SITE_FOLDER}/hub.schema.json` },
      ],
      repositoryOf: (request) => occurrenceOf.get(request)?.repository,
      sections: [
        { id: 'conflicts', title: 'Conflicts', html: conflictsSection(input.conflicts) },
        { id: 'repositories', title: 'Repositories', html: membersSection(input.reports) },
      ],
    }),
  ];
  yield* schemaSiteFiles();
  yield [`${SCHEMA_SITE_FOLDER}/hub.schema.json`, `${JSON.stringify(hubSchema, null, 2)}\n`];
  yield [HUB_STATE_PATH, renderHubState(input.state)];
}

/** The whole site in memory (for tests and small hubs). */
export function buildHubSite(input: HubSiteInput): Map<string, string> {
  return new Map(
    [...hubSiteFiles(input)].map(([path, text]) => [
      path,
      typeof text === 'string' ? text : [...text].join(''),
    ]),
  );
}
