// Shared by the lifecycle tests: requests from a few fields, the default policy, ticks that plan and
// apply, and a seeded PRNG for the property test.
import { applyActions } from '../../src/lifecycle/apply.ts';
import { planTick, type Plan, type RequestSource } from '../../src/lifecycle/plan.ts';
import type { PlannedAction, StateMap } from '../../src/lifecycle/state.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { readRequests } from '../../src/workspace/local.ts';
import { requestFile } from '../helpers/requests.ts';

export const POLICY: Policy = defaultPolicy();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const at = (iso: string): number => Date.parse(iso);

/** A parsed request file from a few fields over the helpers' valid default (production, low, 1 h). */
export function file(id: string, fields: Record<string, string | undefined> = {}): RequestSource {
  const parsed = requestFile(id, fields);
  if (!parsed.request) throw new Error(`${id}: ${JSON.stringify(parsed.findings)}`);
  return parsed;
}

/** The bundled examples in maintenance/. */
export function examples(): RequestSource[] {
  return readRequests(['maintenance'], process.cwd());
}

/** `id action at` per action, the shape the tables compare. */
export function brief(actions: readonly PlannedAction[]): string[] {
  return actions.map((a) => `${a.id} ${a.action} ${a.at}`);
}

export function plan(
  requests: readonly RequestSource[],
  states: StateMap,
  now: string | number,
  policy: Policy = POLICY,
): Plan {
  return planTick({ requests, states, policy, now: typeof now === 'number' ? now : at(now) });
}

/** Plans and applies ticks one after the other; returns every action taken and the final states. */
export function ticks(
  requests: readonly RequestSource[],
  nows: readonly (string | number)[],
  states: StateMap = {},
  policy: Policy = POLICY,
): { actions: PlannedAction[]; perTick: PlannedAction[][]; states: StateMap } {
  const actions: PlannedAction[] = [];
  const perTick: PlannedAction[][] = [];
  let current = states;
  for (const now of nows) {
    const ms = typeof now === 'number' ? now : at(now);
    const planned = planTick({ requests, states: current, policy, now: ms }).actions;
    perTick.push(planned);
    actions.push(...planned);
    current = applyActions(current, planned, ms);
  }
  return { actions, perTick, states: current };
}

export { prng } from '../helpers/prng.ts';
