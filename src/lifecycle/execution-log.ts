// The record an execute run keeps on its occurrence's result issue, in one comment it edits as it
// goes: which run it is, the checks and steps it began (before each runs), and how it ended. The
// scheduler reads it to record the outcome; a re-run of the same run reads it to never run an item
// twice. It is decoded from untrusted comment text: every field checked, never a throw.
import { ITEM_STATUSES, type ItemStatus } from '../execute/report.ts';
import { decodeJsonMarker, encodeJsonMarker } from './marker.ts';
import { parseOccurrenceKey } from './keys.ts';
import { BEGUN_ITEM } from './state.ts';

export const EXECUTION_LOG_VERSION = 1;
const OPEN = '<!-- maint:execution-log';

/** How an execution ended; `refused`: its admission checks failed and nothing ran. */
export const EXECUTION_OUTCOMES = ['completed', 'failed', 'rolled-back', 'refused'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

export interface ExecutionLog {
  /** The occurrence key. */
  key: string;
  /** The workflow run executing it, and its attempt (a re-run keeps the run id). */
  run: number;
  attempt: number;
  /** The commit it checked out. */
  sha: string;
  /** Checks and steps begun, in order (`pre-check:0`, `step:1`, ...). */
  begun: string[];
  /** When the execution began and ended (ISO 8601 UTC). */
  started: string;
  ended?: string;
  outcome?: ExecutionOutcome;
  /** The outcome's reason, for people. */
  reason?: string;
  /** How each check and step ended (those not run: `skipped`), by key; written with the outcome. */
  results?: Record<string, ItemStatus>;
}

/** The visible marker the comment is found (and edited) by: one comment per occurrence. */
export function executionCommentMarker(key: string): string {
  return `<!-- maint:execution ${key} -->`;
}

export function encodeExecutionLog(log: ExecutionLog): string {
  return encodeJsonMarker(OPEN, EXECUTION_LOG_VERSION, log);
}

export type ExecutionLogDecode =
  { kind: 'found'; log: ExecutionLog } | { kind: 'none' } | { kind: 'invalid'; error: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/;

export function decodeExecutionLog(body: string): ExecutionLogDecode {
  const marker = decodeJsonMarker(body, OPEN, EXECUTION_LOG_VERSION, 'execution log');
  if (marker.kind !== 'found') return marker;
  const p = marker.payload;
  const invalid = (error: string): ExecutionLogDecode => ({
    kind: 'invalid',
    error: `execution log: ${error}`,
  });
  const known = ['key', 'run', 'attempt', 'sha', 'begun', 'started', 'ended', 'outcome', 'reason', 'results'];
  const extra = Object.keys(p).find((k) => !known.includes(k));
  if (extra !== undefined) return invalid(`unknown field ${extra}`);
  if (typeof p.key !== 'string' || !parseOccurrenceKey(p.key))
    return invalid('`key` is not an occurrence key');
  const whole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  if (!whole(p.run) || !whole(p.attempt))
    return invalid('`run` and `attempt` must be positive whole numbers');
  if (typeof p.sha !== 'string' || !/^[0-9a-f]{40}$/.test(p.sha)) return invalid('`sha` is not a commit SHA');
  if (!Array.isArray(p.begun) || !p.begun.every((b) => typeof b === 'string' && BEGUN_ITEM.test(b)))
    return invalid('`begun` must list check and step keys such as step:2');
  if (typeof p.started !== 'string' || !ISO.test(p.started))
    return invalid('`started` is not an ISO instant');
  if (p.ended !== undefined && (typeof p.ended !== 'string' || !ISO.test(p.ended)))
    return invalid('`ended` is not an ISO instant');
  if (p.outcome !== undefined && !(EXECUTION_OUTCOMES as readonly unknown[]).includes(p.outcome))
    return invalid(`\`outcome\` is not one of ${EXECUTION_OUTCOMES.join(', ')}`);
  if (p.reason !== undefined && typeof p.reason !== 'string') return invalid('`reason` is not text');
  const results = p.results;
  if (
    results !== undefined &&
    (typeof results !== 'object' ||
      results === null ||
      Array.isArray(results) ||
      !Object.entries(results).every(
        ([key, status]) => BEGUN_ITEM.test(key) && (ITEM_STATUSES as readonly unknown[]).includes(status),
      ))
  )
    return invalid('`results` must map check and step keys such as step:2 to results such as passed');
  return {
    kind: 'found',
    log: {
      key: p.key,
      run: p.run as number,
      attempt: p.attempt as number,
      sha: p.sha,
      begun: p.begun as string[],
      started: p.started,
      ...(p.ended !== undefined ? { ended: p.ended as string } : {}),
      ...(p.outcome !== undefined ? { outcome: p.outcome as ExecutionOutcome } : {}),
      ...(p.reason !== undefined ? { reason: p.reason as string } : {}),
      ...(results !== undefined ? { results: { ...(results as Record<string, ItemStatus>) } } : {}),
    },
  };
}
