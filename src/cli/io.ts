// What a command may touch of the outside world, passed in so tests can capture it.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The clock, read once per command for the default of --now. */
  now(): number;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The running entry file, when it can also serve as a thread that reads request files. */
  workerScript?: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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
