// The review report of the runbooks, posted on the result issue when a maintenance ends: its details
// (planned against actual start, end and duration, the overrun), each check and step with its result,
// the rollback, the alert silences, the notices sent (and on which channels), the links, and the parts
// only people know (impact observed, lessons learned, action items) left as fields to fill in.
// Rendered from `issue/review.markdown.hbs`, which a repository may override like the others.
import { itemLabel, itemRef, type Phase } from '../execute/report.ts';
import { actualTimes } from '../lifecycle/apply.ts';
import { leadAdjective } from '../lifecycle/describe.ts';
import { noticeOf } from '../lifecycle/notices-due.ts';
import { REVIEW_REMINDERS, reasonsText, reminderMoment } from '../lifecycle/review.ts';
import type { OccurrenceState } from '../lifecycle/state.ts';
import type { Timeline } from '../lifecycle/timeline.ts';
import { isManual } from '../lifecycle/work.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { renderTemplate } from '../notices/compile.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import { formatBoth, formatDuration } from '../schedule/time.ts';
import { plannedAgainstActual, type ResultLinks } from './result-issue.ts';

export const REVIEW_TEMPLATE = 'issue/review.markdown.hbs';

const OUTCOMES: Partial<Record<OccurrenceState['state'], string>> = {
  completed: 'Completed',
  failed: 'Failed',
  'rolled-back': 'Rolled back',
  missed: 'Missed (it never started)',
};

const RESULTS: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  skipped: '➖ not run',
  'stopped-at-deadline': '⛔ stopped at the window end',
};

const CHANNELS: Record<string, string> = {
  slack: 'Slack',
  teams: 'Teams',
  statuspage: 'Statuspage',
  email: 'e-mail',
};

/** The late start, the overrun, the rollback, a failure, skipped reminders: how it strayed from the plan. */
function deviations(request: MaintenanceRequest, timeline: Timeline, state: OccurrenceState): string[] {
  const out: string[] = [];
  const actual = actualTimes(state);
  const note = (action: string) => state.log?.findLast((e) => e.action === action)?.note;
  if (actual.start !== undefined && actual.start - timeline.start >= 60_000)
    out.push(`Started ${formatDuration(actual.start - timeline.start)} after its planned start.`);
  if (actual.start !== undefined && actual.end !== undefined) {
    const ran = actual.end - actual.start;
    if (ran > timeline.durationMs)
      out.push(
        `Ran ${formatDuration(ran)}, ${formatDuration(ran - timeline.durationMs)} over its ${formatDuration(timeline.durationMs)} estimate.`,
      );
  }
  if (state.done.includes('stop')) out.push(`Still running at its hard limit: ${note('stop') ?? 'stopped'}`);
  if (state.state === 'rolled-back')
    out.push(`Rolled back: ${note('rollback') || 'see the execution report'}`);
  if (state.state === 'failed') out.push(`Failed: ${note('fail') || 'see the execution report'}`);
  if (state.state === 'missed') out.push(`Never started: ${note('miss') || 'its window closed'}`);
  for (const entry of state.log ?? [])
    if (entry.action.startsWith('skip:remind:'))
      out.push(
        `The ${leadAdjective(entry.action.slice('skip:remind:'.length))} reminder was not sent: ${entry.note ?? 'skipped'}`,
      );
  if (state.provenance?.ok === false && !isManual(request))
    out.push(`Its checks and steps were not allowed to run: ${state.provenance.reason}`);
  return out.map((line) => (/[.!?]$/.test(line) ? line : `${line}.`));
}

/** Every check and step the request planned (and the checks again after a rollback, when they ran), with its result. */
function items(request: MaintenanceRequest, state: OccurrenceState) {
  const lists: [Phase, { name: string }[]][] = [
    ['pre-check', request.checks?.before ?? []],
    ['step', request.steps ?? []],
    ['post-check', request.checks?.after ?? []],
    ['rollback', request.rollback_steps ?? []],
    ['post-check-after-rollback', request.checks?.after ?? []],
  ];
  const begun = new Set(state.begun ?? []);
  return lists.flatMap(([phase, list]) =>
    list.flatMap((item, index) => {
      const ref = itemRef(phase, index, item.name);
      const result = state.results?.[ref.key];
      if (phase === 'post-check-after-rollback' && result === undefined && !begun.has(ref.key)) return [];
      return [
        {
          item: itemLabel(ref),
          result:
            result !== undefined
              ? RESULTS[result]!
              : begun.has(ref.key)
                ? 'begun; no result reported'
                : phase === 'rollback'
                  ? '➖ not needed'
                  : '➖ not run',
        },
      ];
    }),
  );
}

