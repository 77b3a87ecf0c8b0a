// The execution engine: pre-checks, steps and post-checks in order, the rollback when a step or a
// post-check fails or the window ends, and the outcome with its reason. Every item is announced to the
// caller before it runs, so that nothing is ever run twice.
import type { CheckDocument, Policy, RequestDocument, StepDocument } from '../model/types.ts';
import { allowList } from '../net/allow-hosts.ts';
import { isoUtc } from '../schedule/time.ts';
import { systemResolver, type HostResolver } from './http-destination.ts';
import { runItem, type ItemSettings } from './item.ts';
import { secretPatterns } from './mask.ts';
import {
  PHASES,
  itemLabel,
  itemRef,
  type ExecutionReport,
  type ItemRef,
  type ItemResult,
  type Outcome,
  type Phase,
} from './report.ts';
import type { WorkflowPort } from './workflow-step.ts';

export interface MaintenanceWork {
  checksBefore: CheckDocument[];
  steps: StepDocument[];
  checksAfter: CheckDocument[];
  rollbackSteps: StepDocument[];
}

export interface ExecutionContext {
  /** The window's end (epoch ms): pre-checks and steps are stopped there; rollback runs after it. */
  deadline: number;
  cwd: string;
  /** The whole environment of `run:` scripts; nothing else is inherited. */
  env: Record<string, string>;
  /** Values masked in output (those under 4 characters are not). */
  secrets: readonly string[];
  workflows: WorkflowPort;
  /** The ref `workflow:` steps run on when they name none: the default branch. */
  defaultRef: string;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called before each item runs, to record it durably; a throw stops the execution before the item. */
  beforeEach(item: ItemRef): Promise<void>;
  /** Called after each item that ran; a throw stops the execution there. */
  afterEach?(result: ItemResult): Promise<void>;
  /** Keys (`step:1`) a previous, interrupted run began: when any is given, nothing is run again. */
  alreadyStarted?: ReadonlySet<string>;
  /** The policy's `checks`: without it, `http:` checks reach public addresses only. */
  checks?: Policy['checks'];
  /** Resolves the host names of `http:` checks (default: the system resolver). */
  resolveHost?: HostResolver;
  /** Between SIGTERM and SIGKILL for scripts, and how long a cancelled workflow run is awaited (10 s). */
  graceMs?: number;
  /** Between reads of a dispatched workflow run (10 s). */
  pollIntervalMs?: number;
}

/** The work of a request as written. */
export function workOf(
  request: Pick<RequestDocument, 'steps' | 'checks' | 'rollback_steps'>,
): MaintenanceWork {
  return {
    checksBefore: request.checks?.before ?? [],
    steps: request.steps ?? [],
    checksAfter: request.checks?.after ?? [],
    rollbackSteps: request.rollback_steps ?? [],
  };
}

export function executeMaintenance(
  work: MaintenanceWork,
  context: ExecutionContext,
): Promise<ExecutionReport> {
  return new Execution(work, context).run();
}

/** A hook threw: the execution ends with this reason, without running anything more. */
class Halt extends Error {}

class Execution {
  private readonly items: ItemResult[] = [];
  private windowEndReached = false;
  private readonly settings: ItemSettings;

  constructor(
    private readonly work: MaintenanceWork,
    private readonly context: ExecutionContext,
  ) {
    this.settings = {
      deadline: context.deadline,
      cwd: context.cwd,
      env: context.env,
      patterns: secretPatterns(context.secrets),
      workflows: context.workflows,
      defaultRef: context.defaultRef,
      now: () => context.now(),
      sleep: (ms) => context.sleep(ms),
      allowList: allowList(context.checks?.allowHosts ?? []),
      resolveHost: context.resolveHost ?? systemResolver,
      graceMs: context.graceMs ?? 10_000,
      pollIntervalMs: context.pollIntervalMs ?? 10_000,
    };
  }

  async run(): Promise<ExecutionReport> {
    const interrupted = this.interruption();
    if (interrupted) return interrupted;
    try {
      return await this.forward();
    } catch (error) {
      if (error instanceof Halt) return this.report('failed', error.message);
      throw error;
    }
  }

  private async forward(): Promise<ExecutionReport> {
    const pre = await this.phase('pre-check');
    if (pre) {
      this.skip('step', 0, `not run: ${stopWords(pre)}`);
      this.skip('post-check', 0, `not run: ${stopWords(pre)}`);
      return this.report('failed', `${capital(this.cause(pre))}; no step was run.`);
    }
    const step = await this.phase('step');
    if (step) {
      this.skip('post-check', 0, `not run: ${stopWords(step)}`);
      if (step.status === 'skipped' && step.index === 0) {
        return this.report('failed', `${capital(this.cause(step))}; no step was run.`);
      }
      const remaining = this.work.steps.length - step.index - 1;
      const skipped =
        remaining > 0
          ? `, and ${count(remaining, 'remaining step')} ${remaining === 1 ? 'was' : 'were'} skipped`
          : '';
      return this.rollBack(`${capital(this.cause(step))}${skipped}`);
    }
    const post = await this.phase('post-check');
    if (post) return this.rollBack(capital(this.cause(post)));
    return this.report('completed', this.allPassed());
  }

