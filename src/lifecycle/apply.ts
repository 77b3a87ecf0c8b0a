// Recording actions: each one is added to `done` and the log once, and moves the state. Recording an
// action twice, or one the state does not allow (a start after a miss), changes nothing.
import { isoUtc } from '../schedule/time.ts';
import { parseOccurrenceKey } from './keys.ts';
import {
  FINAL_STATES,
  PENDING_STATES,
  coherentState,
  hasDone,
  stateOf,
  type ActionName,
  type LifecycleState,
  type OccurrenceState,
  type PlannedAction,
  type StateMap,
} from './state.ts';

export type ApplyOutcome = { ok: true; state: OccurrenceState } | { ok: false; reason: string };

const ACTIVE: ReadonlySet<LifecycleState> = new Set(['announced', 'reminded']);
const RUNNING: ReadonlySet<LifecycleState> = new Set(['in-progress']);
const NOT_FINAL: ReadonlySet<LifecycleState> = new Set([...PENDING_STATES, 'in-progress']);
const ANY: ReadonlySet<LifecycleState> = new Set([...NOT_FINAL, ...FINAL_STATES]);
const REVIEWABLE: ReadonlySet<LifecycleState> = new Set(['completed', 'failed', 'rolled-back', 'missed']);

/** Which states an action may be recorded in, and the state it leads to (undefined: unchanged). */
function transition(action: ActionName): { from: ReadonlySet<LifecycleState>; to?: LifecycleState } {
  if (action.startsWith('remind:')) return { from: ACTIVE, to: 'reminded' };
  // The review comes after the end (review.ts); a cancelled maintenance has nothing to review.
  if (action === 'review' || action === 'reviewed' || action.startsWith('review-remind:'))
    return { from: REVIEWABLE };
  if (action.startsWith('skip:')) return { from: NOT_FINAL };
  switch (action) {
    case 'announce':
      return { from: new Set(['scheduled']), to: 'announced' };
    case 'start':
      return { from: ACTIVE, to: 'in-progress' };
    case 'miss':
      return { from: PENDING_STATES, to: 'missed' };
    case 'cancel':
      return { from: PENDING_STATES, to: 'cancelled' };
    case 'silence':
    case 'stop':
      return { from: action === 'stop' ? RUNNING : NOT_FINAL };
    case 'unsilence':
      return { from: ANY };
    case 'complete':
      return { from: RUNNING, to: 'completed' };
    case 'rollback':
      return { from: RUNNING, to: 'rolled-back' };
    case 'fail':
      // Pre-checks run before the start is recorded: their failure ends an announced maintenance.
      return { from: new Set([...ACTIVE, 'in-progress']), to: 'failed' };
    default:
      return { from: new Set() };
  }
}

/** Records one action on an occurrence's state (undefined: nothing has happened yet). */
export function applyAction(
  current: OccurrenceState | undefined,
  action: Pick<PlannedAction, 'action' | 'note'>,
  now: number,
): ApplyOutcome {
  const state: OccurrenceState = current ?? { state: 'scheduled', done: [] };
  if (hasDone(state, action.action)) return { ok: false, reason: `${action.action} is already done` };
  if (action.action === 'unsilence' && !hasDone(state, 'silence'))
    return { ok: false, reason: 'there is no silence to lift' };
  const { from, to } = transition(action.action);
  if (!from.has(state.state))
    return { ok: false, reason: `${action.action} does not apply to a maintenance that is ${state.state}` };
  const at = isoUtc(now);
  const next: OccurrenceState = {
    ...state,
    state: to ?? state.state,
    done: [...state.done, action.action],
    log: [...(state.log ?? []), { at, action: action.action, ...(action.note ? { note: action.note } : {}) }],
  };
  if (action.action === 'start') next.actual = { ...state.actual, start: at };
  if (to && FINAL_STATES.has(to) && state.state === 'in-progress') next.actual = { ...state.actual, end: at };
  return { ok: true, state: next };
}

/** Records a tick's actions in order; those already done or not allowed are left out. */
export function applyActions(states: StateMap, actions: readonly PlannedAction[], now: number): StateMap {
  const next: StateMap = { ...states };
  for (const action of actions) {
    if (!parseOccurrenceKey(action.id)) continue; // not a key: never a property such as __proto__
    const outcome = applyAction(coherentState(stateOf(next, action.id)), action, now);
    if (outcome.ok) next[action.id] = outcome.state;
  }
  return next;
}

/** When the work really started and ended: `actual`, else the log's start and outcome entries. */
export function actualTimes(state: OccurrenceState): { start?: number; end?: number } {
  const logged = (names: readonly string[]) => state.log?.find((e) => names.includes(e.action))?.at;
  const start = state.actual?.start ?? logged(['start']);
  const end =
    state.actual?.end ?? (start === undefined ? undefined : logged(['complete', 'fail', 'rollback']));
  const parse = (text: string | undefined) => {
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const out: { start?: number; end?: number } = {};
  const s = parse(start);
  const e = parse(end);
  if (s !== undefined) out.start = s;
  if (e !== undefined) out.end = e;
  return out;
}
