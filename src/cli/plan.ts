// `maint plan --now ISO`: the actions the next tick would take, as a dry run that touches nothing.
import { Option, type Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { describePlannedAction } from '../lifecycle/describe.ts';
import { planTick, type PlanProblem } from '../lifecycle/plan.ts';
import { parseStateMap } from '../lifecycle/state-parse.ts';
import type { StateMap } from '../lifecycle/state.ts';
import { describeSize } from '../model/yaml-source.ts';
import { formatInstant } from '../schedule/time.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, instantOption } from './options.ts';
import { DEFAULT_DIR } from './validate.ts';

export interface PlanOptions {
  dir: string;
  policy?: string;
  now: string;
  state?: string;
  format: string;
}

/** A state file for every open result issue of a large organisation, with room to spare. */
const MAX_STATE_BYTES = 32 * 1024 * 1024;

/** Reads a --state file: `{"<key>": {"state": …, "done": […]}}`. Any problem is a UsageError (exit 2). */
export function readStateFile(file: string, cwd: string): StateMap {
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--state ${file}: no such file`);
  const size = statSync(path).size;
  if (size > MAX_STATE_BYTES)
    throw new UsageError(`--state ${file}: is ${describeSize(size)}, over the 32 MiB limit`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--state ${file}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const parsed = parseStateMap(json);
  if (!parsed.ok) throw new UsageError(`--state ${file}: ${parsed.path}: ${parsed.message}`);
  return parsed.value;
}

export function describeProblem(problem: PlanProblem): string {
  return `warning: ${problem.file ?? problem.id ?? 'policy'}: ${problem.message}`;
}

export function runPlan(options: PlanOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json'] as const);
  const now = instantOption('--now', options.now, io.now);
  const states = options.state === undefined ? {} : readStateFile(options.state, io.cwd);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  const requests = readRequests([options.dir], io.cwd);
  const plan = planTick({ requests, states, policy, now });
  for (const problem of plan.problems) io.err(`maint plan: ${describeProblem(problem)}`);
  if (format === 'json') {
    const actions = plan.actions.map(({ id, action, at }) => ({ id, action, at }));
    io.out(JSON.stringify({ actions }, null, 2));
    return EXIT.ok;
  }
  const zones = new Map(plan.occurrences.map((o) => [o.key, o.request.zone]));
  if (plan.actions.length === 0) io.out(`Nothing is due at ${formatInstant(now, 'UTC')}.`);
  for (const action of plan.actions) io.out(describePlannedAction(action, zones.get(action.id) ?? 'UTC'));
  return EXIT.ok;
}

export function registerPlanCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('print the actions the next scheduled tick would take (a dry run; touches nothing)')
    .requiredOption('--now <iso>', 'the time of the tick, e.g. 2027-01-09T02:00:00Z')
    .option('--dir <folder>', 'the requests', DEFAULT_DIR)
    .option(
      '--policy <file>',
      'policy file (default: .github/maintenance-policy.yaml, else the built-in default)',
    )
    .option(
      '--state <file>',
      'JSON of what has happened, by request id or occurrence key (default: nothing yet)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: PlanOptions) => setExit(runPlan(options, io)));
}
