// Rule `blackout`: no part of the request falls in a blackout period of its environment.
import type { Finding } from '../../model/types.ts';
import { describePeriod } from '../blackouts.ts';
import { formatBoth } from '../time.ts';
import { aboutOccurrences, type Rule } from './rule.ts';

export const blackoutRule: Rule = {
  id: 'blackout',
  bypassable: true,
  check(request, context): Finding[] {
    const occurrences = context.occurrences(request);
    const problems: string[] = [];
    for (const occurrence of occurrences) {
      const [period] = context.blackouts.overlapping(occurrence, request.environment);
      if (!period) continue;
      const span = describePeriod(period, context.policy.timezone);
      const which = request.series
        ? `its occurrence of ${formatBoth(occurrence.start, request.zone)}`
        : `starts ${formatBoth(occurrence.start, request.zone)}, which`;
      problems.push(
        `${which} falls in the blackout "${period.name}" (${span})${period.reason ? `: ${period.reason}` : ''}; move it after the blackout ends`,
      );
    }
    const message = aboutOccurrences(request, problems, occurrences.length);
    return message ? [{ rule: 'blackout', severity: 'error', message, path: ['start'] }] : [];
  },
};
