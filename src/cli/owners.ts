// `maint owners PATH...`: the code owners GitHub would assign to each path, from CODEOWNERS.
import { Option, type Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CODEOWNERS_LOCATIONS,
  ownersOf,
  parseCodeowners,
  winningRule,
  type ParsedCodeowners,
} from '../approvals/codeowners.ts';
import { ConfigurationError, UsageError } from '../errors.ts';
import { describeSize } from '../model/yaml-source.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption } from './options.ts';

export interface OwnersOptions {
  codeowners?: string;
  format: string;
}

/** GitHub does not load a CODEOWNERS file of 3 MB or more. */
const MAX_CODEOWNERS_BYTES = 3 * 1000 * 1000;

export interface LoadedCodeowners {
  /** The file as the user named it, or the conventional location found. */
  file: string;
  parsed: ParsedCodeowners;
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** Reads the CODEOWNERS file given, else the first GitHub would use under `root`. */
export function loadCodeowners(file: string | undefined, root: string): LoadedCodeowners {
  const shown = file ?? CODEOWNERS_LOCATIONS.find((location) => isFile(resolve(root, location)));
  if (shown === undefined)
    throw new ConfigurationError(
      'CODEOWNERS',
      `not found: none of ${CODEOWNERS_LOCATIONS.join(', ')} exists under ${root}; name one with --codeowners`,
    );
  const path = resolve(root, shown);
  if (!isFile(path)) throw new ConfigurationError(shown, 'no such CODEOWNERS file');
  const size = statSync(path).size;
  if (size >= MAX_CODEOWNERS_BYTES)
    throw new ConfigurationError(
      shown,
      `is ${describeSize(size)}; GitHub does not load a CODEOWNERS file of 3 MB or more`,
    );
  return { file: shown, parsed: parseCodeowners(readFileSync(path, 'utf8')) };
}

/** `./docs/a.md` and `/docs/a.md` name the repository path `docs/a.md`. */
function repositoryPath(path: string): string {
  return path.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
}

export function runOwners(paths: readonly string[], options: OwnersOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json'] as const);
  if (paths.length === 0) throw new UsageError('name at least one path, e.g. maint owners maintenance/');
  const { file, parsed } = loadCodeowners(options.codeowners, io.cwd);
  if (format === 'json') {
    const owners = Object.fromEntries(paths.map((p) => [p, ownersOf(repositoryPath(p), parsed)]));
    io.out(JSON.stringify({ owners, errors: parsed.errors }, null, 2));
    return EXIT.ok;
  }
  for (const error of parsed.errors) io.err(`warning: ${file}: ${error.message} (GitHub skips this line)`);
  const width = Math.max(...paths.map((p) => p.length));
  for (const path of paths) {
    const rule = winningRule(repositoryPath(path), parsed);
    const owners = rule?.owners ?? [];
    const shown =
      rule === undefined
        ? '(no owners: no line matches)'
        : owners.length === 0
          ? `(no owners: line ${rule.line} clears them)`
          : `${owners.join(' ')}  (line ${rule.line})`;
    io.out(`${path.padEnd(width)}  ${shown}`);
  }
  return EXIT.ok;
}

export function registerOwnersCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('owners')
    .description('print the code owners GitHub assigns to each path, from CODEOWNERS')
    .argument('<paths...>', 'repository paths, e.g. maintenance/2027/db-upgrade.yaml')
    .option(
      '--codeowners <file>',
      `CODEOWNERS file (default: the first of ${CODEOWNERS_LOCATIONS.join(', ')})`,
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((paths: string[], options: OwnersOptions) => setExit(runOwners(paths, options, io)));
}
