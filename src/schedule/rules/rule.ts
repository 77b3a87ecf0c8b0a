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
  return `${first}${occurrencesNote(request, problems.length, total)}`;
}

/** ` (and 3 more of the 12 occurrences checked)` for a series with problems at several occurrences. */
export function occurrencesNote(request: MaintenanceRequest, problems: number, total: number): string {
  if (!request.series || total <= 1 || problems === 0) return '';
  const more = problems - 1;
  return more > 0
    ? ` (and ${more} more of the ${total} occurrences checked)`
    : ` (1 of the ${total} occurrences checked)`;
}

/** `` `a`, `b`, `c` and 20 more `` : the first few ids of a list that can be long. */
export function someIds(ids: readonly string[], shown = 3): string {
  const named = ids.slice(0, shown).map((id) => `\`${id}\``);
  if (ids.length > shown) return `${named.join(', ')} and ${ids.length - shown} more`;
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}
