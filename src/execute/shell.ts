// Runs a `run:` script the way GitHub's default shell does (bash --noprofile --norc -eo pipefail), in its
// own process group so a timeout stops the whole tree, with only the environment it is given.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { OutputCapture } from './output.ts';

export interface ShellOptions {
  cwd: string;
  /** The whole environment of the script: nothing of this process's own is inherited. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  /** Secret byte patterns to mask in the output (mask.ts). */
  patterns: readonly Buffer[];
}

export interface ShellResult {
  /** Null when a signal ended the script or it could not start. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Why the script could not start (a missing cwd, no bash). */
  startError?: string;
  output: string;
}

/** After the SIGKILL, how long the output pipes are still read before they are given up. */
const DRAIN_MS = 1000;

let bash: string | undefined;

/** The runner's bash, found on this process's PATH: the script's env need not carry one. */
function bashPath(): string {
  bash ??=
    (process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'bash'))
      .find((file) => {
        try {
          accessSync(file, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }) ?? '/bin/bash';
  return bash;
}

/** The script's process group: the shell and everything it started that did not leave the group. */
class ProcessGroup {
  private escalation: NodeJS.Timeout | undefined;

  constructor(private readonly id: number) {}

  signal(signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.id, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGTERM now, SIGKILL after the grace period: time to clean up, but no way to outlast it. */
  stop(graceMs: number): void {
    if (this.escalation) return;
    this.signal('SIGTERM');
    this.escalation = setTimeout(() => this.signal('SIGKILL'), graceMs);
  }

  dispose(): void {
    clearTimeout(this.escalation);
  }
}

export async function runShell(script: string, options: ShellOptions): Promise<ShellResult> {
  const capture = new OutputCapture(options.patterns);
  const child = spawn(bashPath(), ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => capture.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => capture.write(chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: Error }>(
    (resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ error }));
    },
  );
  if (child.pid === undefined) {
    const end = await ended;
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      startError: 'error' in end ? end.error.message : 'the shell did not start',
      output: capture.text(),
    };
  }

  const group = new ProcessGroup(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    group.stop(options.graceMs);
  }, options.timeoutMs);
  const end = await ended;
  clearTimeout(timer);
  // Whatever the script left running goes too: nothing outlives its step. The output pipes close when
  // the last holder dies (after the SIGKILL at the latest, plus a moment to read what is left in them);
  // only a holder that left the group (setsid) can keep them open, and it must not keep us waiting.
  if (group.signal(0)) group.stop(options.graceMs);
  let drained = false;
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    closed.then(() => (drained = true)),
    new Promise((resolve) => (drainTimer = setTimeout(resolve, options.graceMs + DRAIN_MS))),
  ]);
  clearTimeout(drainTimer);
  group.signal('SIGKILL');
  group.dispose();
  if (!drained) {
    child.stdout.destroy();
    child.stderr.destroy();
  }
  if ('error' in end) {
    return { exitCode: null, signal: null, timedOut, startError: end.error.message, output: capture.text() };
  }
  return { exitCode: end.code, signal: end.signal, timedOut, output: capture.text() };
}
