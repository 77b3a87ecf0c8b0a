// Whether an execute run may run a maintenance's work. Pure. Anyone who may write to the repository
// can dispatch the execute workflow by hand, with any inputs, so nothing the inputs say is taken on
// trust: the run must be on the default branch, its commit on the default branch and checked out,
// recorded by the scheduler as this occurrence's dispatch (this very run), the request file at the
// checkout the approved blob with its provenance holding at that commit, the window open, the job's
// environment the request's, and every called workflow unchanged since approval.
import { actualTimes } from '../lifecycle/apply.ts';
import type { ExecutionLog } from '../lifecycle/execution-log.ts';
import type { OccurrenceState } from '../lifecycle/state.ts';
import { hardLimit, mayStart, type Timeline } from '../lifecycle/timeline.ts';
import { usesWorkflows } from '../lifecycle/work.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import type { ProvenanceDecision } from '../provenance/decide.ts';
import { MINUTE, isoUtc } from '../schedule/time.ts';

/** The workflow_dispatch inputs, as given (untrusted). */
export interface ExecuteInputs {
  request: string;
  occurrence: string;
  sha: string;
  environment: string;
  issue: number;
  /** The job was given `actions: write` for `workflow:` steps. */
  workflows: boolean;
}

export interface CalledWorkflow {
  /** `.github/workflows/<file>`. */
  path: string;
  /** The step's `ref:`, if it names one. */
  ref?: string;
  /** Its blob at the checked-out (approved) commit, and on the default branch now. */
  approved?: string;
  current?: string;
}

export interface AdmissionFacts {
  inputs: ExecuteInputs;
  defaultBranch: string;
  /** GITHUB_REF of the run. */
  ref: string;
  run: number;
  now: number;
  /** The commit the workspace has checked out. */
  checkout?: string;
  /** How the input sha relates to the default branch (compare default...sha). */
  comparison?: string;
  /** The occurrence key and state the result issue carries. */
  issueKey?: string;
  state?: OccurrenceState;
  /** The request at the checkout, its file's blob, and its occurrence's timeline. */
  request?: MaintenanceRequest;
  blob?: string;
  timeline?: Timeline;
  provenance?: ProvenanceDecision;
  workflows: CalledWorkflow[];
  /** The execution log already on the result issue for this occurrence, if any. */
  log?: ExecutionLog;
}

export type Admission =
  | {
      ok: true;
      request: MaintenanceRequest;
      /** The window's end: work is stopped there. */
      deadline: number;
      /** Items an earlier attempt of this run began: nothing is run again. */
      alreadyStarted: string[];
    }
  | {
      ok: false;
      reason: string;
      /** This run is the one the scheduler recorded: its refusal goes to the result issue as its outcome. */
      report: boolean;
    };

/** How long a dispatched run may wait in the queue and still start work that no longer quite fits. */
export const QUEUE_GRACE_MS = 15 * MINUTE;

const short = (sha: string | undefined) => (sha ?? 'none').slice(0, 7);

export function admitExecution(facts: AdmissionFacts): Admission {
  const { inputs, state } = facts;
  const recorded = state?.dispatch;
  // Only the run the scheduler recorded reports a refusal as its outcome, and never over one reported.
  const ours =
    facts.issueKey === inputs.occurrence &&
    recorded?.run === facts.run &&
    !facts.log?.outcome &&
    (facts.log === undefined || facts.log.run === facts.run);
  const refuse = (reason: string): Admission => ({ ok: false, reason, report: ours });

  if (facts.ref !== `refs/heads/${facts.defaultBranch}`)
    return refuse(`it runs on ${facts.ref}, not on the default branch ${facts.defaultBranch}`);
  if (facts.issueKey !== inputs.occurrence)
    return refuse(`issue #${inputs.issue} does not track ${inputs.occurrence}`);
  if (!state || !recorded) return refuse(`the result issue records no dispatch for ${inputs.occurrence}`);
  if (recorded.sha !== inputs.sha)
    return refuse(`the scheduler dispatched ${short(recorded.sha)}, not ${short(inputs.sha)}`);
  if (recorded.run !== facts.run)
    return refuse(
      recorded.run === undefined
        ? 'the scheduler has not recorded this run as its dispatch'
        : `the scheduler recorded run ${recorded.run} as its dispatch, not this run (${facts.run})`,
    );
  if (state.state !== 'in-progress') return refuse(`the maintenance is ${state.state}, not in progress`);
  if (facts.comparison !== 'identical' && facts.comparison !== 'behind')
    return refuse(`${short(inputs.sha)} is not on the default branch ${facts.defaultBranch}`);
  if (facts.checkout !== inputs.sha)
    return refuse(`the workspace has ${short(facts.checkout)} checked out, not ${short(inputs.sha)}`);
  const request = facts.request;
  if (!request || request.id !== inputs.request)
    return refuse(`the checkout has no valid request ${inputs.request}`);
  if (facts.blob !== recorded.blob)
    return refuse(
      `${request.file} at ${short(inputs.sha)} is not the approved content (blob ${short(recorded.blob)})`,
    );
  const provenance = facts.provenance;
  if (!provenance) return refuse(`the provenance of ${request.file} could not be established`);
  if (!provenance.ok) return refuse(`its content is not approved: ${provenance.reason}`);
  if (provenance.sha !== inputs.sha || provenance.blob !== recorded.blob)
    return refuse(
      `the approved commit of ${request.file} is ${short(provenance.sha)}, not ${short(inputs.sha)}`,
    );
  if (inputs.environment !== request.environment)
    return refuse(`the job runs in environment ${inputs.environment}, the request in ${request.environment}`);
  if (inputs.workflows !== usesWorkflows(request))
    return refuse(
      inputs.workflows
        ? 'the job was given actions: write, but the request dispatches no workflow'
        : 'the request has workflow steps, but the job was not given actions: write (input workflows)',
    );
  for (const called of facts.workflows) {
    if (called.ref !== undefined && called.ref !== facts.defaultBranch)
      return refuse(
        `a workflow step names ref ${called.ref}: workflow steps run only on ${facts.defaultBranch}`,
      );
    if (called.approved === undefined) return refuse(`${called.path} is not in the approved commit`);
    if (called.current !== called.approved)
      return refuse(
        `${called.path} on ${facts.defaultBranch} differs from the approved commit's: it changed after approval`,
      );
  }
  const timeline = facts.timeline;
  if (!timeline) return refuse(`${inputs.occurrence} is not an occurrence of ${request.file}`);
  const limit = hardLimit(timeline, actualTimes(state).start);
  if (facts.now < timeline.start)
    return refuse(`its window has not opened (it starts ${isoUtc(timeline.start)})`);
  if (facts.now >= limit) return refuse(`its window closed at ${isoUtc(limit)}`);
  if (!mayStart(timeline, Math.max(timeline.start, facts.now - QUEUE_GRACE_MS)))
    return refuse('it no longer fits in its window');
  // An outcome already reported stays as it is.
  const log = facts.log;
  if (log && log.run !== facts.run)
    return { ok: false, reason: `run ${log.run} already executes it`, report: false };
  if (log?.outcome)
    return {
      ok: false,
      reason: `it already ended (${log.outcome}) in attempt ${log.attempt} of this run`,
      report: false,
    };
  return { ok: true, request, deadline: limit, alreadyStarted: log?.begun ?? [] };
}
