// One tick's effects, as data. From what the scheduler knows (recorded states, the lifecycle actions
// that are due, and the facts gathered for them: provenance, execute runs, outcomes recorded by
// people) it lists, per occurrence and in order, the records, comments, notices, silences and
// dispatches to carry out, each effect preceded by the record that makes it safe to repeat. Pure:
// src/modes/tick-apply.ts carries the effects out, src/modes/tick-gather.ts gathers the facts
// `factsWanted` asks for. The tick never runs work itself: due work becomes a `dispatch` of the
// execute workflow, and only for content whose provenance holds. A review still due is read again
// only when its issue shows news (a comment, the label gone), so a quiet tick stays two requests.
import type { Policy } from '../model/types.ts';
import type { NoticeKind } from '../notices/kinds.ts';
import type { NoticeDetails } from '../notices/view.ts';
import type { ProvenanceDecision } from '../provenance/decide.ts';
import type { ExecutionLog } from './execution-log.ts';
import { OccurrenceEffects } from './occurrence-effects.ts';
import type { Plan, PlanOccurrence } from './plan.ts';
import { automated, provenanceDue } from './provenance-due.ts';
import { REVIEW_LABEL } from './review.ts';
import {
  isReviewPending,
  stateOf,
  type ActionName,
  type OccurrenceState,
  type PlannedAction,
  type PullRequestRecord,
  type StateMap,
} from './state.ts';
import { isManual } from './work.ts';

/**
 * A result-issue comment: a notice or the review report, rendered by the applier (it knows the
 * issue's URL and what came back from other services), or text.
 */
export type CommentContent =
  { notice: NoticeKind; details: NoticeDetails } | { review: 'report' } | { text: string };

export type Effect =
  /** Write the state (body, labels, closing) to the result issue, creating the issue if there is none.
   * A `claim` is the record of a dispatch: re-read first, and backed off from if another tick claimed it. */
  | { kind: 'record'; state: OccurrenceState; claim?: boolean }
  /** Post a comment carrying the hidden marker `name`, unless one with it exists. */
  | { kind: 'comment'; name: string; content: CommentContent }
  /** The notice on the other channels (Slack, Teams, Statuspage): sent once, after it is recorded.
   * How each channel took it is recorded under `action`. */
  | { kind: 'notify'; notice: NoticeKind; details: NoticeDetails; action: ActionName }
  /** Create the alert silences (their ids are recorded when they come back). */
  | { kind: 'silence' }
  /** Lift the silences the state records. */
  | { kind: 'lift' }
  /** Dispatch the execute workflow on the default branch (the run's id is recorded when it comes back). */
  | { kind: 'dispatch'; inputs: Record<string, string> }
  | { kind: 'cancel-run'; run: number };

/** What a person recorded: `/maint complete` by the requester or an owner, or closing the issue. */
export interface ManualOutcomeFact {
  outcome: 'complete' | 'fail' | 'rollback';
  by: string;
}

export interface ProvenanceFact {
  decision: ProvenanceDecision;
  /** The comment that says so on the result issue (with the approval snapshot to replay). */
  comment: string;
  /** The merged pull request that brought the content, with its times. */
  pullRequest?: PullRequestRecord;
}

/** What the tick found on the result issue of a review still due. */
export interface ReviewFact {
  /** Completed: by `/maint reviewed` of the requester or a code owner, or by removing the label. */
  done?: { at: string; by: string };
  /** The task-list lines written in the review, when its comments were read. */
  actions?: { open: number; done: number };
  /** The issue's comment count when they were read. */
  seen?: number;
  /** Its comments could not be read: whether it was completed is unknown, so nothing reminds this tick. */
  unread?: boolean;
}

/** What the gather knows of a result issue from the issue lists alone (no more requests). */
export interface IssueSummary {
  labels: readonly string[];
  /** How many comments it has; undefined when the source does not say (then they are read). */
  comments?: number;
}

/** An occurrence's execute run as the tick found it. */
export interface ExecutionFacts {
  /** The run (by its recorded id, or found by its name); absent: no run exists. */
  run?: { id: number; status: string; conclusion: string | null; url: string };
  /** What that run recorded on the result issue so far. */
  log?: ExecutionLog;
}

