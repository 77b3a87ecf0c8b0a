// The result issue of one maintenance occurrence: its title, labels and body, regenerated from the
// request and the recorded state (so any run can rewrite it), with the state marker at the end. The
// body is rendered from `issue/result.markdown.hbs`; execution output goes to comments instead.
import { actualTimes } from '../lifecycle/apply.ts';
import { checklistFor } from '../lifecycle/checklists.ts';
import { encodeStateMarker } from '../lifecycle/marker.ts';
import { REVIEW_LABEL, REVIEW_REMINDERS, reasonsText, reminderMoment } from '../lifecycle/review.ts';
import { isManual } from '../lifecycle/work.ts';
import { isReviewPending, type OccurrenceState } from '../lifecycle/state.ts';
import type { Interval, MaintenanceRequest } from '../model/types.ts';
import { renderTemplate } from '../notices/compile.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import { dateIn, formatBoth, formatDuration } from '../schedule/time.ts';

export const RESULT_LABEL = 'maintenance';
export const RESULT_TEMPLATE = 'issue/result.markdown.hbs';
/** GitHub refuses issue bodies over 65,536 characters. */
const BODY_LIMIT = 65_000;

const STATE_NAMES: Record<OccurrenceState['state'], string> = {
  scheduled: 'Scheduled',
  announced: 'Announced',
  reminded: 'Announced (reminders sent)',
  'in-progress': 'In progress',
  completed: 'Completed',
  failed: 'Failed',
  'rolled-back': 'Rolled back',
  cancelled: 'Cancelled',
  missed: 'Missed (the window closed before it could start)',
};

/** Titles are plain text; keep them on one line and within GitHub's limit. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function resultTitle(request: MaintenanceRequest, occurrence: Interval): string {
  const title = `[${request.environment.toUpperCase()}] Maintenance: ${oneLine(request.title)} (${dateIn(occurrence.start, request.zone)})`;
  return title.length > 250 ? `${title.slice(0, 249)}…` : title;
}

export function resultLabels(request: MaintenanceRequest, state: OccurrenceState): string[] {
  return [
    RESULT_LABEL,
    `maintenance:${state.state}`,
    `env:${request.environment}`,
    `impact:${request.impact}`,
    ...(isReviewPending(state) ? [REVIEW_LABEL] : []),
  ];
}

/** The review's line in the issue body: due (why, by when), done, or none. */
function reviewLine(request: MaintenanceRequest, state: OccurrenceState): string | undefined {
  const review = state.review;
  if (!review) return undefined;
  if (review.done)
    return `done ${formatBoth(Date.parse(review.done.at), request.zone)}, by ${review.done.by}${actionItems(review)}`;
  if (review.due.length === 0) return 'not required (the report is in the comments)';
  const formal = REVIEW_REMINDERS.at(-1)!;
  return `due (${reasonsText(review)}): the immediate review by ${formatBoth(reminderMoment(review, REVIEW_REMINDERS[0]!), request.zone)}, the formal review by ${formatBoth(reminderMoment(review, formal), request.zone)}; the report is in the comments`;
}

function actionItems(review: NonNullable<OccurrenceState['review']>): string {
  const a = review.actions;
  if (!a || a.open + a.done === 0) return '';
  const total = a.open + a.done;
  return `; ${total} action item${total === 1 ? '' : 's'}, ${a.done} done`;
}

export interface ResultLinks {
  requestFile?: string;
  pullRequest?: string;
  run?: string;
}

export { isManual };

/** Planned against actual start, end and duration: the table of the result issue and of the review. */
export function plannedAgainstActual(
  zone: string,
  planned: { start: number; end: number; durationMs: number },
  actual: { start?: number; end?: number },
  actualDuration: string,
) {
  const at = (ms: number | undefined) => (ms !== undefined ? formatBoth(ms, zone) : '-');
  return [
    { what: 'Start', planned: formatBoth(planned.start, zone), actual: at(actual.start) },
    { what: 'End', planned: formatBoth(planned.end, zone), actual: at(actual.end) },
    { what: 'Duration', planned: formatDuration(planned.durationMs), actual: actualDuration },
  ];
}

export function resultView(
  request: MaintenanceRequest,
  occurrence: Interval,
  state: OccurrenceState,
  links: ResultLinks,
) {
  const actual = actualTimes(state);
  const planned = occurrence.end - occurrence.start;
  const ran = actual.start !== undefined && actual.end !== undefined ? actual.end - actual.start : undefined;
  const overrun =
    ran !== undefined && ran > planned ? `, ${formatDuration(ran - planned)} over the estimate` : '';
  const step = (s: { name: string; run?: string; workflow?: string }) => ({
    name: s.name,
    how: s.run !== undefined ? 'shell command' : `workflow ${s.workflow ?? ''}`,
  });
  const manual = isManual(request);
  const provenance = state.provenance;
  return {
    heading: `[${request.environment.toUpperCase()}] Maintenance: ${request.title}`,
    status: STATE_NAMES[state.state],
    environment: request.environment,
    approval:
      provenance?.ok === true
        ? `pull request ${provenance.pull}, merged as ${provenance.sha.slice(0, 7)}`
        : undefined,
    notAllowed: provenance?.ok === false && !manual ? provenance.reason : undefined,
    review: reviewLine(request, state),
    id: request.id,
    when: formatBoth(occurrence.start, request.zone),
    duration: formatDuration(planned),
    where: `${request.environment}: ${request.services.join(', ')}`,
    what: `${request.type} ${request.category}, ${request.impact} impact`,
    notice: request.impact_description,
    requester: request.requester,
    contacts: [request.contacts?.primary, request.contacts?.secondary]
      .filter((c): c is string => !!c)
      .join('; '),
    description: request.description,
    rollback: request.rollback,
    timeline: plannedAgainstActual(
      request.zone,
      { ...occurrence, durationMs: planned },
      actual,
      ran !== undefined ? `${formatDuration(ran)}${overrun}` : '-',
    ),
    manual,
    checksBefore: (request.checks?.before ?? []).map((c) => ({ name: c.name })),
    steps: (request.steps ?? []).map(step),
    checksAfter: (request.checks?.after ?? []).map((c) => ({ name: c.name })),
    rollbackSteps: (request.rollback_steps ?? []).map(step),
    checklist: manual ? checklistFor(request.category, request.type === 'emergency') : [],
    links: [
      ...(links.requestFile ? [{ title: 'Request file', url: links.requestFile }] : []),
      ...(links.pullRequest ? [{ title: 'Pull request', url: links.pullRequest }] : []),
      ...(links.run ? [{ title: 'Last workflow run', url: links.run }] : []),
    ],
    log: (state.log ?? []).map((entry) => ({ at: entry.at, action: entry.action, note: entry.note ?? '' })),
  };
}

export function resultBody(
  templates: TemplateSource,
  key: string,
  request: MaintenanceRequest,
  occurrence: Interval,
  state: OccurrenceState,
  links: ResultLinks,
): string {
  const marker = encodeStateMarker(key, state);
  let text = renderTemplate(
    templates,
    'markdown',
    RESULT_TEMPLATE,
    resultView(request, occurrence, state, links),
  ).trim();
  const room = BODY_LIMIT - marker.length - 200;
  if (text.length > room) text = `${text.slice(0, room)}\n\n… (shortened to fit GitHub's limit)`;
  return `${text}\n\n${marker}\n`;
}
