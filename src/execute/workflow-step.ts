// Runs a `workflow:` step: dispatches the workflow and follows the exact run GitHub names for it
// (return_run_details) until it completes; a run still going at the limit is cancelled, so it does not
// keep changing the system while the rollback runs.
import type { IssueTracker, WorkflowRunInfo } from '../github/port.ts';
import type { StepDocument } from '../model/types.ts';
import { formatSpan, type Attempt } from './attempt.ts';

export type WorkflowPort = Pick<IssueTracker, 'dispatchWorkflow' | 'workflowRun' | 'cancelWorkflowRun'>;

export interface WorkflowStepOptions {
  workflows: WorkflowPort;
  /** Where the workflow runs when the step names no `ref` (the default branch). */
  defaultRef: string;
  timeoutMs: number;
  pollIntervalMs: number;
  /** How long a cancelled run is waited for. */
  graceMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export async function runWorkflowStep(
  step: StepDocument & { workflow: string },
  options: WorkflowStepOptions,
): Promise<Attempt> {
  const limit = options.now() + options.timeoutMs;
  let runId: number;
  let runUrl: string;
  try {
    const inputs = Object.fromEntries(Object.entries(step.inputs ?? {}).map(([k, v]) => [k, String(v)]));
    ({ runId, htmlUrl: runUrl } = await options.workflows.dispatchWorkflow(
      step.workflow,
      step.ref ?? options.defaultRef,
      inputs,
    ));
  } catch (error) {
    return { status: 'failed', detail: `could not dispatch ${step.workflow}: ${messageOf(error)}` };
  }
  const watched = await watch(runId, limit, options);
  if (watched.run?.status === 'completed') {
    const conclusion = watched.run.conclusion ?? 'without a conclusion';
    return {
      status: conclusion === 'success' ? 'passed' : 'failed',
      detail: `run ${runId} concluded ${conclusion}`,
      runUrl,
    };
  }
  const state = watched.run
    ? `run ${runId} was ${watched.run.status}`
    : `the status of run ${runId} could not be read (${watched.error})`;
  return { status: 'timed-out', detail: `${state}; ${await cancel(runId, options)}`, runUrl };
}

/**
 * Polls the run until it completes or the time is up. A failed read does not end the step: the run goes
 * on regardless, and failing here would start the rollback beside a migration that is still running.
 */
async function watch(
  runId: number,
  until: number,
  options: WorkflowStepOptions,
): Promise<{ run?: WorkflowRunInfo; error?: string }> {
  let run: WorkflowRunInfo | undefined;
  let error: string | undefined;
  for (;;) {
    try {
      run = await options.workflows.workflowRun(runId);
      error = undefined;
    } catch (failure) {
      error = messageOf(failure);
    }
    if (run?.status === 'completed') return { run };
    const left = until - options.now();
    if (left <= 0) return { ...(run ? { run } : {}), ...(error ? { error } : {}) };
    await options.sleep(Math.min(options.pollIntervalMs, left));
  }
}

async function cancel(runId: number, options: WorkflowStepOptions): Promise<string> {
  try {
    await options.workflows.cancelWorkflowRun(runId);
  } catch (error) {
    return `cancelling it failed (${messageOf(error)}), so it may still be running`;
  }
  const after = await watch(runId, options.now() + options.graceMs, options);
  if (after.run?.status !== 'completed') {
    return `it was asked to cancel but had not stopped ${formatSpan(options.graceMs)} later`;
  }
  return after.run.conclusion === 'cancelled'
    ? 'it was cancelled'
    : `it ended ${after.run.conclusion ?? 'without a conclusion'} as it was being cancelled`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
