// The `maint` command line: one subcommand per task, each with --help; unknown flags are errors
// (exit 2), as are unusable policies; failed checks exit 1.
import { Command, CommanderError, Option } from 'commander';
import { ConfigurationError, UsageError } from '../errors.ts';
import { EXIT, visibleIO, type CliIO } from './io.ts';
import { registerApprovalsCommand } from './approvals.ts';
import { runInit } from './init.ts';
import { runNew } from './new.ts';
import { runNextSlot } from './next-slot.ts';
import { registerNoticesCommand } from './notices.ts';
import { registerOwnersCommand } from './owners.ts';
import { registerPlanCommand } from './plan.ts';
import { registerPublishCommand } from './publish.ts';
import { registerReportCommand } from './report.ts';
import { DEFAULT_DIR, runValidate } from './validate.ts';
import { PARALLEL_FROM_FILES } from '../workspace/parallel-read.ts';
import { BUILD, describeBuild } from '../build-info.ts';

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('maint')
    .description(
      'Planned maintenance as code: validate requests, find free slots, publish calendars and notices.',
    )
    .version(describeBuild(io.build ?? BUILD))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .exitOverride();

  program
    .command('validate')
    .description('check request files against the policy and the other requests')
    .argument('[paths...]', `request files or folders (default: ${DEFAULT_DIR}/)`)
    .option(
      '--policy <file>',
      'policy file (default: .github/maintenance-policy.yaml, else the built-in default)',
    )
    .option('--now <iso>', 'the current time, e.g. 2027-01-04T00:00:00Z (default: the clock)')
    .option('--base <ref>', 'apply minimum notice only to requests added or re-timed since this git ref')
    .option(
      '--dir <folder>',
      `all scheduled requests, for conflicts (default: ${DEFAULT_DIR}/ when it exists)`,
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .option(
      '--jobs <n>',
      `threads that read and parse the files (default: up to 4 from ${PARALLEL_FROM_FILES} files on)`,
    )
    .action(async (paths: string[], options) => setExit(await runValidate(paths, options, io)));

  program
    .command('next-slot')
    .description('print the earliest start (UTC, to the minute) that passes every rule')
    .requiredOption('--env <environment>', 'environment, as the policy names it')
    .requiredOption('--services <list>', 'comma-separated services, e.g. api,db')
    .requiredOption('--duration <duration>', 'how long, e.g. 90m or 2h')
    .addOption(
      new Option('--impact <impact>', 'impact').choices(['low', 'medium', 'high']).makeOptionMandatory(),
    )
    .addOption(
      new Option('--type <type>', 'request type').choices(['standard', 'emergency']).default('standard'),
    )
    .option('--dir <folder>', 'existing requests to avoid', DEFAULT_DIR)
    .option('--after <iso>', 'earliest acceptable start')
    .option('--now <iso>', 'the current time (default: the clock)')
    .option('--policy <file>', 'policy file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options) => setExit(runNextSlot(options, io)));

  program
    .command('new')
    .description('scaffold a valid request, by default at the next free slot')
    .requiredOption('--title <text>', 'what is done, in a few words')
    .requiredOption('--env <environment>', 'environment')
    .requiredOption('--services <list>', 'comma-separated services')
    .requiredOption('--requester <login>', 'GitHub login of the requester')
    .option('--duration <duration>', 'how long', '1h')
    .addOption(new Option('--impact <impact>', 'impact').choices(['low', 'medium', 'high']).default('low'))
    .addOption(
      new Option('--type <type>', 'request type').choices(['standard', 'emergency']).default('standard'),
    )
    .option('--category <category>', 'category', 'other')
    .option('--timezone <zone>', 'IANA zone the start is written in', 'UTC')
    .option('--start <local>', 'local start, e.g. 2027-01-17T02:00 (default: the next free slot)')
    .option('--id <id>', 'request id and file name (default: from the title)')
    .option('--description <text>', 'what will be done')
    .option('--impact-description <text>', 'what users will notice')
    .option('--rollback <text>', 'how to revert')
    .option('--justification <text>', 'why (required for emergencies)')
    .option('--dir <folder>', 'requests folder', DEFAULT_DIR)
    .option('--now <iso>', 'the current time (default: the clock)')
    .option('--policy <file>', 'policy file')
    .option('--print', 'print the request instead of writing it')
    .action((options) => setExit(runNew(options, io)));

  program
    .command('init')
    .description('write the default policy, the schemas, a CODEOWNERS example and the workflows')
    .option('--dir <folder>', 'repository root', '.')
    .option(
      '--action <ref>',
      "the action the workflows use: owner/name, or 'owner/name@<commit> # vX.Y.Z' (default: this release's own commit)",
    )
    .option('--force', 'replace existing files')
    .option('--hub', 'set up a hub over many repositories instead: .github/maint-hub.yaml and its workflow')
    .option(
      '--teams <list>',
      "the organisation's approver teams for the policy, e.g. medium=acme/eng-leads,high=acme/cto,emergency=acme/oncall-leads (asked on a terminal otherwise)",
    )
    .action(async (options) => setExit(await runInit(options, io)));

  registerOwnersCommand(program, io, setExit);
  registerApprovalsCommand(program, io, setExit);
  registerNoticesCommand(program, io, setExit);
  registerPlanCommand(program, io, setExit);
  registerPublishCommand(program, io, setExit);
  registerReportCommand(program, io, setExit);
  return program;
}

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], terminal: CliIO): Promise<number> {
  const io = visibleIO(terminal);
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.err(`maint: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigurationError) {
      io.err(`maint: ${error.message}`);
      return EXIT.usage;
    }
    // Anything else is a bug: say so in one line; the stack only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      `maint: internal error: ${message}\nThis is a bug in maint: please report it with the command and the files it read${io.env.MAINT_DEBUG ? '' : ' (set MAINT_DEBUG=1 to print the stack)'}.`,
    );
    if (io.env.MAINT_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return EXIT.usage;
  }
}
