// One occurrence's effects in a tick (see effects.ts): its state as each action, outcome and record
// changes it, and the effects in order. Notices go through an outbox (recorded with the comment they
// owe, posted, cleared); due work becomes a claimed dispatch; an execute run's report, death or loss
// becomes its outcome. The end opens the review (review.ts) in the same record: its report and its
// reminders go through the same outbox, and what people did on the issue completes it.
import { itemLabel, itemRef, type Phase } from '../execute/report.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { isoUtc } from '../schedule/time.ts';
import { actualTimes, applyAction } from './apply.ts';
import type { Effect, OccurrencePlan, TakenAction, TickFacts } from './effects.ts';
import { noticeDetails, noticeOf } from './notices-due.ts';
import type { PlanOccurrence } from './plan.ts';
import { automated, isPending, provenanceDue } from './provenance-due.ts';
import { REVIEW_REMINDERS, isReviewable, openedReview, reviewReminderText } from './review.ts';
import {
  FINAL_STATES,
  hasDone,
  isReviewPending,
  isSilenced,
  type ActionName,
  type OccurrenceState,
  type PlannedAction,
  type ProvenanceRecord,
} from './state.ts';
import { hardLimit } from './timeline.ts';
import { isManual, usesWorkflows } from './work.ts';

const OUTCOME_ACTIONS = { completed: 'complete', 'rolled-back': 'rollback', failed: 'fail' } as const;
/** What manual work still in progress at its hard limit is told. */
const STOP_TEXT =
  'The window has closed and this maintenance is still in progress: finish or roll back now, then record the outcome (`/maint complete`, `/maint failed` or `/maint rolled-back`).';
/** Run states in which the job has not begun (queued, or held by the environment's protection rules). */
const NOT_BEGUN = new Set(['queued', 'waiting', 'pending', 'requested']);

/** One occurrence's state as its effects change it, and the effects so far. */
export class OccurrenceEffects {
  private state: OccurrenceState | undefined;
  private readonly effects: Effect[] = [];
  private readonly taken: TakenAction[] = [];
  /** The state differs from what the last record wrote. */
  private dirty = false;
  /** Comments to post once the state is written (their issue may not exist before). */
  private readonly after: Effect[] = [];

  constructor(
    private readonly occurrence: PlanOccurrence,
    recorded: OccurrenceState | undefined,
    private readonly facts: TickFacts,
  ) {
    this.state = recorded;
  }

  private get request(): MaintenanceRequest {
    return this.occurrence.request;
  }

  plan(actions: readonly PlannedAction[]): OccurrencePlan {
    this.settleOwed();
    this.refreshProvenance(actions);
    this.recordPullRequest(actions);
    this.recordReviewNews();
    for (const action of actions) this.take(action);
    this.recordManualOutcome();
    this.followExecution();
    this.postReviewReport();
    if (this.dirty) this.record();
    this.effects.push(...this.after);
    return { occurrence: this.occurrence, effects: this.effects, actions: this.taken };
  }

  private record(state = this.state!, claim = false): void {
    this.state = state;
    this.effects.push({ kind: 'record', state, ...(claim ? { claim } : {}) });
    this.dirty = false;
  }

  private apply(action: ActionName, note?: string, at = this.facts.now): boolean {
    const outcome = applyAction(this.state, { action, ...(note ? { note } : {}) }, at);
    if (!outcome.ok) return false;
    this.state = outcome.state;
    this.dirty = true;
    return true;
  }

  private details(extra: NoticeDetails): NoticeDetails {
    return {
      ...(this.request.series ? { occurrence: this.occurrence.timeline.start } : {}),
      ...extra,
    };
  }

  private comment(action: ActionName): void {
    if (action === 'review') {
      this.effects.push({ kind: 'comment', name: action, content: { review: 'report' } });
      return;
    }
    if (action === 'stop') {
      this.effects.push({ kind: 'comment', name: action, content: { text: STOP_TEXT } });
      return;
    }
    const reminder = REVIEW_REMINDERS.find((r) => r.name === action);
    if (reminder) {
      const review = this.state?.review;
      if (review)
        this.effects.push({
          kind: 'comment',
          name: action,
          content: { text: reviewReminderText(reminder, review, this.request) },
        });
      return;
    }
    const kind = noticeOf(action, this.request);
    if (kind)
      this.effects.push({
        kind: 'comment',
        name: action,
        content: { notice: kind, details: this.details(noticeDetails(action, this.state)) },
      });
  }

