// `maint approvals --snapshot FILE`: replay the approvals decision on a snapshot the action gathered
// (or one written by hand), against the policy.
import { Option, type Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyseApprovals } from '../approvals/evaluate.ts';
import { explainApprovals } from '../approvals/explain.ts';
import { parseSnapshot } from '../approvals/snapshot.ts';
import { UsageError } from '../errors.ts';
import { describeSize } from '../model/yaml-source.ts';
import { loadPolicy } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption } from './options.ts';

export interface ApprovalsOptions {
  snapshot: string;
  policy?: string;
  format: string;
}

/** Room for a CODEOWNERS file at GitHub's 3 MB limit plus a large pull request's files and reviews. */
const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

export function runApprovals(options: ApprovalsOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json'] as const);
  const path = resolve(io.cwd, options.snapshot);
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UsageError(`--snapshot ${options.snapshot}: no such file`);
  const size = statSync(path).size;
  if (size > MAX_SNAPSHOT_BYTES)
    throw new UsageError(`--snapshot ${options.snapshot}: is ${describeSize(size)}, over the 32 MiB limit`);
  const checked = parseSnapshot(readFileSync(path, 'utf8'));
  if (checked.errors)
    throw new UsageError(
      `--snapshot ${options.snapshot} is not a valid approvals snapshot:\n${checked.errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  const { policy } = loadPolicy(options.policy, io.cwd);
  const { decision, hints } = analyseApprovals(checked.snapshot, policy);
  io.out(format === 'json' ? JSON.stringify(decision, null, 2) : explainApprovals(decision, hints));
  return decision.approved ? EXIT.ok : EXIT.failed;
}

export function registerApprovalsCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('approvals')
    .description('decide whether a pull request has the approvals it needs, from a snapshot (exit 1 if not)')
    .requiredOption(
      '--snapshot <file>',
      'the JSON snapshot the action gathered (author, files, reviews, ...)',
    )
    .option(
      '--policy <file>',
      'policy file (default: .github/maintenance-policy.yaml, else the built-in default)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: ApprovalsOptions) => setExit(runApprovals(options, io)));
}