/** The notices sent, with when and where: the result issue always, the other channels as they took them. */
function notices(request: MaintenanceRequest, state: OccurrenceState) {
  return (state.log ?? [])
    .filter((entry) => noticeOf(entry.action, request) !== undefined)
    .map((entry) => {
      const others = Object.entries(state.delivery ?? {})
        .filter(([, sent]) => sent[entry.action] !== undefined)
        .map(([channel, sent]) =>
          sent[entry.action] === 'sent'
            ? (CHANNELS[channel] ?? channel)
            : `${CHANNELS[channel] ?? channel} (failed)`,
        );
      return {
        what: noticeOf(entry.action, request)!.replace(/-/g, ' '),
        at: formatBoth(Date.parse(entry.at), request.zone),
        channels: ['result issue', ...others].join(', '),
      };
    });
}

function silences(request: MaintenanceRequest, state: OccurrenceState) {
  const at = (action: string) => {
    const entry = state.log?.find((e) => e.action === action);
    return entry ? formatBoth(Date.parse(entry.at), request.zone) : undefined;
  };
  return Object.entries(state.silence ?? {}).map(([service, ids]) => ({
    service,
    count: String(ids.length),
    from: at('silence') ?? '-',
    until: at('unsilence') ?? 'lifted as the work ended',
  }));
}

export function reviewView(
  request: MaintenanceRequest,
  timeline: Timeline,
  state: OccurrenceState,
  links: ResultLinks,
) {
  const review = state.review ?? { since: new Date(timeline.end).toISOString(), due: [] };
  const actual = actualTimes(state);
  const ran = actual.start !== undefined && actual.end !== undefined ? actual.end - actual.start : undefined;
  const overrun = ran !== undefined && ran > timeline.durationMs ? ran - timeline.durationMs : undefined;
  const [immediate, formal] = REVIEW_REMINDERS.map((r) =>
    formatBoth(reminderMoment(review, r), request.zone),
  );
  const manual = isManual(request);
  const rollbackRan = (state.begun ?? []).some((key) => key.startsWith('rollback:'));
  return {
    heading: `[${request.environment.toUpperCase()}] Maintenance: ${request.title}`,
    due: review.due.length > 0,
    reasons: reasonsText(review),
    immediateBy: immediate!,
    formalBy: formal!,
    outcome: OUTCOMES[state.state] ?? state.state,
    date: formatBoth(timeline.start, request.zone),
    plannedDuration: formatDuration(timeline.durationMs),
    actualDuration: ran !== undefined ? formatDuration(ran) : '-',
    overrun: overrun !== undefined ? formatDuration(overrun) : '',
    type: `${request.type} ${request.category}, ${request.series ? `recurring (${request.recurrence ?? 'a series'})` : 'one-off'}`,
    impact: request.impact,
    plannedImpact: request.impact_description,
    timeline: plannedAgainstActual(
      request.zone,
      timeline,
      actual,
      ran !== undefined ? formatDuration(ran) : '-',
    ),
    manual,
    items: items(request, state),
    deviations: deviations(request, timeline, state),
    rollbackRan,
    rollbackPlan: request.rollback,
    silences: silences(request, state),
    notices: notices(request, state),
    links: [
      ...(links.requestFile ? [{ title: 'Request file', url: links.requestFile }] : []),
      ...(links.pullRequest ? [{ title: 'Pull request', url: links.pullRequest }] : []),
      ...(state.dispatch?.url ? [{ title: 'Execute run', url: state.dispatch.url }] : []),
      ...(links.run ? [{ title: 'Last workflow run', url: links.run }] : []),
    ],
  };
}

/** The review report comment (posted once, under the `review` marker). */
export function reviewComment(
  templates: TemplateSource,
  request: MaintenanceRequest,
  timeline: Timeline,
  state: OccurrenceState,
  links: ResultLinks,
): string {
  return renderTemplate(
    templates,
    'markdown',
    REVIEW_TEMPLATE,
    reviewView(request, timeline, state, links),
  ).trim();
}
