// Rule `window`: the whole request lies inside one occurrence of an allowed window of its environment.
import type { Finding } from '../../model/types.ts';
import { formatBoth, formatDuration } from '../time.ts';
import { describeOccurrence, describeWindow } from '../windows.ts';
import { aboutOccurrences, type Rule } from './rule.ts';

export const windowRule: Rule = {
  id: 'window',
  bypassable: true,
  check(request, context): Finding[] {
    const calendar = context.windowsOf(request.environment);
    if (!calendar) return [];
    const environment = context.policy.environments[request.environment]!;
    const occurrences = context.occurrences(request);
    const problems: string[] = [];
    for (const occurrence of occurrences) {
      if (calendar.containing(occurrence)) continue;
      const startedIn = calendar.startingIn(occurrence);
      if (startedIn) {
        problems.push(
          `ends ${formatBoth(occurrence.end, request.zone)}, ${formatDuration(occurrence.end - startedIn.end)} after its window (${startedIn.names.join(' + ')}, ${describeOccurrence(startedIn, request.zone)}) closes: shorten it or start earlier so it ends by then`,
        );
      } else {
        const windows = environment.windows.map((w) => describeWindow(w, occurrence.start)).join('; ');
        problems.push(
          `starts ${formatBoth(occurrence.start, request.zone)}, outside the ${request.environment} windows: ${windows || 'none are defined'}; move it into one`,
        );
      }
    }
    const message = aboutOccurrences(request, problems, occurrences.length);
    return message ? [{ rule: 'window', severity: 'error', message, path: ['start'] }] : [];
  },
};
