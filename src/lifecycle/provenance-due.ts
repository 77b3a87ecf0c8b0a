// When a request's provenance must be established again: a pure rule, shared by the tick's gather
// (which facts to ask GitHub for) and its plan (which occurrences take the fresh decision).
import type { MaintenanceRequest } from '../model/types.ts';
import type { PlanOccurrence } from './plan.ts';
import { PENDING_STATES, type OccurrenceState, type PlannedAction } from './state.ts';
import { isManual } from './work.ts';

export const isPending = (state: OccurrenceState | undefined) => !state || PENDING_STATES.has(state.state);

/** Work the tick would hand to an execute run: a request with steps. */
export const automated = (request: MaintenanceRequest) => !isManual(request);

/**
 * Provenance is established when the work is announced, again whenever the file's content differs
 * from what was established, and once more when the work becomes due (so a dispatch rests on a fresh
 * check); a quiet tick compares blobs it already has and asks GitHub nothing.
 */
export function provenanceDue(
  occurrence: PlanOccurrence,
  state: OccurrenceState | undefined,
  actions: readonly PlannedAction[],
  blob: string | undefined,
): boolean {
  const { request, timeline } = occurrence;
  if (!automated(request) || request.status === 'cancelled' || occurrence.removed) return false;
  if (!isPending(state)) return false;
  const announcing = actions.some((a) => a.action === 'announce');
  const starting = actions.some((a) => a.action === 'start');
  if (!announcing && !starting && state?.done.includes('announce') !== true) return false;
  const recorded = state?.provenance;
  if (!recorded || recorded.blob !== blob) return true;
  return starting && Date.parse(recorded.checked) < timeline.start;
}
