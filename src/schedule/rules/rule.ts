// What a rule is: a named, pure check of one request against the policy and the other requests.
import type { Finding, Interval, MaintenanceRequest, Policy, RuleId } from '../../model/types.ts';
import type { BlackoutCalendar } from '../blackouts.ts';
import type { OverlapIndex } from '../conflicts.ts';
import type { WindowCalendar } from '../windows.ts';

export interface RuleContext {
  policy: Policy;
  now: number;
  /** The occurrences checked: those ending after `now` within the policy horizon (one for a plain request). */
  occurrences(request: MaintenanceRequest): readonly Interval[];
  /** The allowed windows of an environment; undefined when work may happen at any time. */
  windowsOf(environment: string): WindowCalendar | undefined;
  /** The policy's avoid-hours as a calendar. */
  avoidHours: WindowCalendar;
  blackouts: BlackoutCalendar;
  overlaps: OverlapIndex;
  /** Whether minimum notice applies: new requests and those whose times changed. */
  noticeApplies(request: MaintenanceRequest): boolean;
}

export interface Rule {
  id: RuleId;
  /** An emergency may skip this rule when the policy's `emergency.may_bypass` names it. */
  bypassable: boolean;
  check(request: MaintenanceRequest, context: RuleContext): Finding[];
}

/** Reports a problem found on some occurrences of a series once, counting the others. */
export function aboutOccurrences(
  request: MaintenanceRequest,
  problems: readonly string[],
  total: number,
): string | undefined {
  const [first] = problems;
  if (first === undefined) return undefined;
  if (!request.series || total <= 1) return first;
  const more = problems.length - 1;
  return `${first}${more > 0 ? ` (and ${more} more of the ${total} occurrences checked)` : ` (1 of the ${total} occurrences checked)`}`;
}
