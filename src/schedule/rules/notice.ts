// Rule `notice`: new or re-timed requests give the minimum notice their impact (or emergency) needs.
import type { Finding, MaintenanceRequest, Policy } from '../../model/types.ts';
import { formatBoth, formatDuration } from '../time.ts';
import type { Rule } from './rule.ts';

/** The notice a request needs under the policy. */
export function requiredNotice(
  request: Pick<MaintenanceRequest, 'type' | 'impact' | 'incident'>,
  policy: Pick<Policy, 'notice'>,
): number {
  if (request.type === 'emergency')
    return request.incident ? policy.notice.emergencyWithIncident : policy.notice.emergency;
  return policy.notice[request.impact];
}

export const noticeRule: Rule = {
  id: 'notice',
  bypassable: true,
  check(request, context): Finding[] {
    if (!context.noticeApplies(request)) return [];
    const next = context.occurrences(request).find((o) => o.start > context.now);
    if (!next) return [];
    const needed = requiredNotice(request, context.policy);
    const lead = next.start - context.now;
    if (lead >= needed) return [];
    const who =
      request.type === 'emergency'
        ? `emergency work needs ${formatDuration(needed)} of notice${request.incident ? ' with its incident reference' : ', or less with an `incident` reference if the policy allows'}`
        : `${request.impact}-impact work needs ${formatDuration(needed)} of notice`;
    return [
      {
        rule: 'notice',
        severity: 'error',
        message: `starts ${formatBoth(next.start, request.zone)}, only ${formatDuration(Math.max(0, lead - (lead % 60_000)))} from now; ${who}: start at ${formatBoth(context.now + needed, request.zone)} or later`,
        path: ['start'],
      },
    ];
  },
};
