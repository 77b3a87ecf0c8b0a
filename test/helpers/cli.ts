// Runs the command line in-process with captured output and a fixed clock.
import type { BuildInfo } from '../../src/build-info.ts';
import { runCli } from '../../src/cli/program.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A build of a release, as the published package is: `init` pins this commit. */
export const RELEASE_BUILD: BuildInfo = {
  version: '1.2.3',
  repository: 'maint-dev/maint',
  releaseCommit: '0123456789abcdef0123456789abcdef01234567',
};

export async function cli(
  argv: string[],
  options: { cwd?: string; now?: string; build?: BuildInfo; answers?: string[] } = {},
): Promise<CliResult & { questions: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => Date.parse(options.now ?? '2027-01-04T00:00:00Z'),
    cwd: options.cwd ?? process.cwd(),
    env: {},
    build: options.build ?? RELEASE_BUILD,
    // As on a terminal: each question gets the next answer (an empty one when they run out).
    ...(options.answers
      ? {
          ask: (question: string) => {
            questions.push(question);
            return Promise.resolve(answers.shift() ?? '');
          },
        }
      : {}),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), questions };
}
