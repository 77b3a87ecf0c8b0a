// Rule `conflict`: overlapping work on the same environment and service is an error naming the
// other requests; overlapping work on other services of the environment is a warning. One finding
// per kind and slot: a crowded slot is one message naming a few, with the full list in `overlaps`.
import type { Finding, MaintenanceRequest, OverlapSlot } from '../../model/types.ts';
import type { SlotOverlaps } from '../conflicts.ts';
import { describeOccurrence } from '../windows.ts';
import { formatDay } from '../time.ts';
import { occurrencesNote, someIds, type Rule, type RuleContext } from './rule.ts';

interface Crowd {
  slot: SlotOverlaps;
  others: MaintenanceRequest[];
  /** Their ids, read once for the message and the JSON. */
  ids: string[];
  services: string[];
}

export const conflictRule: Rule = {
  id: 'conflict',
  bypassable: false,
  check(request, context): Finding[] {
    const { sameService, sameEnvironment } = context.policy.conflicts;
    const sameServiceCrowds: Crowd[] = [];
    const sameEnvironmentCrowds: Crowd[] = [];
    for (const slot of context.overlaps.slotsOf(request.id)) {
      if (slot.end <= context.now) continue;
      const { sharing, others } = slot;
      if (sharing.length > 0) {
        const services = request.services.filter((s) => sharing.some((o) => o.services.includes(s)));
        sameServiceCrowds.push({ slot, others: sharing, ids: sharing.map((o) => o.id), services });
      }
      if (others.length > 0)
        sameEnvironmentCrowds.push({ slot, others, ids: others.map((o) => o.id), services: [] });
    }
    const findings: Finding[] = [];
    const clashing = sameServiceCrowds[0];
    if (clashing) {
      const where = `on ${request.environment}/${clashing.services.join(', ')}`;
      findings.push({
        rule: 'conflict',
        severity: sameService,
        message: `${describeCrowd(request, sameServiceCrowds, context, where, where)}; two changes to one service at once make failures impossible to attribute, so move one of them`,
        path: ['services'],
        overlaps: details(request, sameServiceCrowds),
      });
    }
    const crowd = sameEnvironmentCrowds[0];
    if (crowd && sameEnvironment !== 'off') {
      const one = `in ${request.environment} (services ${crowd.others[0]!.services.join(', ')})`;
      findings.push({
        rule: 'conflict',
        severity: sameEnvironment,
        message: `${describeCrowd(request, sameEnvironmentCrowds, context, one, `in ${request.environment}`)}; check they do not depend on each other`,
        path: ['start'],
        overlaps: details(request, sameEnvironmentCrowds),
      });
    }
    return findings;
  },
};

/**
 * `overlaps `x` ("Title", file) on production/db on <slot>` for one other request;
 * `overlaps 23 other requests in production on <slot>: `a`, `b`, `c` and 20 more` for several.
 */
function describeCrowd(
  request: MaintenanceRequest,
  crowds: readonly Crowd[],
  context: RuleContext,
  whereOne: string,
  whereMany: string,
): string {
  const [{ slot, others, ids }] = crowds as [Crowd];
  const when = `${formatDay(slot.start, request.zone)}, ${describeOccurrence(slot, request.zone)}`;
  const more = occurrencesNote(request, crowds.length, context.occurrences(request).length);
  if (others.length === 1) {
    const [other] = others as [MaintenanceRequest];
    return `overlaps \`${other.id}\` ("${other.title}", ${other.file}) ${whereOne} on ${when}${more}`;
  }
  return `overlaps ${others.length} other requests ${whereMany} on ${when}: ${someIds(ids)}${more}`;
}

function details(request: MaintenanceRequest, crowds: readonly Crowd[]): Finding['overlaps'] {
  return {
    environment: request.environment,
    slots: crowds.map((c): OverlapSlot => ({
      start: c.slot.start,
      end: c.slot.end,
      requests: c.ids,
      ...(c.services.length > 0 ? { services: c.services } : {}),
    })),
  };
}
