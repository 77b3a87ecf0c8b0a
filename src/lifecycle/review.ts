// The post-maintenance review of the runbooks: opened when a maintenance ends (its report posted on
// the result issue), due for what the policy's `review.required_for` lists, reminded once at T+24 h
// (the immediate review) and once at T+7 d (the formal review), T being the end, while it is still
// due; completed by people. Also counts the action items people write into it. Pure.
import type { MaintenanceRequest, Policy, ReviewTrigger } from '../model/types.ts';
import { DAY, formatBoth, isoUtc } from '../schedule/time.ts';
import { actualTimes } from './apply.ts';
import { hasDone, isReviewPending, type OccurrenceState, type ReviewRecord } from './state.ts';

/** The label of a result issue whose review is due; removing it completes the review. */
export const REVIEW_LABEL = 'maintenance:review-due';

export interface ReviewReminder {
  name: `review-remind:${string}`;
  /** After the end. */
  afterMs: number;
  /** Which review it asks for, as people say it. */
  what: string;
}

export const REVIEW_REMINDERS: readonly ReviewReminder[] = [
  { name: 'review-remind:P1D', afterMs: DAY, what: 'immediate review' },
  { name: 'review-remind:P7D', afterMs: 7 * DAY, what: 'formal review' },
];

/** The end's outcomes that can be reviewed; a cancelled maintenance never ran. */
const OUTCOMES: Partial<Record<OccurrenceState['state'], ReviewTrigger>> = {
  completed: 'completed',
  failed: 'failed',
  'rolled-back': 'rolled-back',
  missed: 'missed',
};

/** Whether an ended maintenance gets a review report at all. */
export function isReviewable(state: OccurrenceState | undefined): boolean {
  return state !== undefined && OUTCOMES[state.state] !== undefined;
}

/**
 * Why a review is due, in the policy's order: the entries of `required_for` that hold for the
 * maintenance (its outcome, emergency type, impact, an overrun of its planned duration). Empty: none.
 */
export function reviewReasons(
  request: Pick<MaintenanceRequest, 'type' | 'impact'>,
  planned: { start: number; end: number },
  state: OccurrenceState,
  policy: Pick<Policy, 'review'>,
): ReviewTrigger[] {
  const times = actualTimes(state);
  const overran =
    hasDone(state, 'stop') ||
    (times.start !== undefined &&
      times.end !== undefined &&
      times.end - times.start > planned.end - planned.start);
  const holds: Record<ReviewTrigger, boolean> = {
    completed: state.state === 'completed',
    failed: state.state === 'failed',
    'rolled-back': state.state === 'rolled-back',
    missed: state.state === 'missed',
    emergency: request.type === 'emergency',
    'high-impact': request.impact === 'high',
    'medium-impact': request.impact === 'medium',
    'low-impact': request.impact === 'low',
    overrun: overran,
  };
  return policy.review.requiredFor.filter((trigger) => holds[trigger]);
}

/** The review of a maintenance that ended at `end`. */
export function openedReview(
  request: Pick<MaintenanceRequest, 'type' | 'impact'>,
  planned: { start: number; end: number },
  state: OccurrenceState,
  policy: Pick<Policy, 'review'>,
  end: number,
): ReviewRecord {
  return { since: isoUtc(end), due: reviewReasons(request, planned, state, policy) };
}

/** When each reminder falls: the end plus its delay. */
export function reminderMoment(review: ReviewRecord, reminder: ReviewReminder): number {
  return Date.parse(review.since) + reminder.afterMs;
}

/** The reminders due at `now` and not sent yet, earliest first; none once the review is done. */
export function reviewRemindersDue(state: OccurrenceState | undefined, now: number): ReviewReminder[] {
  if (!isReviewPending(state)) return [];
  return REVIEW_REMINDERS.filter((r) => reminderMoment(state!.review!, r) <= now && !hasDone(state, r.name));
}

const REASONS: Record<string, string> = {
  completed: 'completed',
  failed: 'failed',
  'rolled-back': 'rolled back',
  missed: 'missed',
  emergency: 'an emergency',
  'high-impact': 'high impact',
  'medium-impact': 'medium impact',
  'low-impact': 'low impact',
  overrun: 'ran over its planned duration',
};

/** Why the review is due, as people read it: `rolled back; high impact`. */
export function reasonsText(review: ReviewRecord): string {
  return review.due.map((reason) => REASONS[reason] ?? reason).join('; ');
}

/** How to complete a review, as the report and the reminders say it. */
export const HOW_TO_COMPLETE = `fill in the review report (edit it, or answer in a comment; write action items as task-list lines, \`- [ ] what — @owner — due date\`), then comment \`/maint reviewed\` (the requester or a code owner of the request) or remove the label \`${REVIEW_LABEL}\``;

/** The comment of a review reminder: to the requester, naming what is due and how to complete it. */
export function reviewReminderText(
  reminder: ReviewReminder,
  review: ReviewRecord,
  request: Pick<MaintenanceRequest, 'requester' | 'zone'>,
): string {
  const login = request.requester.replace(/^@/, '');
  const ended = formatBoth(Date.parse(review.since), request.zone);
  const formal = REVIEW_REMINDERS.at(-1)!;
  const next =
    reminder === formal
      ? 'The formal review is due now: a week has passed since the end.'
      : `The formal review is due by ${formatBoth(reminderMoment(review, formal), request.zone)}.`;
  return [
    `### 📝 Reminder: the ${reminder.what} of this maintenance is due`,
    '',
    `@${login}, this maintenance ended ${ended} and its review is still due (${reasonsText(review)}): ${HOW_TO_COMPLETE}.`,
    '',
    next,
  ].join('\n');
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
/** A task-list line: `- [ ] text`, `* [x] text`, `1. [ ] text`. */
const TASK = /^\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s+\S/;

/** The task-list lines of some Markdown texts, outside code blocks: open and ticked. */
export function countActionItems(texts: readonly string[]): { open: number; done: number } {
  let open = 0;
  let done = 0;
  for (const text of texts) {
    let fence: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const opener = FENCE.exec(line)?.[1];
      if (opener) {
        if (fence === undefined) fence = opener;
        else if (opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
        continue;
      }
      if (fence !== undefined) continue;
      const task = TASK.exec(line);
      if (!task) continue;
      if (task[1] === ' ') open++;
      else done++;
    }
  }
  return { open, done };
}
