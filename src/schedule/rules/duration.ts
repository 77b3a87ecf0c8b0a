// Rule `duration`: the request is no longer than the policy allows for its impact or type.
import type { Finding, MaintenanceRequest, Policy } from '../../model/types.ts';
import { formatDuration } from '../time.ts';
import type { Rule } from './rule.ts';

export function maximumDuration(
  request: Pick<MaintenanceRequest, 'type' | 'impact'>,
  policy: Policy,
): number | undefined {
  if (request.type === 'emergency' && policy.maxDuration.emergency !== undefined)
    return policy.maxDuration.emergency;
  return policy.maxDuration[request.impact];
}

export const durationRule: Rule = {
  id: 'duration',
  bypassable: true,
  check(request, context): Finding[] {
    const limit = maximumDuration(request, context.policy);
    if (limit === undefined || request.durationMs <= limit) return [];
    const kind =
      request.type === 'emergency' && context.policy.maxDuration.emergency !== undefined
        ? 'emergency'
        : `${request.impact}-impact`;
    return [
      {
        rule: 'duration',
        severity: 'error',
        message: `lasts ${formatDuration(request.durationMs)}; ${kind} work may last at most ${formatDuration(limit)}: split it into several requests, or raise the impact if it really is bigger`,
        path: [request.end !== undefined ? 'end' : 'duration'],
      },
    ];
  },
};
