// Rule `concurrency`: no more maintenance at once in an environment than its limit. One finding per
// request: the busiest moment of its (first) crowded slot, naming a few of those running then, with
// every crowded slot and everyone running in `overlaps`.
import type { Finding } from '../../model/types.ts';
import type { ConcurrencyPeak, SlotOverlaps } from '../conflicts.ts';
import { formatBoth } from '../time.ts';
import { occurrencesNote, someIds, type Rule } from './rule.ts';

export const concurrencyRule: Rule = {
  id: 'concurrency',
  bypassable: false,
  check(request, context): Finding[] {
    const crowded = context.overlaps
      .slotsOf(request.id)
      .filter((slot): slot is SlotOverlaps & { peak: ConcurrencyPeak } => slot.peak !== undefined)
      .filter((slot) => slot.end > context.now);
    const [first] = crowded;
    if (!first) return [];
    const { at, limit, running } = first.peak;
    const others = running.filter((r) => r !== request).map((r) => r.id);
    const more = occurrencesNote(request, crowded.length, context.occurrences(request).length);
    return [
      {
        rule: 'concurrency',
        severity: 'error',
        message: `${running.length} maintenances would run at once in ${request.environment} at ${formatBoth(at, request.zone)} (the policy allows ${limit}): this one and ${someIds(others)}${more}; move one of them`,
        path: ['start'],
        overlaps: {
          environment: request.environment,
          slots: crowded.map(({ start, end, peak }) => ({
            start,
            end,
            requests: peak.running.filter((r) => r !== request).map((r) => r.id),
            peak: { at: peak.at, running: peak.running.length, limit: peak.limit },
          })),
        },
      },
    ];
  },
};
