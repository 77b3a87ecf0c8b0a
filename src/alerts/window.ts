// When monitoring is silenced for a maintenance: from the policy's lead time before the start until
// the planned end. Pure; instants are epoch milliseconds, so the lead is elapsed time, even across DST.
import type { Interval, MaintenanceRequest, Policy } from '../model/types.ts';

export interface SilenceWindow {
  /** The occurrence start minus `policy.alerts.leadMs`. */
  from: number;
  /** The planned end of the occurrence; an early end lifts the silence sooner. */
  until: number;
}

/**
 * The span to silence for one occurrence of a request. The request is part of the signature so a
 * per-request lead or opt-out can come later without changing every caller.
 */
export function silenceWindow(
  _request: MaintenanceRequest,
  occurrence: Interval,
  policy: Pick<Policy, 'alerts'>,
): SilenceWindow {
  return { from: occurrence.start - policy.alerts.leadMs, until: occurrence.end };
}

/**
 * The part of the window still ahead at `now`: it starts no earlier than now (services refuse or
 * rewrite a start in the past), and there is none once the window has ended.
 */
export function remainingSilence(window: SilenceWindow, now: number): SilenceWindow | undefined {
  if (window.until <= now) return undefined;
  return { from: Math.max(window.from, now), until: window.until };
}
