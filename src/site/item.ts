// One entry of the schedule page: a maintenance occurrence with everything a reader needs to judge it
// (when, impact, rollback, contacts, links, findings), or a change freeze.
import type { LocatedFinding, MaintenanceRequest } from '../model/types.ts';
import { describePeriod } from '../schedule/blackouts.ts';
import { HOUR, MINUTE, formatBoth, formatDay, formatDuration, isoUtc } from '../schedule/time.ts';
import { describeOccurrence } from '../schedule/windows.ts';
import { describeRecurrence } from '../format/validation.ts';
import { idToken, markup, safeUrl, withCode, type Markup } from './html.ts';
import type { FreezeEntry, Occurrence } from './timeline.ts';

export interface RequestLinks {
  pr?: string;
  issue?: string;
  /** The request file, when known as a link rather than from the site's repository. */
  file?: string;
}

export interface Repo {
  owner: string;
  name: string;
  /** Default https://github.com. */
  serverUrl?: string;
}

export interface ItemContext {
  findings: (request: MaintenanceRequest) => { errors: LocatedFinding[]; warnings: LocatedFinding[] };
  links: (id: string) => RequestLinks;
  repo?: Repo;
  /** The repository each request lives in, on a page over many (a hub's). */
  repositoryOf?: (request: MaintenanceRequest) => string | undefined;
}

const IMPACT_LABEL = { low: 'Low impact', medium: 'Medium impact', high: 'High impact' } as const;

