// Runs the command line in-process with captured output and a fixed clock.
import { runCli } from '../../src/cli/program.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  options: { cwd?: string; now?: string; answers?: string[] } = {},
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
