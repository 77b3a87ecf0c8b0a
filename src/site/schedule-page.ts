// The schedule page (index.html of the published site): upcoming and recent maintenance by day,
// change freezes, filters, and the calendar feeds to subscribe to. Pure: data in, one HTML file out.
import type { LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { DAY, dateIn, formatBoth, formatDay, isoUtc } from '../schedule/time.ts';
import type { FileReport, ValidationReport } from '../schedule/validate.ts';
import { FILTER_SCRIPT, STYLESHEET } from './assets.ts';
import { renderChart } from './chart.ts';
import { buildChart } from './chart-layout.ts';
import { CHART_STYLESHEET } from './chart-style.ts';
import { contentSecurityPolicy } from './csp.ts';
import { markup, safeUrl, trusted, type Markup } from './html.ts';
import {
  describeSpan,
  occurrenceId,
  renderFreeze,
  renderOccurrence,
  type ItemContext,
  type Repo,
  type RequestLinks,
} from './item.ts';
import { feedLinks, renderSubscribe, type Feed } from './subscribe.ts';
import {
  RECENT_SERIES_SPAN_MS,
  UPCOMING_SPAN_MS,
  buildTimeline,
  type DayGroup,
  type Entry,
  type Occurrence,
  type Timeline,
} from './timeline.ts';

export type { Feed } from './subscribe.ts';
export type { Repo, RequestLinks } from './item.ts';

export interface SchedulePageInput {
  requests: MaintenanceRequest[];
  /** Findings per request (conflicts, warnings) shown on each entry. */
  report?: ValidationReport;
  policy: Policy;
  now: number;
  repo?: Repo;
  feeds: Feed[];
  /** The https URL the site is served at; without it feed links are relative and webcal is omitted. */
  baseUrl?: string;
  links?: (id: string) => RequestLinks;
  /** The JSON Schemas the site serves, linked from the footer for editors. */
  schemas?: { label: string; path: string }[];
  /** A page over many repositories (a hub's): each request's repository, shown and filtered on. */
  repositoryOf?: (request: MaintenanceRequest) => string | undefined;
  /** More sections after the overview, each linked from the navigation (a hub's conflicts). */
  sections?: { id: string; title: string; html: Markup }[];
}

const NO_FINDINGS = { errors: [] as LocatedFinding[], warnings: [] as LocatedFinding[] };

function findingsLookup(report: ValidationReport | undefined): ItemContext['findings'] {
  const byId = new Map<string, FileReport[]>();
  for (const file of report?.files ?? []) byId.set(file.id, [...(byId.get(file.id) ?? []), file]);
  return (request) => {
    const files = byId.get(request.id) ?? [];
    const file =
      files.find((f) => f.request === request) ?? files.find((f) => f.path === request.file) ?? files[0];
    return file ? { errors: file.errors, warnings: file.warnings } : NO_FINDINGS;
  };
}

function relativeDay(date: string, now: number, zone: string): string {
  const days = Math.round(
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${dateIn(now, zone)}T00:00:00Z`)) / DAY,
  );
  return days === 0 ? 'Today' : days === 1 ? 'Tomorrow' : days === -1 ? 'Yesterday' : '';
}

/** The first occurrence rendered of each request in a section: later ones point to it. */
type FirstShown = Map<MaintenanceRequest, Occurrence>;

function renderEntry(entry: Entry, context: ItemContext, zone: string, firstShown: FirstShown): Markup {
  if (entry.kind === 'freeze') return renderFreeze(entry, zone);
  const shown = firstShown.get(entry.request);
  if (!shown) firstShown.set(entry.request, entry);
  return renderOccurrence(entry, context, shown);
}

function renderDay(
  day: DayGroup,
  context: ItemContext,
  now: number,
  zone: string,
  first: FirstShown,
): Markup {
  const relative = relativeDay(day.date, now, zone);
  return markup`<div class="day" data-day="${day.date}">
<h3 class="day-heading"><time datetime="${day.date}">${formatDay(day.start, zone)}</time>${relative && markup` <span class="relative">${relative}</span>`}</h3>
<div class="entries">
${day.entries.map((entry) => renderEntry(entry, context, zone, first))}
</div>
</div>`;
}

interface TimelineSection {
  id: 'upcoming' | 'recent';
  title: string;
  intro: string;
  days: DayGroup[];
}

function renderTimeline(section: TimelineSection, context: ItemContext, now: number, zone: string): Markup {
  const { id, days } = section;
  const first: FirstShown = new Map();
  return markup`<section class="timeline" id="${id}" aria-labelledby="${`${id}-heading`}" data-timeline="${id}">
<h2 id="${`${id}-heading`}">${section.title}</h2>
<p class="section-intro">${section.intro}</p>
${days.length === 0 ? markup`<p class="empty">Nothing to show.</p>` : days.map((day) => renderDay(day, context, now, zone, first))}
<p class="empty" data-no-match hidden>No maintenance here matches the filters.</p>
</section>`;
}

function occurrencesIn(days: DayGroup[]): Occurrence[] {
  return days.flatMap((d) => d.entries).filter((e): e is Occurrence => e.kind === 'maintenance');
}

function renderSummary(timeline: Timeline, context: ItemContext, zone: string): Markup {
  const upcoming = occurrencesIn(timeline.upcoming);
  const scheduled = upcoming.filter((o) => o.request.status === 'scheduled');
  const soon = scheduled.filter((o) => o.start < timeline.upcomingUntil);
  const high = soon.filter((o) => o.request.impact === 'high');
  const attention = new Set(
    scheduled
      .filter((o) => {
        const f = context.findings(o.request);
        return f.errors.length + f.warnings.length > 0;
      })
      .map((o) => o.request.id),
  );
  const next = scheduled.find((o) => o.phase === 'upcoming');
  const weeks = Math.round(UPCOMING_SPAN_MS / (7 * DAY));
  const stat = (value: number, label: string) => markup`<li><strong>${value}</strong> ${label}</li>`;
  return markup`<section class="panel" id="overview" aria-labelledby="overview-heading">
<h2 id="overview-heading">At a glance</h2>
<ul class="stats">
${stat(soon.length, `scheduled in the next ${weeks} weeks`)}
${stat(high.length, 'of them high impact')}
${stat(attention.size, 'upcoming with conflicts or warnings')}
${stat(timeline.freezes.length, `change freezes in the next ${weeks} weeks`)}
</ul>
${next && markup`<p><strong>Next:</strong> <a href="${`#${occurrenceId(next)}`}">${next.request.title}</a>, <time datetime="${isoUtc(next.start)}">${describeSpan(next, next.request.zone)}</time></p>`}
<p class="legend">Impact is written on every entry and shown by its left border:
<span class="badge impact-low">Low impact</span> <span class="badge impact-medium">Medium impact</span>
<span class="badge impact-high">High impact</span>. Also marked: <span class="badge emergency">Emergency</span>
<span class="badge cancelled">Cancelled</span> <span class="badge freeze">Change freeze</span>.
Days are in ${zone} (the policy's time zone); each entry gives its own time zone and UTC.</p>
</section>`;
}

function renderFilters(timeline: Timeline, total: number, repositories: string[]): Markup {
  const option = (value: string) => markup`<option value="${value}">${value}</option>`;
  const byRepository =
    repositories.length > 0 &&
    markup`<div><label for="filter-repository">Repository</label>
<select id="filter-repository" name="repository"><option value="">All repositories</option>${repositories.map(option)}</select></div>
`;
  return markup`<section class="panel filters" id="filters" aria-labelledby="filters-heading" hidden>
<h2 id="filters-heading">Filter</h2>
<form id="filter-form" role="search" aria-label="Filter maintenance">
${byRepository}<div><label for="filter-environment">Environment</label>
<select id="filter-environment" name="environment"><option value="">All environments</option>${timeline.environments.map(option)}</select></div>
<div><label for="filter-service">Service</label>
<select id="filter-service" name="service"><option value="">All services</option>${timeline.services.map(option)}</select></div>
<div><button type="reset">Show all</button></div>
</form>
</section>
<p class="count" id="filter-count" role="status" aria-live="polite">Showing all ${total} ${total === 1 ? 'maintenance item' : 'maintenance items'}.</p>`;
}

export function renderSchedulePage(input: SchedulePageInput): string {
  const { policy, now } = input;
  const zone = policy.timezone;
  const timeline = buildTimeline(input.requests, policy, now);
  const context: ItemContext = {
    findings: findingsLookup(input.report),
    links: input.links ?? (() => ({})),
    ...(input.repo ? { repo: input.repo } : {}),
    ...(input.repositoryOf ? { repositoryOf: input.repositoryOf } : {}),
  };
  const repositories = input.repositoryOf
    ? [...new Set(input.requests.map(input.repositoryOf).filter((r): r is string => r !== undefined))].sort()
    : [];
  const sections = input.sections ?? [];
  const total = occurrencesIn(timeline.upcoming).length + occurrencesIn(timeline.recent).length;
  const retentionDays = Math.round(policy.calendar.keepAfterEndMs / DAY);
  const weeks = Math.round(UPCOMING_SPAN_MS / (7 * DAY));
  const repoUrl = input.repo ? repoHome(input.repo) : undefined;
  const title = `${policy.calendar.name}: schedule`;
  const alternates = input.feeds.map(
    (feed) =>
      markup`<link rel="alternate" type="text/calendar" title="${feed.label}" href="${feedLinks(feed, input.baseUrl).https}">`,
  );
  const repoLink =
    repoUrl && input.repo && markup`<a href="${repoUrl}">${input.repo.owner}/${input.repo.name}</a>`;
  const chart = renderChart(buildChart(timeline, policy, now), policy, now);
  // One stylesheet: the page's, the timeline's, and the timeline's positions (numbers only).
  const styles = `${STYLESHEET}${CHART_STYLESHEET}${chart.css}\n`;
  // The hashes in the CSP are of exactly the text placed between <style> and <script> tags below.
  const csp = contentSecurityPolicy({ styles: [styles], scripts: [FILTER_SCRIPT] });
  const page = markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<meta name="description" content="${policy.calendar.description}">
${alternates}
<style>${trusted(styles)}</style>
</head>
<body>
<a class="skip" href="#upcoming">Skip to the schedule</a>
<header class="site-header">
<div class="wrap">
<h1>${policy.calendar.name}</h1>
<p>Schedule as of <time datetime="${isoUtc(now)}">${formatBoth(now, zone)}</time>${repoLink && markup` &middot; from ${repoLink}`}</p>
</div>
</header>
<nav class="site-nav" aria-label="Sections">
<div class="wrap"><ul>
<li><a href="#overview">At a glance</a></li>
${sections.map(
  (section) => markup`<li><a href="${`#${section.id}`}">${section.title}</a></li>
`,
)}<li><a href="#timeline">Timeline</a></li>
<li><a href="#upcoming">Upcoming</a></li>
<li><a href="#recent">Recent</a></li>
<li><a href="#subscribe">Subscribe</a></li>
</ul></div>
</nav>
<main class="wrap">
${renderSummary(timeline, context, zone)}
${sections.map(
  (section) => markup`${section.html}
`,
)}${chart.html}
${renderFilters(timeline, total, repositories)}
${renderTimeline(
  {
    id: 'upcoming',
    title: 'Upcoming maintenance',
    intro: `Work in progress and everything scheduled; repeating work and change freezes for the next ${weeks} weeks.`,
    days: timeline.upcoming,
  },
  context,
  now,
  zone,
)}
${renderTimeline(
  {
    id: 'recent',
    title: 'Recent maintenance',
    intro: `Finished in the last ${retentionDays} days, newest first; repeating work shows its last ${Math.round(RECENT_SERIES_SPAN_MS / DAY)} days.`,
    days: timeline.recent,
  },
  context,
  now,
  zone,
)}
${renderSubscribe(input.feeds, input.baseUrl)}
</main>
<footer class="site-footer">
<div class="wrap"><p>Generated by maint from the request files${repoLink && markup` in ${repoLink}`} on <time datetime="${isoUtc(now)}">${formatBoth(now, zone)}</time>.
Changes are made by pull request; each entry links to its request file and result issue.</p>${renderSchemaLinks(input.schemas ?? [])}</div>
</footer>
<script>${trusted(FILTER_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}

function renderSchemaLinks(schemas: { label: string; path: string }[]): Markup | '' {
  if (schemas.length === 0) return '';
  const links = schemas.map(
    (s) => markup`<li><a href="${s.path}" type="application/schema+json">${s.label}</a></li>`,
  );
  return markup`
<p>JSON Schemas, for completion and checks in editors:</p>
<ul class="schemas">${links}</ul>`;
}

function repoHome(repo: Repo): string | undefined {
  const server = safeUrl(repo.serverUrl ?? 'https://github.com');
  if (!server) return undefined;
  return `${server.replace(/\/+$/, '')}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
}
