// `mode: run`: one tick of the lifecycle. Rebuild the state from the result issues, plan what is
// due (src/lifecycle), and do it through the ports. Every side effect is recorded in the result
// issue before it happens (at most once: a tick that dies after recording sends nothing twice),
// except what needs the other service's id first (silences), which is recorded right after.
import { silenceHandle, liftRequests, silenceRequests, type SilenceHandle } from '../alerts/plan.ts';
import { workOf, type ExecutionContext, type MaintenanceWork } from '../execute/engine.ts';
import type { ExecutionReport, ItemRef } from '../execute/report.ts';
import type { IssueInfo, IssueTracker } from '../github/port.ts';
import { applyAction } from '../lifecycle/apply.ts';
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
import { sendNotice } from './run-notices.ts';
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
    return {
      requestFile: `${serverUrl}/${repo.owner}/${repo.name}/blob/${defaultRef}/${this.request.file}`,
      ...(runUrl ? { run: runUrl } : {}),
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

  /** Writes the state (and the body and labels it implies) to the result issue. */
  async flush(): Promise<void> {
    if (!this.dirty || !this.state) return;
    const state = this.state;
    const body = resultBody(
      this.settings.templates,
      this.occurrence.key,
      this.request,
      this.occurrence.timeline,
      state,
      this.links(),
    );
    const close = CLOSING[state.state];
    if (!this.issue) {
      this.issue = await this.deps.github.createIssue({
        title: resultTitle(this.request, this.occurrence.timeline),
        body,
        labels: resultLabels(this.request, state),
        assignees: [this.request.requester],
      });
    } else {
      await this.deps.github.updateIssue(this.issue.number, {
        body,
        labels: resultLabels(this.request, state),
        ...(close && this.issue.state === 'open' ? { state: 'closed' as const, stateReason: close } : {}),
      });
      if (close) this.issue = { ...this.issue, state: 'closed' };
    }
    this.dirty = false;
  }

  private async notify(kind: NoticeKind, details: NoticeDetails = {}): Promise<void> {
    if (!this.issue || !this.state) return;
    const sent = await sendNotice(
      {
        github: this.deps.github,
        ...(this.deps.outbound ? { outbound: this.deps.outbound } : {}),
        secret: this.settings.secret,
        templates: this.settings.templates,
        policy: this.settings.policy,
        now: this.now,
      },
      this.issue.number,
      kind,
      this.request,
      this.state,
      {
        ...(this.request.series ? { occurrence: this.occurrence.timeline.start } : {}),
        resultIssueUrl: this.issue.htmlUrl,
        ...details,
      },
    );
    this.problems.push(...sent.problems);
    if (Object.keys(sent.external).length > 0) {
      this.state = { ...this.state, external: { ...this.state.external, ...sent.external } };
      this.dirty = true;
      await this.flush();
    }
  }

  /** Does one planned action; false when there was nothing to do. */
  async perform(action: PlannedAction): Promise<boolean> {
    const name = action.action;
    if (name === 'start' && !isManual(this.request)) return this.execute(action);
    if (name === 'silence') return this.silence(action);
    if (name === 'unsilence') return this.unsilence(action);
    if (!this.record(name, action.note)) return false;
    const kind = noticeOf(name, this.request);
    if (!kind) return true; // record-only (skips) are written with the next flush
    await this.flush();
    const details: NoticeDetails = name.startsWith('remind:') ? { offset: name.slice('remind:'.length) } : {};
    if (name === 'start') details.actualStart = this.deps.now();
    if (name === 'cancel' || name === 'miss') details.reason = action.note ?? '';
    if (name === 'complete' || name === 'fail' || name === 'rollback') details.actualEnd = this.deps.now();
    if (name === 'stop') return true;
    await this.notify(kind, details);
    return true;
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

  /** Runs the checks and steps; the start is recorded once the pre-checks pass. */
  private async execute(action: PlannedAction): Promise<boolean> {
    if (!this.state || !this.issue) return false;
    // Another run may have started it since this tick read the issues: read the marker again.
    const fresh = decodeStateMarker((await this.deps.github.issue(this.issue.number)).body);
    if (fresh.kind === 'found' && fresh.state.done.includes('start')) return false;
    const request = this.request;
    let started = false;
    const begin = async (item: ItemRef) => {
      if (item.phase !== 'pre-check' && !started) {
        started = true;
        if (!this.record('start', action.note)) throw new Error('the start could not be recorded');
        await this.flush();
        await this.notify('start', { actualStart: this.deps.now() });
      }
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
    if (!started && outcome !== 'fail') this.record('start', action.note);
    this.record(outcome, report.reason);

    await this.flush();
    await this.deps.github.comment(this.issue.number, executionComment(report, this.settings.runUrl));
    await this.notify(noticeOf(outcome, request)!, {
      actualEnd: this.deps.now(),
      reason: report.reason,
      ...(outcome === 'fail'
        ? {
            issues: report.items
              .filter((i) => i.status !== 'passed' && i.status !== 'skipped')
              .map((i) => `${i.name}: ${i.detail}`),
          }
        : {}),
    });
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