function words(kebab: string): string {
  const text = kebab.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An HTML duration string for <time datetime>: PT3H, PT1H30M. */
export function isoDuration(ms: number): string {
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.round((ms % MINUTE) / 1000);
  const parts = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `PT${parts || '0S'}`;
}

/** `Sunday 24 January 2027, 04:00-07:00 CET (03:00-06:00 UTC)`, or both ends in full over midnight. */
export function describeSpan(occurrence: { start: number; end: number }, zone: string): string {
  const sameDay = formatDay(occurrence.start, zone) === formatDay(occurrence.end - 1, zone);
  return sameDay
    ? `${formatDay(occurrence.start, zone)}, ${describeOccurrence(occurrence, zone)}`
    : `${formatBoth(occurrence.start, zone)} until ${formatBoth(occurrence.end, zone)}`;
}

/** The request file on the forge, at the default branch. */
export function requestFileUrl(repo: Repo, file: string): string | undefined {
  const server = safeUrl(repo.serverUrl ?? 'https://github.com');
  if (!server) return undefined;
  const path = file
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  const base = server.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/blob/HEAD/${path}`;
}

function link(label: string, url: string | undefined, detail?: string): Markup | false {
  const href = safeUrl(url);
  if (href)
    return markup`<a href="${href}">${label}</a>${detail ? markup` <span class="hint">${detail}</span>` : ''}`;
  if (url === undefined) return false;
  return markup`${label} <span class="hint">(link not shown: not an http(s) address)</span>`;
}

function linksOf(request: MaintenanceRequest, context: ItemContext): Markup[] {
  const { pr, issue, file } = context.links(request.id);
  const items = [
    link('Pull request', pr),
    link('Result issue', issue),
    file !== undefined
      ? link('Request file', file, request.file)
      : context.repo
        ? link('Request file', requestFileUrl(context.repo, request.file), request.file)
        : false,
    ...(request.links ?? []).map((l) => link(l.title, l.url)),
  ];
  return items.filter((item): item is Markup => item !== false);
}

function fact(term: string, value: Markup | string | undefined, className = ''): Markup | false {
  if (value === undefined || value === '') return false;
  return markup`<div class="${`fact ${className}`.trim()}"><dt>${term}</dt><dd>${value}</dd></div>`;
}

/** Items of one line, separated by a middle dot that screen readers skip. */
function inline(items: Markup[]): Markup {
  return markup`<ul class="inline">${items.map((item) => markup`<li>${item}</li>`)}</ul>`;
}

function contactsOf(request: MaintenanceRequest): Markup | undefined {
  const rows: [string, string | undefined][] = [
    ['Primary', request.contacts?.primary],
    ['Secondary', request.contacts?.secondary],
    ['Requester', request.requester],
  ];
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
  if (present.length === 0) return undefined;
  return inline(present.map(([role, who]) => markup`<span class="hint">${role}:</span> ${who}`));
}

function findingsOf(request: MaintenanceRequest, context: ItemContext): Markup | false {
  const { errors, warnings } = context.findings(request);
  const all = [...errors, ...warnings];
  if (all.length === 0) return false;
  const isConflict = (f: LocatedFinding) => f.rule === 'conflict' || f.rule === 'concurrency';
  const row = (f: LocatedFinding) => {
    const label = `${f.severity === 'error' ? 'Error' : 'Warning'}${isConflict(f) ? ' (conflict)' : ''}`;
    return markup`<li class="${`finding finding-${f.severity}`}"><span class="finding-label">${label}</span> <span class="rule">${f.rule}</span> ${withCode(f.message)}</li>`;
  };
  const kinds = [
    all.some(isConflict) && 'conflicts',
    errors.some((f) => !isConflict(f)) && 'errors',
    warnings.some((f) => !isConflict(f)) && 'warnings',
  ].filter((kind): kind is string => kind !== false);
  const title = kinds.join(', ').replace(/, (?=[^,]*$)/, ' and ');
  return markup`<div class="${`findings${errors.length > 0 ? ' has-errors' : ''}`}">
<p class="findings-title">${title.charAt(0).toUpperCase() + title.slice(1)}</p>
<ul>${all.map(row)}</ul>
</div>`;
}

function badges(occurrence: Occurrence): Markup {
  const { request } = occurrence;
  const list: [string, string][] = [[`impact-${request.impact}`, IMPACT_LABEL[request.impact]]];
  if (request.type === 'emergency') list.push(['emergency', 'Emergency']);
  if (request.status === 'cancelled') list.push(['cancelled', 'Cancelled']);
  if (occurrence.phase === 'in-progress') list.push(['live', 'In progress']);
  if (occurrence.phase === 'past' && request.status !== 'cancelled') list.push(['past', 'Past']);
  if (request.series) list.push(['neutral', 'Repeats']);
  for (const freeze of occurrence.freezes) list.push(['freeze', `During change freeze: ${freeze.name}`]);
  const badge = ([kind, label]: [string, string], i: number) =>
    markup`${i > 0 ? ' ' : ''}<span class="${`badge ${kind}`}">${label}</span>`;
  return markup`<p class="badges">${list.map(badge)}</p>`;
}

export function occurrenceId(occurrence: Occurrence): string {
  return `m-${idToken(occurrence.request.id)}-${isoUtc(occurrence.start).replace(/[-:]/g, '').slice(0, 13)}`;
}

/** Justification, testing and risks: useful to a reviewer, folded away so the schedule stays scannable. */
function background(request: MaintenanceRequest): Markup | false {
  const rows: [string, string | undefined][] = [
    ['Justification', request.justification],
    ['Testing', request.testing],
    ['Risks', request.risks],
  ];
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
  if (present.length === 0) return false;
  const names = present.map(([term]) => term.toLowerCase()).join(', ');
  return markup`<details><summary>${names.charAt(0).toUpperCase() + names.slice(1)}</summary>
<dl class="details">${present.map(([term, text]) => fact(term, text, 'prose'))}</dl>
</details>`;
}

/**
 * A maintenance occurrence. `first` is the entry that already shows this series in full: later
 * occurrences keep what differs or matters at a glance (time, impact, findings) and point there.
 */
export function renderOccurrence(occurrence: Occurrence, context: ItemContext, first?: Occurrence): Markup {
  const { request } = occurrence;
  const id = occurrenceId(occurrence);
  const cancelled = request.status === 'cancelled';
  const classes = [
    'item',
    `impact-${request.impact}`,
    request.type === 'emergency' ? 'is-emergency' : '',
    cancelled ? 'is-cancelled' : '',
    occurrence.phase === 'past' ? 'is-past' : '',
  ].filter(Boolean);
  const title = cancelled
    ? markup`<s>${request.title}</s><span class="visually-hidden"> (cancelled)</span>`
    : request.title;
  const duration = occurrence.end - occurrence.start;
  const links = linksOf(request, context);
  const repository = context.repositoryOf?.(request);
  const details = first
    ? markup`<p class="same-as">Repeats the work of <a href="${`#${occurrenceId(first)}`}">${formatDay(first.start, request.zone)}</a>: description, rollback, contacts and links are given there.</p>`
    : markup`<dl class="details">
${fact('Repeats', describeRecurrence(request))}
${fact('Description', request.description, 'prose')}
${fact('Rollback', request.rollback, 'prose')}
${fact('Contacts', contactsOf(request))}
${links.length > 0 && fact('Links', inline(links))}
</dl>
${background(request)}`;
  return markup`<article class="${classes.join(' ')}" id="${id}" aria-labelledby="${`${id}-title`}" data-filter-item="maintenance" data-environments="${JSON.stringify([request.environment])}" data-services="${JSON.stringify(request.services)}"${repository !== undefined ? markup` data-repository="${repository}"` : ''}>
<div class="item-head">
<h4 class="item-title" id="${`${id}-title`}">${title}</h4>
${badges(occurrence)}
</div>
<p class="when"><time datetime="${isoUtc(occurrence.start)}">${describeSpan(occurrence, request.zone)}</time><span class="sep" aria-hidden="true"> &middot; </span><time datetime="${isoDuration(duration)}">${formatDuration(duration)}</time></p>
<dl class="summary">
${
  repository !== undefined &&
  markup`${fact('Repository', repository)}
`
}${fact('Environment', request.environment)}
${fact('Services', request.services.join(', '))}
${fact('Type', words(request.type))}
${fact('Category', words(request.category))}
${fact('Impact', words(request.impact))}
${fact('Incident', request.incident)}
</dl>
<p class="notice"><span class="notice-label">Users will notice:</span> ${request.impact_description}</p>
${details}
${findingsOf(request, context)}
</article>`;
}

export function renderFreeze(entry: FreezeEntry, zone: string): Markup {
  const { period } = entry;
  const environments = period.environments;
  const applies = environments === undefined ? 'all environments' : environments.join(', ');
  return markup`<div class="freeze-entry" data-filter-item="freeze" data-environments="${JSON.stringify(environments ?? [])}" data-services="[]">
<p class="freeze-title"><span class="badge freeze">Change freeze</span> <strong>${period.name}</strong>${entry.ongoing ? ' (in force)' : ''}</p>
<p><time datetime="${isoUtc(period.start)}">${describePeriod(period, zone)}</time><span class="sep" aria-hidden="true"> &middot; </span>${applies}</p>
${period.reason !== undefined && markup`<p class="hint">${period.reason}</p>`}
</div>`;
}
