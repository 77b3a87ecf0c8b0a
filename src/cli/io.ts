// What a command may touch of the outside world, passed in so tests can capture it.
import type { BuildInfo } from '../build-info.ts';
import { showHidden } from '../model/visible-text.ts';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The clock, read once per command for the default of --now. */
  now(): number;
  cwd: string;
  env: Record<string, string | undefined>;
  /** What the running maint is (version, release commit: what `init` pins); default: this build. */
  build?: BuildInfo;
  /** The running entry file, when it can also serve as a thread that reads request files. */
  workerScript?: string;
  /** Asks a question and reads the answer; present only when stdin is a terminal. */
  ask?: (question: string) => Promise<string>;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * The same IO, but what is printed shows control and bidi characters as visible stand-ins (ESC as
 * ␛, U+202E as \u202e): text from files must not clear the screen, move the cursor, erase with
 * backspaces or read backwards in a terminal. Newlines and tabs are kept.
 */
export function visibleIO(io: CliIO): CliIO {
  return { ...io, out: (text) => io.out(showHidden(text)), err: (text) => io.err(showHidden(text)) };
}

/** Writes lines through `out` in batches of about a megabyte: large reports are never held whole. */
export function outLines(io: CliIO, lines: Iterable<string>): void {
  let batch: string[] = [];
  let size = 0;
  for (const line of lines) {
    batch.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      io.out(batch.join('\n'));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) io.out(batch.join('\n'));
}
