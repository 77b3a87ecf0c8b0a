// Entry of the `maint` command: wire the real process to the command line.
import { runCli } from './cli/program.ts';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => Date.now(),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
