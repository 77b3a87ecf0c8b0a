// Rule `notify`: a request's `notify.*_webhook_secret` names only a secret it may name (MAINT_*,
// the default webhook names, or one the policy's `notices.webhook_secrets` lists), so a request cannot
// have notices sent to whatever another variable of the run holds.
import type { Finding } from '../../model/types.ts';
import { webhookSecretRefusal } from '../../outbound/credentials.ts';
import type { Rule } from './rule.ts';

const FIELDS = ['slack_webhook_secret', 'teams_webhook_secret'] as const;

export const notifyRule: Rule = {
  id: 'notify',
  bypassable: false,
  check(request, context): Finding[] {
    return FIELDS.flatMap((field): Finding[] => {
      const name = request.notify?.[field];
      const refused =
        name === undefined ? undefined : webhookSecretRefusal(name, context.policy.notices.webhookSecrets);
      return refused
        ? [
            {
              rule: 'notify',
              severity: 'error',
              message: `\`notify.${field}\`: ${refused}`,
              path: ['notify', field],
            },
          ]
        : [];
    });
  },
};
