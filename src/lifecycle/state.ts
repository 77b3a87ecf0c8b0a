// The lifecycle vocabulary: the states a maintenance occurrence moves through, the record of what was
// done to it (carried by its result issue), and the actions a tick plans.
import type { ItemStatus } from '../execute/report.ts';

/** `proposed` (an open pull request) is not tracked here: the lifecycle starts at the merge. */
export const LIFECYCLE_STATES = [
  'scheduled',
  'announced',
  'reminded',
  'in-progress',
  'completed',
  'failed',
  'rolled-back',
  'cancelled',
  'missed',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const FINAL_STATES: ReadonlySet<LifecycleState> = new Set([
  'completed',
  'failed',
  'rolled-back',
  'cancelled',
  'missed',
]);

/** Before the work: what a tick may still announce, remind, start, miss or cancel. */
export const PENDING_STATES: ReadonlySet<LifecycleState> = new Set(['scheduled', 'announced', 'reminded']);

/**
 * Action names, as planned and as recorded in `done`:
 * - announce, `remind:<ISO duration>`, silence, start, miss, cancel, unsilence, stop: planned by a tick;
 * - `skip:<action>`: a due item deliberately not performed (`skip:remind:P1D`);
 * - complete, fail, rollback: recorded by the run mode as the in-progress execution ends;
 * - review (the review report posted as the maintenance ends), `review-remind:P1D` and
 *   `review-remind:P7D` (its reminders), reviewed (completed by people): after the end (review.ts).
 */
export type ActionName =
  | 'announce'
  | `remind:${string}`
  | 'silence'
  | 'start'
  | 'miss'
  | 'cancel'
  | 'unsilence'
  | 'stop'
  | `skip:${string}`
  | 'complete'
  | 'fail'
  | 'rollback'
  | 'review'
  | `review-remind:${string}`
  | 'reviewed';

const SIMPLE_ACTIONS = new Set([
  'announce',
  'silence',
  'start',
  'miss',
  'cancel',
  'unsilence',
  'stop',
  'complete',
  'fail',
  'rollback',
  'review',
  'reviewed',
]);
// The policy schema's ISO duration pattern (reminders are named as the policy writes them).
const REMINDER = /^(?:review-)?remind:P(?!$)(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

/** Whether a string is an action name maint knows. */
export function isActionName(text: string): text is ActionName {
  if (SIMPLE_ACTIONS.has(text) || REMINDER.test(text)) return true;
  return (
    text.startsWith('skip:') && isActionName(text.slice('skip:'.length)) && !text.startsWith('skip:skip:')
  );
}

export interface LogEntry {
  /** When it was recorded (ISO 8601 UTC). */
  at: string;
  action: ActionName;
  note?: string;
}

/**
 * What is known about one maintenance occurrence. Its result issue carries it in a hidden marker
 * (marker.ts), and `maint plan --state` reads a map of them.
 */
export interface OccurrenceState {
  state: LifecycleState;
  /** Every action performed or deliberately skipped, once each: what makes ticks idempotent. */
  done: ActionName[];
  /** The same, with times and notes, oldest first. */
  log?: LogEntry[];
  /** Alert silences created, by alerting provider (alertmanager, pagerduty, ...): their ids. */
  silence?: Record<string, string[]>;
  /** The result issue's number. */
  issue?: number;
  /** When the work really started (the start was recorded) and ended (its outcome was recorded). */
  actual?: { start?: string; end?: string };
  /**
   * The checks and steps a run began (`pre-check:0`, `step:2`, `rollback:0`...), recorded before each
   * runs: a run interrupted mid-step is never resumed by running that step again.
   */
  begun?: string[];
  /** Ids of what was created at other services for this maintenance (`statuspage`: the incident). */
  external?: Record<string, string>;
  /**
   * Notices recorded but whose comment on the result issue is not confirmed posted yet (an outbox):
   * any later run posts them, once, and clears them.
   */
  owed?: ActionName[];
  /**
   * Whether the request's work may run, as last established for its file's content (its blob): the
   * approved commit and pull request, or why not. Recorded when the work is announced or due.
   */
  provenance?: ProvenanceRecord;
  /** The execute run dispatched for this occurrence, recorded before it is sent. */
  dispatch?: DispatchRecord;
  /** How each check and step the execute run reported ended (`step:1`: `failed`), by key. */
  results?: Record<string, ItemStatus>;
  /** The post-maintenance review, opened when the maintenance ends (review.ts). */
  review?: ReviewRecord;
  /**
   * Each notice as the other channels took it, by channel (`slack`, `teams`, `statuspage`, ...) then
   * action (`announce`, `remind:P1D`): what notification coverage counts. The result issue's own
   * comments are the log's actions.
   */
  delivery?: Record<string, Record<string, DeliveryResult>>;
  /** The pull request that brought the request: when it was opened and merged (request processing time). */
  pullRequest?: PullRequestRecord;
}

export type DeliveryResult = 'sent' | 'failed';

export interface PullRequestRecord {
  number: number;
  /** When it was opened and merged (ISO 8601 UTC). */
  opened: string;
  merged: string;
}

/** The review of a maintenance that ended (review.ts). */
export interface ReviewRecord {
  /** When the maintenance ended: the reminders count from here (ISO 8601 UTC). */
  since: string;
  /** Why a review is due (the policy's `review.required_for` entries that hold); empty: none is. */
  due: string[];
  /** When and by whom (or how) it was completed. */
  done?: { at: string; by: string };
  /** The number of comments on the result issue maint has accounted for: another count means news. */
  seen?: number;
  /** Task-list lines written in the review, open and ticked, as last read. */
  actions?: { open: number; done: number };
}

/** What was established about a request file's content (see src/provenance). */
export type ProvenanceRecord =
  | {
      ok: true;
      /** The request file's git blob. */
      blob: string;
      /** The approved commit: the merge or squash commit on the default branch. */
      sha: string;
      pull: number;
      /** The last commit that changed the file. */
      commit: string;
      /** When it was established (ISO 8601 UTC). */
      checked: string;
    }
  | { ok: false; blob: string; reason: string; checked: string };

/** The execute workflow run of an occurrence: what it runs, and the run once GitHub names it. */
export interface DispatchRecord {
  /** The approved commit it checks out. */
  sha: string;
  /** The request file's blob at that commit. */
  blob: string;
  /** When it was recorded (ISO 8601 UTC), just before it was sent. */
  at: string;
  /** Which tick claimed it (two concurrent ticks: the last writer sends, the other backs off). */
  claim?: string;
  /** The run GitHub started for it. */
  run?: number;
  url?: string;
  /** How many times it was sent (a lost dispatch, with no run by its name, is sent again). */
  sent?: number;
}

/** The keys of checks and steps in `begun`. */
export const BEGUN_ITEM = /^(pre-check|step|post-check|rollback|post-check-after-rollback):\d{1,3}$/;

/** States by occurrence key (keys.ts): `<id>` or `<id>@<local start>`. */
export type StateMap = Record<string, OccurrenceState>;

/** One thing a tick should do. `at` is when it became due (ISO 8601 UTC). */
export interface PlannedAction {
  id: string;
  action: ActionName;
  at: string;
  /** Why, in a few words (recorded in the log; not part of `maint plan`'s JSON). */
  note?: string;
}

/** The state stored under a key; own properties only, so a request named `constructor` is safe. */
export function stateOf(states: StateMap, key: string): OccurrenceState | undefined {
  return Object.hasOwn(states, key) ? states[key] : undefined;
}

/**
 * A state whose `state` lags behind its `done` list (written by hand, or by an older run) is read
 * as the phase its record shows: `scheduled` with `announce` done is `announced` (or `reminded`).
 */
export function coherentState(state: OccurrenceState | undefined): OccurrenceState | undefined {
  if (!state || state.state !== 'scheduled' || !state.done.includes('announce')) return state;
  return { ...state, state: state.done.some((a) => a.startsWith('remind:')) ? 'reminded' : 'announced' };
}

export function isFinal(state: OccurrenceState | undefined): boolean {
  return state !== undefined && FINAL_STATES.has(state.state);
}

export function hasDone(state: OccurrenceState | undefined, action: string): boolean {
  return state?.done.includes(action as ActionName) ?? false;
}

/** Announced: the announcement was sent, or the state says it is past that point. */
export function isAnnounced(state: OccurrenceState | undefined): boolean {
  return state !== undefined && (state.state !== 'scheduled' || hasDone(state, 'announce'));
}

/** Silenced and not yet lifted. */
export function isSilenced(state: OccurrenceState | undefined): boolean {
  return hasDone(state, 'silence') && !hasDone(state, 'unsilence');
}

/** A review is due and not completed yet. */
export function isReviewPending(state: OccurrenceState | undefined): boolean {
  const review = state?.review;
  return review !== undefined && review.due.length > 0 && review.done === undefined;
}

/** Nothing more can be due: final, no silence left to lift, no review still due. */
export function isSettled(state: OccurrenceState | undefined): boolean {
  return isFinal(state) && !isSilenced(state) && (state?.owed ?? []).length === 0 && !isReviewPending(state);
}

/** Whether an action (or its deliberate skip) is already recorded. */
export function isHandled(state: OccurrenceState | undefined, action: string): boolean {
  return hasDone(state, action) || hasDone(state, `skip:${action}`);
}
