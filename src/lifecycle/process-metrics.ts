// The runbooks' process metrics for a month's maintenance, from their recorded states: post-mortem
// completion (reviews done within 24 h, within 7 days, overdue), maintenance request processing (pull
// request opened -> approved and merged: the median and the share under 24 h) and stakeholder
// notification (the share whose announcement and every due reminder went out on time, per channel).
// Pure: `now` says which reviews may still be done in time.
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { DAY, HOUR } from '../schedule/time.ts';
import { requiredNotice } from '../schedule/rules/notice.ts';
import { remindersFor } from './timeline.ts';
import type { OccurrenceState } from './state.ts';

/** A reminder sent this long after its moment is late (ticks run every 15 minutes, GitHub delays some). */
export const ON_TIME_SLACK_MS = HOUR;
/** The result issue's comments: every notice goes there. */
export const ISSUE_CHANNEL = 'issue';

export interface ReviewCompletion {
  /** Maintenance whose review was due. */
  due: number;
  within24h: number;
  /** Done after the first 24 hours, within 7 days. */
  within7d: number;
  /** Not done within 7 days of the end (done later, or still not done). */
  overdue: number;
  /** Not done yet, and 7 days have not passed. */
  pending: number;
  /** (within 24 h + within 7 days) / (due - pending): the runbooks' target is 100%. */
  rate: number | null;
  /** Task-list lines written in the reviews. */
  actionItems: { open: number; done: number };
}

export interface RequestProcessing {
  /** Distinct pull requests that brought the month's maintenance, with their times. */
  pullRequests: number;
  /** Median time from opened to merged (after approval). */
  medianMs: number | null;
  under24h: number;
  shareUnder24h: number | null;
  /** Requests of the month with no pull request recorded (pushed directly, or tracked before maint kept it). */
  unrecorded: number;
}

export interface ChannelCoverage {
  /** Maintenance that used the channel. */
  maintenance: number;
  /** Of those, the ones whose announcement and every due reminder went out there on time. */
  covered: number;
  rate: number | null;
}

export interface NotificationCoverage {
  /** Maintenance that were due their notices: tracked, and started or missed. */
  maintenance: number;
  /** By channel: `issue` (the result issue), `slack`, `teams`, `statuspage`, `email`. */
  byChannel: Record<string, ChannelCoverage>;
}

export interface ProcessMetrics {
  reviews: ReviewCompletion;
  processing: RequestProcessing;
  notifications: NotificationCoverage;
}

/** One maintenance of the month as these metrics read it. */
export interface ProcessInput {
  request: MaintenanceRequest;
  plannedStart: number;
  state: OccurrenceState | undefined;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function processMetrics(
  occurrences: readonly ProcessInput[],
  policy: Pick<Policy, 'notice' | 'reminders'>,
  now: number,
): ProcessMetrics {
  return {
    reviews: reviewCompletion(occurrences, now),
    processing: requestProcessing(occurrences),
    notifications: notificationCoverage(occurrences, policy),
  };
}

function reviewCompletion(occurrences: readonly ProcessInput[], now: number): ReviewCompletion {
  const out: ReviewCompletion = {
    due: 0,
    within24h: 0,
    within7d: 0,
    overdue: 0,
    pending: 0,
    rate: null,
    actionItems: { open: 0, done: 0 },
  };
  for (const { state } of occurrences) {
    const review = state?.review;
    if (!review) continue;
    out.actionItems.open += review.actions?.open ?? 0;
    out.actionItems.done += review.actions?.done ?? 0;
    if (review.due.length === 0) continue;
    out.due++;
    const since = Date.parse(review.since);
    const took = review.done ? Date.parse(review.done.at) - since : undefined;
    if (took !== undefined && took <= DAY) out.within24h++;
    else if (took !== undefined && took <= 7 * DAY) out.within7d++;
    else if (took !== undefined || now - since > 7 * DAY) out.overdue++;
    else out.pending++;
  }
  out.rate = ratio(out.within24h + out.within7d, out.due - out.pending);
  return out;
}

function requestProcessing(occurrences: readonly ProcessInput[]): RequestProcessing {
  const pulls = new Map<number, number>();
  const requests = new Set<string>();
  const recorded = new Set<string>();
  for (const { request, state } of occurrences) {
    if (!state) continue;
    requests.add(request.id);
    const pull = state.pullRequest;
    if (!pull) continue;
    recorded.add(request.id);
    pulls.set(pull.number, Date.parse(pull.merged) - Date.parse(pull.opened));
  }
  const times = [...pulls.values()].sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const median =
    times.length === 0 ? null : times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  const under24h = times.filter((t) => t < DAY).length;
  return {
    pullRequests: times.length,
    medianMs: median,
    under24h,
    shareUnder24h: ratio(under24h, times.length),
    unrecorded: [...requests].filter((id) => !recorded.has(id)).length,
  };
}

/** States that were due their notices: the work started, or its window passed. */
const NOTIFIED_STATES = new Set(['in-progress', 'completed', 'failed', 'rolled-back', 'missed']);

function notificationCoverage(
  occurrences: readonly ProcessInput[],
  policy: Pick<Policy, 'notice' | 'reminders'>,
): NotificationCoverage {
  const byChannel: Record<string, ChannelCoverage> = {};
  const count = (channel: string, covered: boolean) => {
    const c = (byChannel[channel] ??= { maintenance: 0, covered: 0, rate: null });
    c.maintenance++;
    if (covered) c.covered++;
  };
  let maintenance = 0;
  for (const { request, plannedStart, state } of occurrences) {
    if (!state || !NOTIFIED_STATES.has(state.state)) continue;
    maintenance++;
    const { onTime, due } = noticesOnTime(request, plannedStart, state, policy);
    count(ISSUE_CHANNEL, onTime);
    for (const [channel, sent] of Object.entries(state.delivery ?? {})) {
      // Statuspage reminds its subscribers itself: only the announcement is maint's to send there.
      const owed = channel === 'statuspage' ? ['announce'] : ['announce', ...due];
      count(channel, onTime && owed.every((action) => sent[action] === 'sent'));
    }
  }
  for (const c of Object.values(byChannel)) c.rate = ratio(c.covered, c.maintenance);
  return { maintenance, byChannel };
}

/**
 * Whether the announcement went out with the notice the policy promises for the request, and each
 * reminder whose moment came after it went out within ON_TIME_SLACK_MS of that moment (and before the
 * start); `due` names those reminders.
 */
export function noticesOnTime(
  request: MaintenanceRequest,
  plannedStart: number,
  state: OccurrenceState,
  policy: Pick<Policy, 'notice' | 'reminders'>,
): { onTime: boolean; due: string[] } {
  const sentAt = (action: string) => {
    const entry = state.log?.find((e) => e.action === action);
    return entry ? Date.parse(entry.at) : undefined;
  };
  const announced = sentAt('announce');
  const due = remindersFor(request, policy)
    .reminders.filter((r) => announced === undefined || plannedStart - r.offsetMs > announced)
    .map((r) => ({ name: r.name, at: plannedStart - r.offsetMs }));
  const announcedInTime =
    announced !== undefined && announced <= plannedStart - requiredNotice(request, policy);
  const remindedInTime = due.every((r) => {
    const sent = sentAt(r.name);
    return sent !== undefined && sent >= r.at && sent <= r.at + ON_TIME_SLACK_MS && sent < plannedStart;
  });
  return { onTime: announcedInTime && remindedInTime, due: due.map((r) => r.name) };
}