  /** Runs the rollback after `cause` (a sentence without its full stop), then the post-checks again. */
  private async rollBack(cause: string): Promise<ExecutionReport> {
    const { rollbackSteps, checksAfter } = this.work;
    if (rollbackSteps.length === 0) {
      return this.report('failed', `${cause}; there are no rollback steps: it needs a person.`);
    }
    const rollback = await this.phase('rollback');
    if (rollback) {
      this.skip('post-check-after-rollback', 0, `not run: ${stopWords(rollback)}`);
      return this.report('failed', `${cause}; then ${this.cause(rollback)}: it needs a person.`);
    }
    const after = await this.phase('post-check-after-rollback');
    const rolledBack = `${count(rollbackSteps.length, 'rollback step')} passed`;
    if (after) {
      return this.report(
        'failed',
        `${cause}; ${rolledBack}, but then ${this.cause(after)}: it needs a person.`,
      );
    }
    const checked =
      checksAfter.length > 0 ? ` and ${count(checksAfter.length, 'post-check')} passed again` : '';
    return this.report('rolled-back', `${cause}; ${rolledBack}${checked}.`);
  }

  /** Runs a phase's items in order; returns the item that stopped it (failed, timed out, or the window). */
  private async phase(phase: Phase): Promise<ItemResult | undefined> {
    const docs = this.docs(phase);
    const kind = phase === 'step' || phase === 'rollback' ? 'step' : 'check';
    const bounded = phase === 'pre-check' || phase === 'step';
    for (const [index, doc] of docs.entries()) {
      const ref = itemRef(phase, index, doc.name);
      if (bounded && this.context.now() >= this.context.deadline) {
        this.windowEndReached = true;
        const late: ItemResult = {
          ...ref,
          status: 'skipped',
          detail: `not run: the window ended at ${this.end()}`,
        };
        this.items.push(late);
        this.skip(phase, index + 1, 'not run: the window had ended');
        return late;
      }
      await this.hook(ref, 'before', () => this.context.beforeEach(ref));
      const result = await runItem({ ref, doc, kind, bounded }, this.settings);
      this.items.push(result);
      if (result.status === 'stopped-at-deadline') this.windowEndReached = true;
      await this.hook(ref, 'after', async () => this.context.afterEach?.(result));
      if (result.status !== 'passed') {
        this.skip(phase, index + 1, `not run: ${stopWords(result)}`);
        return result;
      }
    }
    return undefined;
  }

  private async hook(ref: ItemRef, when: 'before' | 'after', call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (when === 'before') this.items.push({ ...ref, status: 'skipped', detail: `not run: ${message}` });
      const changed =
        ref.phase === 'pre-check' ? 'no step was run' : 'nothing more was run: it needs a person';
      throw new Halt(`Stopped ${when} ${itemLabel(ref)} (${message}); ${changed}.`);
    }
  }

  /** Any key from an interrupted run means its items may have changed the system: run nothing again. */
  private interruption(): ExecutionReport | undefined {
    const started = this.context.alreadyStarted;
    if (!started || started.size === 0) return undefined;
    const planned = PHASES.flatMap((phase) => this.docs(phase).map((doc, i) => itemRef(phase, i, doc.name)));
    const latest = planned.reverse().find((ref) => started.has(ref.key));
    if (latest) {
      this.items.push({ ...latest, status: 'skipped', detail: 'not run again: an interrupted run began it' });
    }
    const what = latest ? itemLabel(latest) : [...started].join(', ');
    return this.report(
      'failed',
      `A previous run was interrupted after it began ${what}; nothing was run again: it needs a person to ` +
        'check the system and finish or roll back by hand.',
    );
  }

  private docs(phase: Phase): (StepDocument | CheckDocument)[] {
    const { checksBefore, steps, checksAfter, rollbackSteps } = this.work;
    const byPhase: Record<Phase, (StepDocument | CheckDocument)[]> = {
      'pre-check': checksBefore,
      step: steps,
      'post-check': checksAfter,
      rollback: rollbackSteps,
      'post-check-after-rollback': checksAfter,
    };
    return byPhase[phase];
  }

  private skip(phase: Phase, from: number, detail: string): void {
    for (const [index, doc] of this.docs(phase).entries()) {
      if (index >= from) this.items.push({ ...itemRef(phase, index, doc.name), status: 'skipped', detail });
    }
  }

  /** What stopped a phase, as a clause: `step 2 'migrate' failed (exit code 1)`. */
  private cause(item: ItemResult): string {
    const label = itemLabel(item);
    switch (item.status) {
      case 'stopped-at-deadline':
        return `the window's end (${this.end()}) was reached during ${label}, which was stopped`;
      case 'skipped':
        return `the window's end (${this.end()}) was reached before ${label} could start`;
      case 'timed-out':
        return `${label} ${item.detail}`;
      default:
        return `${label} failed (${item.detail})`;
    }
  }

  private allPassed(): string {
    const parts = [
      [this.work.checksBefore.length, 'pre-check'],
      [this.work.steps.length, 'step'],
      [this.work.checksAfter.length, 'post-check'],
    ] as const;
    const said = parts.filter(([n]) => n > 0).map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`);
    if (said.length === 0) return 'There was nothing to run.';
    const list = said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said[said.length - 1]}`;
    return `The ${list} passed.`;
  }

  private end(): string {
    return isoUtc(this.context.deadline);
  }

  private report(outcome: Outcome, reason: string): ExecutionReport {
    return { outcome, reason, windowEndReached: this.windowEndReached, items: this.items };
  }
}

/** Why later items did not run, short: `step 2 'migrate' failed`. */
function stopWords(item: ItemResult): string {
  const words: Record<ItemResult['status'], string> = {
    passed: 'passed',
    failed: 'failed',
    'timed-out': 'timed out',
    'stopped-at-deadline': "was stopped at the window's end",
    skipped: "could not start before the window's end",
  };
  return `${itemLabel(item)} ${words[item.status]}`;
}

function count(n: number, noun: string): string {
  return n === 1 ? `the ${noun}` : `the ${n} ${noun}s`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
