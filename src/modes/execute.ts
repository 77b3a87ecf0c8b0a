// `mode: execute`: the job the scheduler dispatches when a maintenance's window opens. It gathers what
// it needs to trust its inputs (the result issue's record of the dispatch, where the checked-out
// commit stands, the request's provenance at that commit, the called workflows), lets the pure
// admission decide (src/execute/admission.ts), then runs the checks, steps, post-checks and rollback
// (src/execute/engine.ts) on the checkout with the window's end as the hard limit. It keeps one
// comment on the result issue as its log (each item recorded before it runs, the report at the end),
// which the scheduler reads to record the outcome. It holds none of the scheduler's secrets.
import {
  executeMaintenance,
  workOf,
  type ExecutionContext,
  type MaintenanceWork,
} from '../execute/engine.ts';
import {
  admitExecution,
  type AdmissionFacts,
  type CalledWorkflow,
  type ExecuteInputs,
} from '../execute/admission.ts';
import type { ExecutionReport, ItemRef } from '../execute/report.ts';
import { itemLabel } from '../execute/report.ts';
import type { WorkflowPort } from '../execute/workflow-step.ts';
import type { MaintenanceRepo } from '../github/port.ts';
import {
  encodeExecutionLog,
  executionCommentMarker,
  decodeExecutionLog,
  type ExecutionLog,
} from '../lifecycle/execution-log.ts';
import { keyInterval } from '../lifecycle/keys.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { timelineOf } from '../lifecycle/timeline.ts';
import type { RequestParse } from '../model/request.ts';
import type { Policy } from '../model/types.ts';
import { isoUtc } from '../schedule/time.ts';
import { WindowCalendar } from '../schedule/windows.ts';
import { executionComment } from './execution-comment.ts';
import { establishProvenance } from './provenance.ts';

/** Runs a maintenance's checks and steps (src/execute in production; tests may stand in). */
export type Executor = (work: MaintenanceWork, context: ExecutionContext) => Promise<ExecutionReport>;

export interface ExecuteDeps {
  github: MaintenanceRepo;
  /** Default: the engine of src/execute. */
  execute?: Executor;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (message: string) => void;
  /** How often, and how far apart, the result issue is read for the scheduler to record this run. */
  recordWait?: { tries: number; intervalMs: number };
}

/** What the checked-out commit holds, read by the runner's wiring (execute-setup.ts). */
export interface Checkout {
  /** The commit checked out (git rev-parse HEAD); undefined when the workspace is no git checkout. */
  head?: string;
  root: string;
  files: readonly RequestParse[];
  policy: Policy;
  /** A file's git blob in the checkout; undefined when there is none. */
  blobOf(path: string): string | undefined;
}

export interface ExecuteSettings {
  inputs: ExecuteInputs;
  defaultRef: string;
  /** GITHUB_REF, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT of this job. */
  ref: string;
  run: number;
  attempt: number;
  runUrl?: string;
  checkName: string;
  checkout: Checkout;
  /** The whole environment of `run:` scripts, and the values masked in their output. */
  stepEnv: Record<string, string>;
  secrets: string[];
}

export interface ExecuteOutcome {
  admitted: boolean;
  /** Why it was refused, or the outcome's reason. */
  reason: string;
  outcome?: ExecutionReport['outcome'];
}

/** GitHub refuses comments over 65,536 characters. */
const COMMENT_LIMIT = 60_000;

export async function runExecute(deps: ExecuteDeps, settings: ExecuteSettings): Promise<ExecuteOutcome> {
  const facts = await gatherAdmission(deps, settings);
  const admission = admitExecution(facts);
  const { inputs } = settings;
  const log: ExecutionLog = {
    key: inputs.occurrence,
    run: settings.run,
    attempt: settings.attempt,
    sha: inputs.sha,
    begun: facts.log?.begun ?? [],
    started: facts.log?.started ?? isoUtc(deps.now()),
  };
  const write = (text: string, current: ExecutionLog) => writeLog(deps.github, inputs.issue, current, text);
  if (!admission.ok) {
    deps.log(`refused: ${admission.reason}`);
    if (admission.report)
      await write(
        `### ⛔ The execute run refused to run this maintenance\n\nRefused: ${admission.reason}. Nothing was run.`,
        {
          ...log,
          ended: isoUtc(deps.now()),
          outcome: 'refused',
          reason: admission.reason,
        },
      );
    return { admitted: false, reason: admission.reason };
  }

  const { request } = admission;
  let current = log;
  const runLink = settings.runUrl ? ` ([run ${settings.run}](${settings.runUrl}))` : '';
  const progress = (item?: ItemRef) =>
    [
      `### ⏳ Maintenance running${runLink}`,
      '',
      `The approved commit \`${inputs.sha.slice(0, 7)}\` is checked out; the window ends ${isoUtc(admission.deadline)}.`,
      ...(item ? ['', `Now: ${itemLabel(item)}.`] : []),
    ].join('\n');
  await write(progress(), current);
  const report = await (deps.execute ?? executeMaintenance)(workOf(request), {
    deadline: admission.deadline,
    cwd: settings.checkout.root,
    env: {
      ...settings.stepEnv,
      MAINT_ID: request.id,
      MAINT_OCCURRENCE: inputs.occurrence,
      MAINT_ENVIRONMENT: request.environment,
      MAINT_SERVICES: request.services.join(','),
      MAINT_SHA: inputs.sha,
    },
    secrets: settings.secrets,
    // The approved commit's policy says which internal hosts `http:` checks may reach.
    checks: settings.checkout.policy.checks,
    workflows: approvedWorkflows(deps.github, settings),
    defaultRef: settings.defaultRef,
    now: deps.now,
    sleep: deps.sleep,
    beforeEach: async (item) => {
      current = { ...current, begun: [...current.begun, item.key] };
      await write(progress(item), current);
    },
    alreadyStarted: new Set(admission.alreadyStarted),
  });
  current = {
    ...current,
    ended: isoUtc(deps.now()),
    outcome: report.outcome,
    reason: report.reason,
    results: Object.fromEntries(report.items.map((item) => [item.key, item.status])),
  };
  await write(
    `Approved commit \`${inputs.sha.slice(0, 7)}\`.\n\n${executionComment(report, settings.runUrl)}`,
    current,
  );
  return { admitted: true, reason: report.reason, outcome: report.outcome };
}

