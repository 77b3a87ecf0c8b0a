// What running one check or step yields before the engine adds its phase, timing and the window's end;
// shared by the shell, HTTP and workflow runners.
import { formatDuration } from '../schedule/time.ts';

export interface Attempt {
  status: 'passed' | 'failed' | 'timed-out';
  /** One line; for `timed-out`, what was done about it (the engine says after how long). */
  detail: string;
  exitCode?: number;
  httpStatus?: number;
  output?: string;
  runUrl?: string;
}

/** Spans under a minute as checks use them (300 ms, 12.5 s); longer ones as the schedule says them. */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return formatDuration(ms);
}
