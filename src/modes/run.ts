// `mode: run`: one tick of the lifecycle. Rebuild the state from the result issues, plan what is
// due (src/lifecycle), and do it through the ports. Every side effect is recorded in the result
// issue before it happens (at most once: a tick that dies after recording sends nothing twice),
// except what needs the other service's id first (silences), which is recorded right after.
import { silenceHandle, liftRequests, silenceRequests, type SilenceHandle } from '../alerts/plan.ts';
import { workOf, type ExecutionContext, type MaintenanceWork } from '../execute/engine.ts';
import type { ExecutionReport, ItemRef } from '../execute/report.ts';
import type { IssueInfo, IssueTracker } from '../github/port.ts';
import { actualTimes, applyAction } from '../lifecycle/apply.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { planTick, type PlanOccurrence } from '../lifecycle/plan.ts';
import { isSilenced, type ActionName, type OccurrenceState, type PlannedAction } from '../lifecycle/state.ts';

import { hardLimit } from '../lifecycle/timeline.ts';
import type { RequestParse } from '../model/request.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import type { NoticeKind } from '../notices/kinds.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import type { NoticeDetails } from '../notices/view.ts';
import type { Outbound } from '../outbound/port.ts';
import { executionComment } from './execution-comment.ts';
import {
  outcomeAuthorities,
  outcomeFromComments,
  outcomeFromLabels,
  type ManualOutcome,
} from './maint-commands.ts';
import { resultBody, resultLabels, resultTitle, isManual, type ResultLinks } from './result-issue.ts';
import { noticeComment, noticeMarker, postOnce, sendExternal } from './run-notices.ts';
import { readStates } from './run-state.ts';

/** Runs a maintenance's checks and steps (src/execute in production; tests may stand in). */
export type Executor = (work: MaintenanceWork, context: ExecutionContext) => Promise<ExecutionReport>;

export interface RunDeps {
  github: IssueTracker;
  outbound?: Outbound;
  execute: Executor;
  now: () => number;
  log: (message: string) => void;
}

export interface RunSettings {
  files: readonly RequestParse[];
  policy: Policy;
  templates: TemplateSource;
  /** Base CODEOWNERS text (the default branch's), for who may record a manual outcome. */
  codeowners: string | null;
  /** The pull request that last changed each request, by request id (from git history). */
  pullRequests?: ReadonlyMap<string, number>;

  repo: { owner: string; name: string };
  serverUrl: string;
  runUrl?: string;
  defaultRef: string;
  /** Where `run:` steps execute, their environment, and the secret values to mask in their output. */
  workspace: string;
  stepEnv: Record<string, string>;
  secrets: string[];
  /** A secret's value by name (chat webhooks, Statuspage). */
  secret: (name: string) => string | undefined;
}

export interface TickReport {
  actions: { id: string; action: string; done: boolean; note?: string }[];
  problems: string[];
}

/** Which notice an action sends (undefined: none). */
function noticeOf(action: ActionName, request: MaintenanceRequest): NoticeKind | undefined {
  if (action === 'announce') return request.type === 'emergency' ? 'emergency' : 'announcement';
  if (action.startsWith('remind:')) return 'reminder';
  switch (action) {
    case 'start':
      return 'start';
    case 'complete':
      return 'completion';
    case 'rollback':
      return 'rollback';
    case 'fail':
      return 'completion-with-issues';
    case 'miss':
      return 'missed';
    case 'cancel':
      return 'cancellation';
    default:
      return undefined;
  }
}

const CLOSING: Partial<Record<OccurrenceState['state'], 'completed' | 'not_planned'>> = {
  completed: 'completed',
  failed: 'completed',
  'rolled-back': 'completed',
  missed: 'not_planned',
  cancelled: 'not_planned',
};

