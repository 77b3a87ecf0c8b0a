// Inputs for the alert tests: the default policy with its `alerts:` block replaced, read through the
// real policy loader so the YAML names (environment_label, lead) are what is tested, and the input
// of a builder for a request's first occurrence.
import type { SilenceInput } from '../../src/alerts/input.ts';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';

export function policyWithAlerts(alertsYaml: string): Policy {
  const block = `alerts:\n${alertsYaml
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`;
  const text = DEFAULT_POLICY_YAML.replace(/^alerts:\n(?: {2}.*\n)+/m, block);
  if (text === DEFAULT_POLICY_YAML) throw new Error('the default policy has no alerts block to replace');
  const parsed = parsePolicy({ path: 'policy.yaml', text });
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.findings));
  return parsed.policy;
}

/** Every alerting service configured, with the defaults for what is not given. */
export const ALL_SERVICES = `
lead: PT30M
alertmanager: { url: 'http://alertmanager.invalid' }
pagerduty: { services: { api: PIJ90N7, web: PWEB123, api.v2: PIJ90N7 } }
datadog: { site: datadoghq.eu }
webhook: { url: 'http://hooks.invalid/maint' }
`;

/** The builders' input for the request's first occurrence, a week before it by default. */
export function silenceInput(
  request: MaintenanceRequest,
  policy: Policy,
  over: Partial<SilenceInput> = {},
): SilenceInput {
  return {
    request,
    occurrence: { start: request.startsAt, end: request.endsAt },
    policy,
    now: Date.parse('2027-01-10T00:00:00Z'),
    ...over,
  };
}
