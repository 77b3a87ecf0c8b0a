// Rule `emergency`: an emergency says why it cannot wait. (What it may bypass is decided by the
// engine from `emergency.may_bypass`, and reported under this rule id.)
import type { Finding } from '../../model/types.ts';
import type { Rule } from './rule.ts';

export const emergencyRule: Rule = {
  id: 'emergency',
  bypassable: false,
  check(request, context): Finding[] {
    if (request.type !== 'emergency') return [];
    if (context.policy.emergency.requireJustification && !request.justification?.trim()) {
      return [
        {
          rule: 'emergency',
          severity: 'error',
          message:
            'an emergency must say why it cannot wait for a regular window: add `justification` (the risk of waiting, the incident or vulnerability)',
          path: ['type'],
        },
      ];
    }
    return [];
  },
};