export interface TickFacts {
  now: number;
  plan: Plan;
  /** What reviews the policy asks for. */
  policy: Pick<Policy, 'review'>;
  states: StateMap;
  /** Request id -> the git blob of its file on the default branch now. */
  blobs: ReadonlyMap<string, string>;
  /** Request id -> provenance established this tick (only where `factsWanted` asked). */
  provenance: ReadonlyMap<string, ProvenanceFact>;
  /** Occurrence key -> an outcome a person recorded. */
  manual: ReadonlyMap<string, ManualOutcomeFact>;
  /** Occurrence key -> its execute run. */
  executions: ReadonlyMap<string, ExecutionFacts>;
  /** Occurrence key -> what its result issue says of a review still due (where `factsWanted` asked). */
  reviews?: ReadonlyMap<string, ReviewFact>;
  /** Request id -> the pull request that brought a manual request (read at its announcement). */
  pullRequests?: ReadonlyMap<string, PullRequestRecord>;
}

export interface TakenAction {
  action: string;
  done: boolean;
  note?: string;
}

export interface OccurrencePlan {
  occurrence: PlanOccurrence;
  effects: Effect[];
  actions: TakenAction[];
}

/** Which facts the tick must gather, so that a quiet tick gathers none. */
export interface FactsWanted {
  /** Request ids whose provenance to establish: announced or due work whose content is new to it. */
  provenance: Map<string, PlanOccurrence>;
  /** Occurrences whose result issue may hold an outcome a person recorded. */
  manual: PlanOccurrence[];
  /** Occurrences whose execute run to read. */
  executions: PlanOccurrence[];
  /** Occurrences with a review still due whose issue shows news: a new comment, or the label gone. */
  reviews: PlanOccurrence[];
  /** Manual requests being announced: the pull request that brought them (automated ones: provenance). */
  pullRequests: Map<string, PlanOccurrence>;
}

const byKey = (actions: readonly PlannedAction[]) => {
  const map = new Map<string, PlannedAction[]>();
  for (const a of actions) map.set(a.id, [...(map.get(a.id) ?? []), a]);
  return map;
};

export function factsWanted(
  plan: Plan,
  states: StateMap,
  blobs: ReadonlyMap<string, string>,
  issues: ReadonlyMap<string, IssueSummary> = new Map(),
): FactsWanted {
  const actions = byKey(plan.actions);
  const wanted: FactsWanted = {
    provenance: new Map(),
    manual: [],
    executions: [],
    reviews: [],
    pullRequests: new Map(),
  };
  for (const occurrence of plan.occurrences) {
    const state = stateOf(states, occurrence.key);
    const due = actions.get(occurrence.key) ?? [];
    const { request } = occurrence;
    if (provenanceDue(occurrence, state, due, blobs.get(request.id)))
      wanted.provenance.set(request.id, occurrence);
    if (state?.state === 'in-progress') {
      if (isManual(request)) wanted.manual.push(occurrence);
      else if (state.dispatch) wanted.executions.push(occurrence);
    } else if (
      automated(request) &&
      state?.issue !== undefined &&
      due.some((a) => a.action === 'start') &&
      state.provenance?.ok !== true
    ) {
      // Work that may not run: a person may record that it was done by hand.
      wanted.manual.push(occurrence);
    }
    if (!automated(request) && state?.pullRequest === undefined && due.some((a) => a.action === 'announce'))
      wanted.pullRequests.set(request.id, occurrence);
    const issue = issues.get(occurrence.key);
    if (isReviewPending(state) && issue && reviewNews(state!, issue)) wanted.reviews.push(occurrence);
  }
  return wanted;
}

/** The issue changed in a way that may complete the review: a comment came or went, the label went. */
export function reviewNews(state: OccurrenceState, issue: IssueSummary): boolean {
  return (
    !issue.labels.includes(REVIEW_LABEL) ||
    issue.comments === undefined ||
    issue.comments !== state.review?.seen
  );
}

export function planEffects(facts: TickFacts): OccurrencePlan[] {
  const actions = byKey(facts.plan.actions);
  const plans: OccurrencePlan[] = [];
  for (const occurrence of facts.plan.occurrences) {
    const { key } = occurrence;
    const plan = new OccurrenceEffects(occurrence, stateOf(facts.states, key), facts).plan(
      actions.get(key) ?? [],
    );
    if (plan.effects.length > 0 || plan.actions.length > 0) plans.push(plan);
  }
  return plans;
}
