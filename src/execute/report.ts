// What an execution reports: each item (check or step) with its phase, key and result, and the outcome
// with a sentence of reason. The result issue renders this; the caller records it through the hooks.

/** Where an item runs; post-checks run a second time, as their own phase, after a rollback. */
export type Phase = 'pre-check' | 'step' | 'post-check' | 'rollback' | 'post-check-after-rollback';

export const PHASES: readonly Phase[] = [
  'pre-check',
  'step',
  'post-check',
  'rollback',
  'post-check-after-rollback',
];

export const ITEM_STATUSES = ['passed', 'failed', 'timed-out', 'skipped', 'stopped-at-deadline'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export type Outcome = 'completed' | 'failed' | 'rolled-back';

/** One check or step as the hooks see it before it runs. */
export interface ItemRef {
  phase: Phase;
  /** Position in its list, from 0. */
  index: number;
  name: string;
  /** `${phase}:${index}`, e.g. `step:1` for the second step: what a caller records durably. */
  key: string;
}

export interface ItemResult extends ItemRef {
  status: ItemStatus;
  /** One line on what happened: `exit code 1`, `HTTP 500 in 12 ms, expected 2xx`, `not run: ...`. */
  detail: string;
  /** Epoch ms; absent for items that did not run. */
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  exitCode?: number;
  httpStatus?: number;
  /** Combined stdout and stderr (or a failing HTTP answer's body), secrets masked, long output cut short. */
  output?: string;
  /** The dispatched workflow run, for `workflow:` steps. */
  runUrl?: string;
}

export interface ExecutionReport {
  outcome: Outcome;
  /** One or two sentences for people: what happened and what was done about it. */
  reason: string;
  /** The window's end stopped or prevented an item. */
  windowEndReached: boolean;
  /** Every item run, and the planned ones not run (status `skipped`, with why), in order. */
  items: ItemResult[];
}

export function itemRef(phase: Phase, index: number, name: string): ItemRef {
  return { phase, index, name, key: `${phase}:${index}` };
}

const PHASE_LABELS: Record<Phase, string> = {
  'pre-check': 'pre-check',
  step: 'step',
  'post-check': 'post-check',
  rollback: 'rollback step',
  'post-check-after-rollback': 'post-check',
};

/** How people read an item: `step 2 'migrate'` (numbered from 1). */
export function itemLabel(item: ItemRef): string {
  return `${PHASE_LABELS[item.phase]} ${item.index + 1} '${item.name}'`;
}
