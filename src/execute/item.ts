// Runs one check or step: picks its runner (shell, HTTP, workflow), bounds it by its own timeout and, in
// the phases the window binds, by the window's end, and turns what happened into an ItemResult.
import type { CheckDocument, StepDocument } from '../model/types.ts';
import type { AllowList } from '../net/allow-hosts.ts';
import { MINUTE, isoUtc, parseShortDuration } from '../schedule/time.ts';
import { formatSpan, type Attempt } from './attempt.ts';
import { runHttpCheck } from './http-check.ts';
import type { HostResolver } from './http-destination.ts';
import { maskSecrets } from './mask.ts';
import type { ItemRef, ItemResult } from './report.ts';
import { runShell } from './shell.ts';
import { runWorkflowStep, type WorkflowPort } from './workflow-step.ts';

export const STEP_TIMEOUT_MS = 30 * MINUTE;
export const CHECK_TIMEOUT_MS = 2 * MINUTE;

export interface PlannedItem {
  ref: ItemRef;
  doc: StepDocument | CheckDocument;
  kind: 'step' | 'check';
  /** Stopped at the window's end (pre-checks and steps); otherwise only its own timeout binds it. */
  bounded: boolean;
}

export interface ItemSettings {
  deadline: number;
  cwd: string;
  env: Record<string, string>;
  /** Secret byte patterns (mask.ts). */
  patterns: readonly Buffer[];
  workflows: WorkflowPort;
  defaultRef: string;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Internal destinations `http:` checks may reach (the policy's `checks.allow_hosts`). */
  allowList: AllowList;
  resolveHost: HostResolver;
  graceMs: number;
  pollIntervalMs: number;
}

export async function runItem(item: PlannedItem, settings: ItemSettings): Promise<ItemResult> {
  const startedAt = settings.now();
  const timeoutMs = timeoutOf(item);
  let attempt: Attempt;
  let status: ItemResult['status'];
  if (timeoutMs === undefined) {
    attempt = {
      status: 'failed',
      detail: `its timeout '${item.doc.timeout}' is not a duration such as 30s, 10m or 1h`,
    };
    status = 'failed';
  } else {
    const windowLeft = item.bounded ? settings.deadline - startedAt : Infinity;
    const limitMs = Math.max(0, Math.min(timeoutMs, windowLeft));
    attempt = await attemptItem(item.doc, limitMs, settings);
    status = attempt.status;
    if (attempt.status === 'timed-out' && windowLeft < timeoutMs) {
      status = 'stopped-at-deadline';
      attempt.detail = `stopped at the window's end (${isoUtc(settings.deadline)}): ${attempt.detail}`;
    } else if (attempt.status === 'timed-out') {
      attempt.detail = `timed out after ${formatSpan(timeoutMs)}: ${attempt.detail}`;
    }
  }
  const endedAt = settings.now();
  const { exitCode, httpStatus, output, runUrl } = attempt;
  return {
    ...item.ref,
    status,
    detail: maskSecrets(attempt.detail, settings.patterns),
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(output !== undefined ? { output: maskSecrets(output, settings.patterns) } : {}),
    ...(runUrl !== undefined ? { runUrl } : {}),
  };
}

function timeoutOf(item: PlannedItem): number | undefined {
  if (item.doc.timeout === undefined) return item.kind === 'step' ? STEP_TIMEOUT_MS : CHECK_TIMEOUT_MS;
  return parseShortDuration(item.doc.timeout);
}

async function attemptItem(
  doc: StepDocument | CheckDocument,
  limitMs: number,
  settings: ItemSettings,
): Promise<Attempt> {
  if (doc.run !== undefined) return shellAttempt(doc.run, limitMs, settings);
  if ('http' in doc && doc.http) {
    return runHttpCheck(doc.http, {
      timeoutMs: limitMs,
      now: settings.now,
      allowList: settings.allowList,
      resolve: settings.resolveHost,
      patterns: settings.patterns,
    });
  }
  if ('workflow' in doc && doc.workflow) {
    return runWorkflowStep(
      { ...doc, workflow: doc.workflow },
      {
        workflows: settings.workflows,
        defaultRef: settings.defaultRef,
        timeoutMs: limitMs,
        pollIntervalMs: settings.pollIntervalMs,
        graceMs: settings.graceMs,
        now: settings.now,
        sleep: settings.sleep,
      },
    );
  }
  return { status: 'failed', detail: 'it has nothing to run (no run, http or workflow)' };
}

async function shellAttempt(script: string, limitMs: number, settings: ItemSettings): Promise<Attempt> {
  const result = await runShell(script, {
    cwd: settings.cwd,
    env: settings.env,
    timeoutMs: limitMs,
    graceMs: settings.graceMs,
    patterns: settings.patterns,
  });
  const output = result.output;
  if (result.startError !== undefined) {
    return { status: 'failed', detail: `the shell could not start: ${result.startError}`, output };
  }
  if (result.timedOut) return { status: 'timed-out', detail: 'its processes were stopped', output };
  if (result.exitCode !== null) {
    return {
      status: result.exitCode === 0 ? 'passed' : 'failed',
      detail: `exit code ${result.exitCode}`,
      exitCode: result.exitCode,
      output,
    };
  }
  return { status: 'failed', detail: `ended by ${result.signal ?? 'a signal'}`, output };
}