  /**
   * An action with a notice, through an outbox: recorded together with the comment it owes (and
   * `extra`, e.g. the dispatch it leads to); the comment posted unless already there, the debt
   * cleared; then the other channels. A tick that dies in between leaves the debt to the next.
   */
  private noticed(
    action: ActionName,
    note?: string,
    options: { at?: number; extra?: Partial<OccurrenceState>; claim?: boolean } = {},
  ): boolean {
    const kind = noticeOf(action, this.request);
    if (!kind || !this.apply(action, note, options.at)) return false;
    this.state = { ...this.state!, ...options.extra };
    // The end opens the review in the very record of the outcome: a tick that dies after it still
    // owes the report, never forgets it.
    const opened = this.openReview(options.at ?? this.facts.now);
    this.record(
      { ...this.state, owed: [...(this.state.owed ?? []), action, ...(opened ? ['review' as const] : [])] },
      options.claim,
    );
    this.comment(action);
    this.settle([action]);
    this.effects.push({
      kind: 'notify',
      notice: kind,
      details: this.details(noticeDetails(action, this.state)),
      action,
    });
    return true;
  }

  /** Clears comments from the outbox once their effects are in the list. */
  private settle(actions: readonly ActionName[]): void {
    const { owed, ...rest } = this.state!;
    const left = (owed ?? []).filter((a) => !actions.includes(a));
    this.record({ ...rest, ...(left.length > 0 ? { owed: left } : {}) });
  }

  /** At the end: the review record and its `review` action, unless it has one. */
  private openReview(end: number): boolean {
    const state = this.state;
    if (!state || !isReviewable(state) || state.review || hasDone(state, 'review')) return false;
    const review = openedReview(this.request, this.occurrence.timeline, state, this.facts.policy, end);
    const note = review.due.length > 0 ? `review due: ${review.due.join(', ')}` : 'no review due';
    if (!this.apply('review', note, end)) return false;
    this.state = { ...this.state!, review };
    return true;
  }

  /** The report of a review opened by this tick, posted after the rest of the end (the silence lifted). */
  private postReviewReport(): void {
    if (!this.state?.owed?.includes('review')) return;
    this.comment('review');
    this.settle(['review']);
  }

  /** What people did on the result issue: completed the review, commented (counted, seen). */
  private recordReviewNews(): void {
    const fact = this.facts.reviews?.get(this.occurrence.key);
    const review = this.state?.review;
    if (!fact || !review || !isReviewPending(this.state) || (fact.unread && !fact.done)) return;
    const next = {
      ...review,
      ...(fact.seen !== undefined ? { seen: fact.seen } : {}),
      ...(fact.actions ? { actions: fact.actions } : {}),
      ...(fact.done ? { done: fact.done } : {}),
    };
    this.state = { ...this.state!, review: next };
    this.dirty = true;
    if (fact.done) {
      const done = this.apply('reviewed', `by ${fact.done.by}`, Date.parse(fact.done.at));
      this.taken.push({ action: 'reviewed', done, note: `by ${fact.done.by}` });
    }
  }

  /** A review reminder, through the outbox; none once the review is done. */
  private remindReview(name: ActionName, note: string | undefined): boolean {
    if (this.facts.reviews?.get(this.occurrence.key)?.unread) return false;
    if (!isReviewPending(this.state) || !this.apply(name, note)) return false;
    this.record({ ...this.state!, owed: [...(this.state!.owed ?? []), name] });
    this.comment(name);
    this.settle([name]);
    return true;
  }

  /** The pull request that brought a manual request, as read at its announcement. */
  private recordPullRequest(actions: readonly PlannedAction[]): void {
    const pull = this.facts.pullRequests?.get(this.request.id);
    if (!pull || this.state?.pullRequest || !actions.some((a) => a.action === 'announce')) return;
    this.state = { ...(this.state ?? { state: 'scheduled', done: [] }), pullRequest: pull };
    this.dirty = true;
  }

  /** Comments a tick recorded but died before posting. */
  private settleOwed(): void {
    const owed = this.state?.owed ?? [];
    if (owed.length === 0) return;
    for (const action of owed) this.comment(action);
    this.settle(owed);
  }

