// Rule `avoid-hours`: work during peak hours is a warning, or an error where the policy says so.
import type { Finding } from '../../model/types.ts';
import { describeOccurrence, describeWindow } from '../windows.ts';
import { formatDay } from '../time.ts';
import { aboutOccurrences, type Rule } from './rule.ts';

export const avoidHoursRule: Rule = {
  id: 'avoid-hours',
  bypassable: true,
  check(request, context): Finding[] {
    const { avoidHours } = context.policy;
    if (avoidHours.windows.length === 0) return [];
    const severity = avoidHours.environments[request.environment] ?? avoidHours.severity;
    if (severity === 'off') return [];
    const occurrences = context.occurrences(request);
    const problems: string[] = [];
    for (const occurrence of occurrences) {
      const [peak] = context.avoidHours.between(occurrence.start, occurrence.end);
      if (!peak) continue;
      const overlap = {
        start: Math.max(peak.start, occurrence.start),
        end: Math.min(peak.end, occurrence.end),
      };
      problems.push(
        `runs during ${avoidHours.name.toLowerCase()} (${avoidHours.windows.map((w) => describeWindow(w, occurrence.start, false)).join('; ')}) on ${formatDay(overlap.start, request.zone)}, ${describeOccurrence(overlap, request.zone)}, when most users notice; prefer a quieter time`,
      );
    }
    const message = aboutOccurrences(request, problems, occurrences.length);
    return message ? [{ rule: 'avoid-hours', severity, message, path: ['start'] }] : [];
  },
};