export async function runTick(deps: RunDeps, settings: RunSettings): Promise<TickReport> {
  const now = deps.now();
  const report: TickReport = { actions: [], problems: [] };
  const known = await readStates(deps.github, now);
  report.problems.push(...known.problems);

  const plan = planTick({ requests: settings.files, states: known.states, policy: settings.policy, now });
  report.problems.push(...plan.problems.map((p) => `${p.file ?? p.id ?? ''}: ${p.message}`));
  const occurrences = new Map(plan.occurrences.map((o) => [o.key, o]));
  const byKey = new Map<string, PlannedAction[]>();
  for (const action of plan.actions) byKey.set(action.id, [...(byKey.get(action.id) ?? []), action]);

  // Manual maintenance in progress: a person records the outcome by comment or by closing with a label.
  for (const occurrence of plan.occurrences) {
    const state = known.states[occurrence.key];
    if (state?.state !== 'in-progress' || !isManual(occurrence.request) || byKey.has(occurrence.key))
      continue;
    const issue = known.issues.get(occurrence.key);
    if (!issue) continue;
    const outcome = await manualOutcome(deps.github, issue, occurrence, settings.codeowners);
    if (outcome)
      byKey.set(occurrence.key, [
        {
          id: occurrence.key,
          action: outcome.outcome,
          at: new Date(now).toISOString(),
          note: `recorded by ${outcome.by}`,
        },
      ]);
  }

  // Occurrences owing a notice comment (a run died after recording it) are settled too.
  for (const [key, state] of Object.entries(known.states))
    if ((state.owed ?? []).length > 0 && !byKey.has(key) && occurrences.has(key)) byKey.set(key, []);
  for (const [key, actions] of byKey) {
    const occurrence = occurrences.get(key);
    if (!occurrence) continue;
    const tracker = new OccurrenceTracker(
      deps,
      settings,
      occurrence,
      known.states[key],
      known.issues.get(key),
      now,
    );
    try {
      await tracker.settle();
      for (const action of actions) {
        const done = await tracker.perform(action);
        report.actions.push({
          id: key,
          action: action.action,
          done,
          ...(action.note ? { note: action.note } : {}),
        });
      }
      await tracker.flush();
    } catch (error) {
      report.problems.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    report.problems.push(...tracker.problems.map((p) => `${key}: ${p}`));
  }
  return report;
}

async function manualOutcome(
  github: IssueTracker,
  issue: IssueInfo,
  occurrence: PlanOccurrence,
  codeowners: string | null,
): Promise<{ outcome: ManualOutcome; by: string } | undefined> {
  if (issue.state === 'closed') {
    const labelled = outcomeFromLabels(issue.labels);
    return {
      outcome: labelled ?? 'complete',
      by: labelled ? 'closing with an outcome label' : 'closing the issue (no outcome label: completed)',
    };
  }
  const allowed = outcomeAuthorities(occurrence.request.requester, occurrence.request.file, codeowners);
  return outcomeFromComments(await github.comments(issue.number), allowed);
}

/** One occurrence's state, its result issue, and the side effects of its actions. */
class OccurrenceTracker {
  readonly problems: string[] = [];
  private state: OccurrenceState | undefined;
  private dirty = false;
  private commentBodies: string[] | undefined;

  constructor(
    private readonly deps: RunDeps,
    private readonly settings: RunSettings,
    private readonly occurrence: PlanOccurrence,
    recorded: OccurrenceState | undefined,
    private issue: IssueInfo | undefined,
    private readonly now: number,
  ) {
    this.state = recorded;
  }

  private get request(): MaintenanceRequest {
    return this.occurrence.request;
  }

  private links(): ResultLinks {
    const { repo, serverUrl, defaultRef, runUrl } = this.settings;
    const pull = this.settings.pullRequests?.get(this.request.id);
    return {
      requestFile: `${serverUrl}/${repo.owner}/${repo.name}/blob/${defaultRef}/${this.request.file}`,
      ...(pull !== undefined ? { pullRequest: `${serverUrl}/${repo.owner}/${repo.name}/pull/${pull}` } : {}),
      ...(runUrl ? { run: runUrl } : {}),
    };
  }

  private noticeContext() {
    return {
      github: this.deps.github,
      ...(this.deps.outbound ? { outbound: this.deps.outbound } : {}),
      secret: this.settings.secret,
      templates: this.settings.templates,
      policy: this.settings.policy,
      now: this.now,
    };
  }

  private details(extra: NoticeDetails = {}): NoticeDetails {
    return {
      ...(this.request.series ? { occurrence: this.occurrence.timeline.start } : {}),
      ...(this.issue ? { resultIssueUrl: this.issue.htmlUrl } : {}),
      ...extra,
    };
  }

  /** Records an action in the state; false when the state does not allow it (already done). */
  private record(action: ActionName, note?: string): boolean {
    const outcome = applyAction(this.state, { action, ...(note ? { note } : {}) }, this.deps.now());
    if (!outcome.ok) return false;
    this.state = { ...outcome.state, ...(this.issue ? { issue: this.issue.number } : {}) };
    this.dirty = true;
    return true;
  }

  private allows(action: ActionName): boolean {
    return applyAction(this.state, { action }, this.deps.now()).ok;
  }

  private body(state: OccurrenceState): string {
    return resultBody(
      this.settings.templates,
      this.occurrence.key,
      this.request,
      this.occurrence.timeline,
      state,
      this.links(),
    );
  }

  /** The result issue, made with the state as it is (before the action that needs it). */
  private async ensureIssue(): Promise<IssueInfo> {
    if (this.issue) return this.issue;
    const state = this.state ?? { state: 'scheduled' as const, done: [] };
    this.issue = await this.deps.github.createIssue({
      title: resultTitle(this.request, this.occurrence.timeline),
      body: this.body(state),
      labels: resultLabels(this.request, state),
      assignees: [this.request.requester],
    });
    this.commentBodies = [];
    return this.issue;
  }

  /** Writes the state (and the body and labels it implies) to the result issue. */
  async flush(): Promise<void> {
    if (!this.dirty || !this.state) return;
    const issue = await this.ensureIssue();
    const state = { ...this.state, issue: issue.number };
    const close = CLOSING[state.state];
    await this.deps.github.updateIssue(issue.number, {
      body: this.body(state),
      labels: resultLabels(this.request, state),
      ...(close && issue.state === 'open' ? { state: 'closed' as const, stateReason: close } : {}),
    });
    if (close) this.issue = { ...issue, state: 'closed' };
    this.dirty = false;
  }

  /** The comment of an action, exactly once (see run-notices.ts). */
  private async comment(action: string, body: string): Promise<void> {
    const issue = await this.ensureIssue();
    const existing = async () =>
      (this.commentBodies ??= (await this.deps.github.comments(issue.number)).map((c) => c.body));
    await postOnce(this.deps.github, issue.number, action, body, existing);
    this.commentBodies?.push(noticeMarker(action));
  }

  private async external(kind: NoticeKind, details: NoticeDetails): Promise<void> {
    if (!this.state || !this.deps.outbound) return;
    const sent = await sendExternal(
      this.noticeContext(),
      kind,
      this.request,
      this.state,
      this.details(details),
    );
    this.problems.push(...sent.problems);
    if (Object.keys(sent.external).length > 0) {
      this.state = { ...this.state, external: { ...this.state.external, ...sent.external } };
      this.dirty = true;
      await this.flush();
    }
  }

  /**
   * An action with a notice, through an outbox: the action is recorded together with the comment it
   * owes; the comment is posted (unless one with its marker exists) and the debt cleared; then the
   * other channels. A run that dies in between leaves the debt for the next run to settle.
   */
  private async noticed(action: ActionName, note: string | undefined): Promise<boolean> {
    const kind = noticeOf(action, this.request);
    if (!kind || !this.record(action, note)) return false;
    this.state = { ...this.state!, owed: [...(this.state!.owed ?? []), action] };
    await this.flush();
    await this.settle();
    await this.external(kind, this.detailsOf(action));
    return true;
  }

  /** What a notice says, rebuilt from the recorded state (so a later run can post a debt). */
  private detailsOf(action: ActionName): NoticeDetails {
    const state = this.state;
    const note = state?.log?.findLast((entry) => entry.action === action)?.note;
    const times = state ? actualTimes(state) : {};
    if (action.startsWith('remind:')) return { offset: action.slice('remind:'.length) };
    switch (action) {
      case 'start':
        return times.start !== undefined ? { actualStart: times.start } : {};
      case 'complete':
      case 'rollback':
      case 'fail':
        return {
          ...(times.start !== undefined ? { actualStart: times.start } : {}),
          ...(times.end !== undefined ? { actualEnd: times.end } : {}),
          ...(note ? { reason: note } : {}),
          ...(action === 'fail' && note ? { issues: [note] } : {}),
        };
      case 'cancel':
      case 'miss':
        return { reason: note ?? '' };
      default:
        return {};
    }
  }

  /** Posts the comments the state still owes, once each, and clears the debt. */
  async settle(): Promise<void> {
    const owed = this.state?.owed ?? [];
    if (owed.length === 0) return;
    for (const action of owed) {
      const kind = noticeOf(action, this.request);
      if (kind)
        await this.comment(
          action,
          noticeComment(this.noticeContext(), kind, this.request, this.details(this.detailsOf(action))),
        );
    }
    const { owed: _settled, ...rest } = this.state!;
    this.state = rest;
    this.dirty = true;
    await this.flush();
  }

  /** Does one planned action; false when there was nothing to do. */
  async perform(action: PlannedAction): Promise<boolean> {
    const name = action.action;
    if (name === 'start' && !isManual(this.request)) return this.execute(action);
    if (name === 'silence') return this.silence(action);
    if (name === 'unsilence') return this.unsilence(action);
    if (name === 'stop') return this.stop(action);
    if (!noticeOf(name, this.request)) return this.record(name, action.note); // skips: written with the next flush
    return this.noticed(name, action.note);
  }

  private silenceInput() {
    return {
      request: this.request,
      occurrence: this.occurrence.timeline,
      policy: this.settings.policy,
      ...(this.issue ? { issueUrl: this.issue.htmlUrl } : {}),
      now: this.deps.now(),
    };
  }

  /** Silences cannot be looked up again: recorded first, then created (at most once). */
  private async silence(action: PlannedAction): Promise<boolean> {
    if (!this.record('silence', action.note)) return false;
    await this.flush();
    const outbound = this.deps.outbound;
    if (!outbound) return true;
    const plan = silenceRequests(this.silenceInput());
    const ids: Record<string, string[]> = {};
    for (const request of plan.requests) {
      try {
        const handle = silenceHandle(await outbound.send(request));
        if (handle)
          ids[handle.service] = [...(ids[handle.service] ?? []), 'id' in handle ? handle.id : 'sent'];
      } catch (error) {
        this.problems.push(
          `silence on ${request.service}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (Object.keys(ids).length > 0 && this.state) {
      this.state = { ...this.state, silence: ids };
      this.dirty = true;
      await this.flush();
    }
    return true;
  }

  private async unsilence(action: PlannedAction): Promise<boolean> {
    const handles = Object.entries(this.state?.silence ?? {}).flatMap(([service, ids]): SilenceHandle[] =>
      service === 'webhook'
        ? [{ service: 'webhook' }]
        : ids.map((id) => ({ service: service as 'alertmanager' | 'pagerduty' | 'datadog', id })),
    );
    if (!this.record('unsilence', action.note)) return false;
    await this.flush();
    const outbound = this.deps.outbound;
    if (!outbound) return true;
    for (const request of liftRequests(this.silenceInput(), handles)) {
      try {
        await outbound.send(request);
      } catch (error) {
        this.problems.push(
          `lifting the silence on ${request.service}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return true;
  }

  /**
   * In progress past its window's end. Automated work is not running any more (a run does its work
   * within its tick): if that run posted its outcome but could not record it, record it now;
   * otherwise it was interrupted, and it ends as failed for a person to check. Manual work is
   * reminded that the window has closed.
   */
  private async stop(action: PlannedAction): Promise<boolean> {
    // `stop` is recorded together with what it leads to: once recorded, nothing plans it again.
    if (!this.allows('stop')) return false;
    if (isManual(this.request)) {
      await this.comment(
        'stop',
        `The window has closed and this maintenance is still in progress: finish or roll back now, then record the outcome (\`/maint complete\`, \`/maint failed\` or \`/maint rolled-back\`).`,
      );
      this.record('stop', action.note);
      await this.flush();
      return true;
    }

    const issue = await this.ensureIssue();
    const bodies = (this.commentBodies ??= (await this.deps.github.comments(issue.number)).map(
      (c) => c.body,
    ));
    // The run posts its report (`report:<outcome>`) before it records the outcome.
    const posted = (['complete', 'rollback', 'fail'] as const).find((outcome) =>
      bodies.some((b) => b.includes(noticeMarker(`report:${outcome}`)) || b.includes(noticeMarker(outcome))),
    );
    this.record('stop', action.note);
    if (posted) return this.noticed(posted, 'read from the report of the run that did the work');

    return this.noticed(
      'fail',
      `The run that executed it was interrupted after ${(this.state?.begun ?? []).at(-1) ?? 'its pre-checks'}, before it reported an outcome: check the systems and the last step begun.`,
    );
  }

  /** Runs the checks and steps; the start is recorded once the pre-checks pass. */
  private async execute(action: PlannedAction): Promise<boolean> {
    if (!this.state) return false;
    const issue = await this.ensureIssue();
    // Another run may have started it since this tick read the issues: read the marker again.
    const fresh = decodeStateMarker((await this.deps.github.issue(issue.number)).body);
    if (fresh.kind === 'found' && fresh.state.done.includes('start')) return false;
    const request = this.request;
    let started = false;
    const start = async () => {
      if (started) return;
      started = true;
      if (!(await this.noticed('start', action.note))) throw new Error('the start could not be recorded');
    };
    const begin = async (item: ItemRef) => {
      if (item.phase !== 'pre-check') await start();
      this.state = { ...this.state!, begun: [...(this.state!.begun ?? []), item.key] };
      this.dirty = true;
      await this.flush();
    };
    const report = await this.deps.execute(workOf(request), {
      workflows: this.deps.github,
      now: this.deps.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      deadline: hardLimit(this.occurrence.timeline, this.deps.now()),
      cwd: this.settings.workspace,
      env: {
        ...this.settings.stepEnv,
        MAINT_ID: request.id,
        MAINT_OCCURRENCE: this.occurrence.key,

        MAINT_ENVIRONMENT: request.environment,
        MAINT_SERVICES: request.services.join(','),
      },
      secrets: this.settings.secrets,
      defaultRef: this.settings.defaultRef,
      beforeEach: begin,
      alreadyStarted: new Set(this.state.begun ?? []),
    });
    const outcome: ActionName =
      report.outcome === 'completed' ? 'complete' : report.outcome === 'rolled-back' ? 'rollback' : 'fail';
    // Work of checks alone never reaches a step: it started all the same once its pre-checks passed.
    if (outcome !== 'fail') await start();
    // The report goes first, naming the outcome: if recording the outcome then fails, the run that
    // finds this maintenance past its window reads the outcome from it.
    await this.comment(`report:${outcome}`, executionComment(report, this.settings.runUrl));
    await this.noticed(outcome, report.reason);
    if (isSilenced(this.state))
      await this.unsilence({
        id: this.occurrence.key,
        action: 'unsilence',
        at: new Date(this.deps.now()).toISOString(),
        note: 'the work ended',
      });
    return true;
  }
}