async function gatherAdmission(deps: ExecuteDeps, settings: ExecuteSettings): Promise<AdmissionFacts> {
  const { github } = deps;
  const { inputs, checkout } = settings;
  const readIssue = async () => {
    try {
      const marker = decodeStateMarker((await github.issue(inputs.issue)).body);
      return marker.kind === 'found' ? marker : undefined;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  };
  let marker = await readIssue();
  // The scheduler records the run GitHub named for its dispatch right after sending it.
  const wait = deps.recordWait ?? { tries: 6, intervalMs: 10_000 };
  for (
    let i = 0;
    i < wait.tries && marker?.key === inputs.occurrence && marker.state.dispatch?.run === undefined;
    i++
  ) {
    await deps.sleep(wait.intervalMs);
    marker = await readIssue();
  }
  const now = deps.now();
  const request = checkout.files.find((f) => f.id === inputs.request)?.request;
  const blob = request ? checkout.blobOf(request.file) : undefined;
  const facts: AdmissionFacts = {
    inputs,
    defaultBranch: settings.defaultRef,
    ref: settings.ref,
    run: settings.run,
    now,
    ...(checkout.head ? { checkout: checkout.head } : {}),
    ...(marker ? { issueKey: marker.key, state: marker.state } : {}),
    ...(request ? { request } : {}),
    ...(blob ? { blob } : {}),
    workflows: [],
  };
  if (settings.ref !== `refs/heads/${settings.defaultRef}` || marker?.key !== inputs.occurrence) return facts;

  facts.comparison = await github.compareCommits(settings.defaultRef, inputs.sha).catch(() => undefined);
  if (request) {
    const interval = keyInterval(request, inputs.occurrence);
    const environment = checkout.policy.environments[request.environment];
    if (interval && environment)
      facts.timeline = timelineOf(
        request,
        interval,
        checkout.policy,
        environment.anytime ? undefined : new WindowCalendar(environment.windows),
      );
    if (blob)
      facts.provenance = (
        await establishProvenance(github, {
          file: request.file,
          blob,
          head: inputs.sha,
          defaultBranch: settings.defaultRef,
          ref: settings.ref,
          checkName: settings.checkName,
          now,
        })
      ).decision;
    for (const step of [...(request.steps ?? []), ...(request.rollback_steps ?? [])]) {
      if (step.workflow === undefined) continue;
      const path = workflowPath(step.workflow);
      const approved = checkout.blobOf(path);
      const current = await github.blobAt(path, settings.defaultRef);
      const called: CalledWorkflow = {
        path,
        ...(step.ref !== undefined ? { ref: step.ref } : {}),
        ...(approved !== undefined ? { approved } : {}),
        ...(current !== undefined ? { current } : {}),
      };
      facts.workflows.push(called);
    }
  }
  const log = await existingLog(github, inputs.issue, inputs.occurrence);
  if (log) facts.log = log;
  return facts;
}

function workflowPath(workflow: string): string {
  return workflow.includes('/') ? workflow : `.github/workflows/${workflow}`;
}

/** Any execute run's log of this occurrence on the result issue (a bot's comment). */
async function existingLog(
  github: MaintenanceRepo,
  issue: number,
  key: string,
): Promise<ExecutionLog | undefined> {
  const marker = executionCommentMarker(key);
  for (const comment of await github.comments(issue)) {
    if (comment.userType !== 'Bot' || !comment.body.includes(marker)) continue;
    const decoded = decodeExecutionLog(comment.body);
    if (decoded.kind === 'found' && decoded.log.key === key) return decoded.log;
  }
  return undefined;
}

async function writeLog(
  github: MaintenanceRepo,
  issue: number,
  log: ExecutionLog,
  text: string,
): Promise<void> {
  const visible =
    text.length > COMMENT_LIMIT
      ? `${text.slice(0, COMMENT_LIMIT)}\n\n… (shortened to fit GitHub's limit)`
      : text;
  const marker = executionCommentMarker(log.key);
  await github.upsertComment(issue, marker, `${visible}\n\n${marker}\n${encodeExecutionLog(log)}\n`);
}

/**
 * `workflow:` steps dispatch on the default branch only, and only while the called workflow file there
 * is the one in the approved commit: GitHub runs the file as it is on the ref at that moment.
 */
function approvedWorkflows(github: MaintenanceRepo, settings: ExecuteSettings): WorkflowPort {
  return {
    workflowRun: (id) => github.workflowRun(id),
    cancelWorkflowRun: (id) => github.cancelWorkflowRun(id),
    dispatchWorkflow: async (workflow, ref, inputs) => {
      if (ref !== settings.defaultRef)
        throw new Error(`ref ${ref}: workflow steps run only on the default branch ${settings.defaultRef}`);
      const path = workflowPath(workflow);
      const approved = settings.checkout.blobOf(path);
      const current = await github.blobAt(path, settings.defaultRef);
      if (approved === undefined || approved !== current)
        throw new Error(
          `${path} on ${settings.defaultRef} is not the approved commit's (it changed after approval): not dispatched`,
        );
      return github.dispatchWorkflow(workflow, ref, inputs);
    },
  };
}
