// Entry of the `maint` command: wire the real process to the command line. The same file runs the
// threads that read large request folders in parallel.
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/program.ts';
import { isRequestReaderThread, serveRequestReader } from './workspace/parallel-read.ts';

if (isRequestReaderThread()) {
  serveRequestReader();
} else {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    now: () => Date.now(),
    cwd: process.cwd(),
    env: process.env,
    workerScript: fileURLToPath(import.meta.url),
    ...(process.stdin.isTTY ? { ask: askOnTerminal } : {}),
  });
}

/** One question on the terminal; an empty answer when input ends. */
async function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } catch {
    return '';
  } finally {
    terminal.close();
  }
}