  private refreshProvenance(actions: readonly PlannedAction[]): void {
    const fact = this.facts.provenance.get(this.request.id);
    const blob = this.facts.blobs.get(this.request.id);
    if (!fact || !provenanceDue(this.occurrence, this.state, actions, blob)) return;
    const d = fact.decision;
    const checked = isoUtc(this.facts.now);
    const record: ProvenanceRecord = d.ok
      ? { ok: true, blob: d.blob, sha: d.sha, pull: d.pull, commit: d.commit, checked }
      : { ok: false, blob: d.blob, reason: d.reason, checked };
    const before = this.state?.provenance;
    const same = before && before.ok === record.ok && before.blob === record.blob;
    const pull = d.ok && fact.pullRequest?.number === d.pull ? { pullRequest: fact.pullRequest } : {};
    this.state = { ...(this.state ?? { state: 'scheduled', done: [] }), provenance: record, ...pull };
    this.dirty = true;
    if (!same)
      this.after.push({
        kind: 'comment',
        name: `provenance:${record.blob.slice(0, 12)}:${record.ok ? 'approved' : 'refused'}`,
        content: { text: fact.comment },
      });
  }

  private take(action: PlannedAction): void {
    const { action: name, note } = action;
    let done: boolean;
    if (name === 'start' && automated(this.request)) done = this.dispatchWork(note);
    else if (name === 'stop') done = this.stop(note);
    else if (name === 'silence' || name === 'unsilence') {
      done = this.apply(name, note);
      if (done) {
        this.record();
        this.effects.push({ kind: name === 'silence' ? 'silence' : 'lift' });
      }
    } else if (name === 'miss' && automated(this.request) && this.state?.provenance?.ok === false)
      done = this.noticed(
        name,
        `${note ?? 'missed'}; its work was not allowed to run: ${this.state.provenance.reason}`,
      );
    else if (name.startsWith('review-remind:')) done = this.remindReview(name, note);
    else if (noticeOf(name, this.request)) done = this.noticed(name, note);
    else done = this.apply(name, note); // skips: written with the next record
    this.taken.push({ action: name, done, ...(note ? { note } : {}) });
  }

  /**
   * The window is open: hand the work to an execute run, if its content is approved. When the fresh
   * check at this moment could not be made (GitHub failing), the decision recorded for this very content
   * stands: the execute run establishes it again, in full, before it runs anything.
   */
  private dispatchWork(note: string | undefined): boolean {
    const blob = this.facts.blobs.get(this.request.id);
    const approved = this.state?.provenance;
    if (approved?.ok && approved.blob === blob) {
      const dispatch = { sha: approved.sha, blob: approved.blob, at: isoUtc(this.facts.now), sent: 1 };
      if (!this.noticed('start', note, { extra: { dispatch }, claim: true })) return false;
      this.effects.push({ kind: 'dispatch', inputs: this.dispatchInputs(approved.sha) });
      return true;
    }
    const reason = !approved
      ? 'where its content came from could not be established'
      : approved.ok || approved.blob !== blob
        ? 'its file changed since its provenance was established'
        : approved.reason;
    if (!this.facts.manual.has(this.occurrence.key))
      this.after.push({
        kind: 'comment',
        name: `not-run:${(blob ?? 'unknown').slice(0, 12)}`,
        content: { text: notRunText(reason) },
      });
    return false;
  }

  private dispatchInputs(sha: string): Record<string, string> {
    return {
      request: this.request.id,
      occurrence: this.occurrence.key,
      sha,
      environment: this.request.environment,
      workflows: String(usesWorkflows(this.request)),
    };
  }

  /** In progress past the hard limit. */
  private stop(note: string | undefined): boolean {
    if (isManual(this.request)) {
      // Through the outbox like a notice: a comment posted before its record could be left behind
      // for good, when the outcome people record next tick makes the stop moot.
      if (this.facts.manual.has(this.occurrence.key) || !this.apply('stop', note)) return false;
      this.record({ ...this.state!, owed: [...(this.state!.owed ?? []), 'stop'] });
      this.comment('stop');
      this.settle(['stop']);
      return true;
    }
    // Work handed to an execute run ends with what the run reports (followExecution); work started
    // before there were execute runs has nobody left to report it.
    if (this.state?.dispatch) return false;
    if (!this.apply('stop', note)) return false;
    return this.noticed(
      'fail',
      'No execute run is known for this work (it was started by an earlier version of maint): check the systems.',
    );
  }

  private recordManualOutcome(): void {
    const manual = this.facts.manual.get(this.occurrence.key);
    if (!manual || !this.state) return;
    const by = `recorded by ${manual.by}`;
    if (isPending(this.state)) {
      // Work that was not allowed to run, done by hand: it started, and ended as they say.
      if (!this.noticed('start', `${by}: the work was done by hand`)) return;
    } else if (this.state.state !== 'in-progress' || !isManual(this.request)) return;
    const done = this.noticed(manual.outcome, by);
    this.taken.push({ action: manual.outcome, done, note: by });
    this.liftAtEnd();
  }

