// Rule `conflict`: overlapping work on the same environment and service is an error naming the
// other request; overlapping work on other services of the environment is a warning.
import type { Finding } from '../../model/types.ts';
import { describeOccurrence } from '../windows.ts';
import { formatDay } from '../time.ts';
import type { Rule } from './rule.ts';

export const conflictRule: Rule = {
  id: 'conflict',
  bypassable: false,
  check(request, context): Finding[] {
    const findings: Finding[] = [];
    const { sameService, sameEnvironment } = context.policy.conflicts;
    for (const overlap of context.overlaps.overlapsOf(request.id)) {
      if (overlap.at.end <= context.now) continue;
      const when = `${formatDay(overlap.at.start, request.zone)}, ${describeOccurrence(overlap.at, request.zone)}`;
      const other = `\`${overlap.other.id}\` ("${overlap.other.title}", ${overlap.other.file})`;
      const times = overlap.count > 1 ? ` (${overlap.count} overlapping occurrences)` : '';
      if (overlap.sharedServices.length > 0) {
        findings.push({
          rule: 'conflict',
          severity: sameService,
          message: `overlaps ${other} on ${request.environment}/${overlap.sharedServices.join(', ')} on ${when}${times}: two changes to one service at once make failures impossible to attribute; move one of them`,
          path: ['services'],
        });
      } else if (sameEnvironment !== 'off') {
        findings.push({
          rule: 'conflict',
          severity: sameEnvironment,
          message: `runs at the same time as ${other} in ${request.environment} (services ${overlap.other.services.join(', ')}) on ${when}${times}; check they do not depend on each other`,
          path: ['start'],
        });
      }
    }
    return findings;
  },
};
