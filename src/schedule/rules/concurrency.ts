// Rule `concurrency`: no more maintenance at once in an environment than its limit.
import type { Finding } from '../../model/types.ts';
import { formatBoth } from '../time.ts';
import type { Rule } from './rule.ts';

export const concurrencyRule: Rule = {
  id: 'concurrency',
  bypassable: false,
  check(request, context): Finding[] {
    return context.overlaps
      .peaksOf(request.id)
      .filter(
        (peak) => peak.at >= context.now || context.occurrences(request).some((o) => o.end > context.now),
      )
      .map((peak) => ({
        rule: 'concurrency' as const,
        severity: 'error' as const,
        message: `${peak.requests.length} maintenances would run at once in ${peak.environment} at ${formatBoth(peak.at, request.zone)} (the policy allows ${peak.limit}): ${peak.requests.map((r) => `\`${r.id}\``).join(', ')}; move one of them`,
        path: ['start'],
      }));
  },
};
