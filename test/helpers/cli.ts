// Runs the command line in-process with captured output and a fixed clock.
import { runCli } from '../../src/cli/program.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], options: { cwd?: string; now?: string } = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => Date.parse(options.now ?? '2027-01-04T00:00:00Z'),
    cwd: options.cwd ?? process.cwd(),
    env: {},
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