  /** An execute run's work: its report, its death, or a lost dispatch. */
  private followExecution(): void {
    const state = this.state;
    const dispatch = state?.dispatch;
    const facts = this.facts.executions.get(this.occurrence.key);
    if (state?.state !== 'in-progress' || !dispatch || !facts) return;
    const { now } = this.facts;
    const limit = hardLimit(this.occurrence.timeline, actualTimes(state).start);
    const run = facts.run;
    if (!run) {
      if (now < limit) {
        // Lost: recorded but no run carries its name. Sent again, under a new claim.
        this.record(
          { ...state, dispatch: { ...dispatch, at: isoUtc(now), sent: (dispatch.sent ?? 1) + 1 } },
          true,
        );
        this.effects.push({ kind: 'dispatch', inputs: this.dispatchInputs(dispatch.sha) });
        this.taken.push({ action: 'dispatch', done: true, note: 'sent again: no run carries its name' });
      } else
        this.end(
          'fail',
          `The execute workflow never started a run for it (sent ${dispatch.sent ?? 1} time(s)); nothing ran.`,
        );
      return;
    }
    if (dispatch.run !== run.id) {
      this.state = { ...state, dispatch: { ...dispatch, run: run.id, url: run.url } };
      this.dirty = true;
    }
    const log = facts.log;
    if (log?.outcome) {
      const action = log.outcome === 'refused' ? 'fail' : OUTCOME_ACTIONS[log.outcome];
      const reason =
        log.outcome === 'refused'
          ? `The execute run refused to run it: ${log.reason ?? 'no reason given'}`
          : (log.reason ?? '');
      const ended = log.ended !== undefined ? Date.parse(log.ended) : now;
      this.end(action, reason, {
        at: ended,
        extra: {
          begun: log.begun,
          ...(log.results ? { results: log.results } : {}),
          ...(log.begun.length > 0 ? { actual: { start: log.started, end: isoUtc(ended) } } : {}),
        },
      });
      return;
    }
    const lastKey = log?.begun.at(-1);
    const last = lastKey && describeItem(lastKey, this.request);
    if (run.status === 'completed') {
      this.end(
        'fail',
        `The execute run ended ${run.conclusion ?? 'without a conclusion'} before it reported an outcome, ${last ? `after it began ${last}` : 'before it began any check or step'}: check the systems.`,
        { extra: log ? { begun: log.begun } : {} },
      );
      return;
    }
    if (now >= limit && NOT_BEGUN.has(run.status) && !last) {
      this.apply('stop', 'its window closed before the execute run began');
      this.end(
        'fail',
        `The execute run was still ${run.status} when the window closed (waiting for the environment's reviewers?); it was cancelled and nothing ran.`,
      );
      this.effects.push({ kind: 'cancel-run', run: run.id });
    }
  }

  private end(
    action: 'complete' | 'fail' | 'rollback',
    reason: string,
    options: { at?: number; extra?: Partial<OccurrenceState> } = {},
  ): void {
    const done = this.noticed(action, reason, options);
    this.taken.push({ action, done, ...(reason ? { note: reason } : {}) });
    this.liftAtEnd();
  }

  /** The silence is lifted as soon as the work ends. */
  private liftAtEnd(): void {
    if (!this.state || !FINAL_STATES.has(this.state.state) || !isSilenced(this.state)) return;
    if (!this.apply('unsilence', 'the work ended')) return;
    this.record();
    this.effects.push({ kind: 'lift' });
    this.taken.push({ action: 'unsilence', done: true, note: 'the work ended' });
  }
}

/** `step:1` -> `step 2 'migrate'`, as people read it. */
function describeItem(key: string, request: MaintenanceRequest): string {
  const [phase, index] = key.split(':') as [Phase, string];
  const lists: Record<Phase, { name: string }[] | undefined> = {
    'pre-check': request.checks?.before,
    step: request.steps,
    'post-check': request.checks?.after,
    rollback: request.rollback_steps,
    'post-check-after-rollback': request.checks?.after,
  };
  const name = lists[phase]?.[Number(index)]?.name;
  return name === undefined ? key : itemLabel(itemRef(phase, Number(index), name));
}

function notRunText(reason: string): string {
  return [
    '### ⛔ This maintenance will not run its checks and steps',
    '',
    `Its work may run only when its content came from a merged, approved pull request: ${reason}.`,
    '',
    'If the work is done by hand during the window, record the outcome with `/maint complete`, `/maint failed` or `/maint rolled-back` (the requester or a code owner of the request); otherwise it ends as missed when the window closes.',
  ].join('\n');
}
