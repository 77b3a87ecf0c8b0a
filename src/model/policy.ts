// Reads a policy file into a normalised Policy. A section the file leaves out takes the default
// policy's value (write `blackouts: []` to have none); `environments` is always the file's own.
import { parseAllowEntry } from '../net/allow-hosts.ts';
import { DEFAULT_POLICY_YAML, DEFAULT_POLICY_PATH } from './default-policy.ts';
import { checkSchema } from './schema-check.ts';
import { didYouMean } from './suggest.ts';
import type {
  ApprovalKey,
  ApprovalRequirement,
  BlackoutSpec,
  EmailPolicy,
  EnvironmentPolicy,
  Finding,
  Holiday,
  Impact,
  LocatedFinding,
  Policy,
  ReviewTrigger,
  RuleId,
  Severity,
  Weekday,
  WindowSpec,
} from './types.ts';
import { parseMailbox } from './mailbox.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';
import { zoneNameProblem } from './zone-name.ts';
import { parseNominalDuration, recurringBlackoutProblem } from '../schedule/blackouts.ts';
import { offsetProblem, policyDurationProblem } from './date-time-guards.ts';
import { quoteValue } from './visible-text.ts';
import {
  MINUTE,
  addDays,
  parseDateTime,
  parseIsoDuration,
  startOfLocalDay,
  wallClockMillis,
} from '../schedule/time.ts';

export interface PolicyParse {
  policy?: Policy;
  findings: LocatedFinding[];
}

const WEEKDAYS: Record<string, Weekday> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const APPROVAL_KEYS: ApprovalKey[] = ['low', 'medium', 'high', 'emergency'];

interface WindowDocument {
  name?: string;
  days: string[];
  start: string;
  end: string;
  timezone?: string;
}
interface PolicyDocument {
  timezone?: string;
  horizon?: string;
  business_days?: string[];
  environments: Record<string, { windows?: WindowDocument[]; anytime?: boolean; max_concurrent?: number }>;
  blackouts?: {
    name: string;
    reason?: string;
    environments?: string[];
    yearly?: { from: string; to: string };
    last_business_days?: { count: number; of: 'month' | 'quarter' | 'year' };
    rule?: string;
    duration?: string;
    from?: string;
    to?: string;
  }[];
  holidays?: { ics: string; environments?: string[]; business_days?: boolean };
  notice?: Partial<Record<'low' | 'medium' | 'high' | 'emergency' | 'emergency_with_incident', string>>;
  max_duration?: Partial<Record<ApprovalKey, string>>;
  avoid_hours?: {
    name?: string;
    windows?: WindowDocument[];
    severity?: Severity;
    environments?: Record<string, Severity | 'off'>;
  };
  conflicts?: {
    same_service?: Severity;
    same_environment?: Severity | 'off';
    hub?: string;
    hub_url?: string;
  };
  emergency?: { may_bypass?: RuleId[]; require_justification?: boolean };
  approvals?: Partial<
    Record<ApprovalKey, { code_owners?: number; teams?: { team: string; count?: number }[] }>
  >;
  reminders?: Partial<Record<ApprovalKey, string[]>>;
  alerts?: {
    lead?: string;
    alertmanager?: { url: string; environment_label?: string; service_label?: string };
    pagerduty?: { services: Record<string, string>; url?: string };
    datadog?: { site?: string; url?: string };
    webhook?: { url: string };
  };
  calendar?: {
    name?: string;
    description?: string;
    keep_after_end?: string;
    refresh?: string;
    alarm?: string;
    url?: string;
  };
  notices?: {
    extra_zones?: string[];
    templates_dir?: string;
    status_page_url?: string;
    statuspage_page_id?: string;
    webhook_secrets?: string[];
    email?: EmailDocument;
  };
  checks?: { allow_hosts?: string[] };
  review?: { required_for?: ReviewTrigger[] };
}

interface EmailDocument {
  from: string;
  to?: string[];
  cc?: string[];
  recipients?: {
    environments?: string[];
    impacts?: Impact[];
    kinds?: string[];
    to?: string[];
    cc?: string[];
  }[];
}

let defaultDocument: PolicyDocument | undefined;
function defaults(): PolicyDocument {
  if (!defaultDocument) {
    const parsed = parseYaml({ path: DEFAULT_POLICY_PATH, text: DEFAULT_POLICY_YAML });
    if (!parsed.value) throw new Error('the built-in default policy does not parse');
    defaultDocument = parsed.value as unknown as PolicyDocument;
  }
  return defaultDocument;
}

export function parsePolicy(source: YamlSource): PolicyParse {
  const yaml = parseYaml(source);
  if (!yaml.value) return { findings: yaml.findings };
  const schemaFindings = checkSchema('policy', yaml.value);
  if (schemaFindings.length > 0) return { findings: schemaFindings.map(yaml.locate) };
  const findings: Finding[] = [];
  const policy = normalise(yaml.value as unknown as PolicyDocument, findings);
  const located = findings.map(yaml.locate);
  return located.some((f) => f.severity === 'error') ? { findings: located } : { policy, findings: located };
}

/** The default policy, normalised. */
export function defaultPolicy(): Policy {
  const parsed = parsePolicy({ path: DEFAULT_POLICY_PATH, text: DEFAULT_POLICY_YAML });
  if (!parsed.policy)
    throw new Error(`the built-in default policy is invalid: ${parsed.findings[0]?.message}`);
  return parsed.policy;
}

/** The policy with the holidays of its ICS file added as blackout days. */
export function withHolidays(policy: Policy, days: Holiday[]): Policy {
  return { ...policy, holidays: { ...policy.holidays, days } };
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

function normalise(doc: PolicyDocument, findings: Finding[]): Policy {
  const base = defaults();
  const problem = (path: (string | number)[], message: string) =>
    findings.push({ rule: 'schema', severity: 'error', message, path });
  const zoneOrProblem = (name: string, path: (string | number)[]): string => {
    const written = name.toUpperCase() === 'UTC' ? 'UTC' : name;
    const issue = zoneNameProblem(written, `\`${path.join('.')}\``);
    if (issue) findings.push({ rule: 'schema', severity: issue.severity, message: issue.message, path });
    return issue?.severity === 'error' ? 'UTC' : written;
  };
  const duration = (text: string, path: (string | number)[]): number => {
    const ms = parseIsoDuration(text);
    if (ms === undefined) {
      problem(path, `${quoteValue(text)} is not an ISO 8601 duration such as P7D or PT2H`);
      return 0;
    }
    const tooLong = policyDurationProblem(text, ms);
    if (tooLong) problem(path, tooLong);
    return tooLong ? 0 : ms;
  };

  const timezone = zoneOrProblem(doc.timezone ?? base.timezone ?? 'UTC', ['timezone']);
  const environmentNames = Object.keys(doc.environments);
  const checkEnvironments = (names: string[] | undefined, path: (string | number)[]) =>
    names?.forEach((name, i) => {
      if (!doc.environments[name])
        problem(
          [...path, i],
          `environment ${quoteValue(name)} is not in \`environments\`${didYouMean(name, environmentNames)}`,
        );
    });

  const windowOf = (w: WindowDocument, path: (string | number)[], fallback: string): WindowSpec => ({
    name: w.name ?? `${w.days.join(', ')} ${w.start}-${w.end}`,
    days: w.days.map((d) => WEEKDAYS[d]!),
    startMinute: clockMinutes(w.start),
    endMinute: clockMinutes(w.end),
    zone: w.timezone === undefined ? fallback : zoneOrProblem(w.timezone, [...path, 'timezone']),
  });

  const environments: Record<string, EnvironmentPolicy> = {};
  for (const [name, env] of Object.entries(doc.environments)) {
    environments[name] = {
      name,
      anytime: env.anytime === true,
      windows: (env.windows ?? []).map((w, i) => windowOf(w, ['environments', name, 'windows', i], timezone)),
      ...(env.max_concurrent !== undefined ? { maxConcurrent: env.max_concurrent } : {}),
    };
    if (env.anytime === false)
      problem(['environments', name, 'anytime'], 'write `anytime: true` or list `windows`');
  }

  // Sections inherited from the default policy name the default environments: keep only those this
  // policy has (a default blackout left with none is dropped). What the file writes is checked.
  const known = (names: string[] | undefined) =>
    names?.filter((name) => doc.environments[name] !== undefined);
  const inheritedBlackouts = (base.blackouts ?? [])
    .map((b) => (b.environments ? { ...b, environments: known(b.environments)! } : b))
    .filter((b) => b.environments === undefined || b.environments.length > 0);
  const blackouts: BlackoutSpec[] = (doc.blackouts ?? inheritedBlackouts).map((b, i) => {
    const path = ['blackouts', i];
    if (doc.blackouts) checkEnvironments(b.environments, [...path, 'environments']);
    const common = {
      name: b.name,
      ...(b.reason !== undefined ? { reason: b.reason } : {}),
      ...(b.environments !== undefined ? { environments: b.environments } : {}),
    };
    if (b.yearly) {
      const parse = (text: string, key: string) => {
        const [month, day] = text.split('-').map(Number) as [number, number];
        const days = new Date(Date.UTC(2024, month, 0)).getUTCDate(); // a leap year allows 02-29
        if (day > days) problem([...path, 'yearly', key], `\`${text}\` is not a day of the year`);
        return { month, day };
      };
      return {
        ...common,
        rule: { kind: 'yearly', from: parse(b.yearly.from, 'from'), to: parse(b.yearly.to, 'to') },
      };
    }
    if (b.last_business_days) {
      return { ...common, rule: { kind: 'last-business-days', ...b.last_business_days } };
    }
    if (b.rule !== undefined) {
      const issue = recurringBlackoutProblem(b.rule, b.duration!);
      if (issue) problem([...path, issue.field], issue.message);
      const length = parseNominalDuration(b.duration!) ?? { days: 1, ms: 0 };
      return { ...common, rule: { kind: 'recurring', rrule: b.rule.replace(/^RRULE:/i, '').trim(), length } };
    }
    for (const key of ['from', 'to'] as const) {
      const offset = b[key] === undefined ? undefined : offsetProblem(b[key]);
      if (offset) problem([...path, key], `\`${key}\` ${offset}`);
    }
    const start = boundary(b.from!, timezone, false);
    const end = boundary(b.to!, timezone, true);
    if (start === undefined)
      problem(
        [...path, 'from'],
        `\`from\` \`${b.from}\` must be a date (2027-04-12) or a date-time with offset`,
      );
    if (end === undefined)
      problem([...path, 'to'], `\`to\` \`${b.to}\` must be a date (2027-04-16) or a date-time with offset`);
    if (start !== undefined && end !== undefined && end <= start)
      problem([...path, 'to'], `\`to\` ${b.to} is not after \`from\` ${b.from}`);
    return { ...common, rule: { kind: 'dated', start: start ?? 0, end: end ?? 0 } };
  });

  const holidaysDoc = doc.holidays;
  checkEnvironments(holidaysDoc?.environments, ['holidays', 'environments']);

  const notice = { ...base.notice, ...doc.notice };
  const maxDuration = { ...base.max_duration, ...doc.max_duration };
  const avoid = { ...base.avoid_hours, ...doc.avoid_hours };
  if (doc.avoid_hours?.environments) {
    checkEnvironments(Object.keys(doc.avoid_hours.environments), ['avoid_hours', 'environments']);
  } else {
    avoid.environments = Object.fromEntries(
      Object.entries(avoid.environments ?? {}).filter(([name]) => doc.environments[name] !== undefined),
    );
  }
  const conflicts = { ...base.conflicts, ...doc.conflicts };
  const emergency = { ...base.emergency, ...doc.emergency };
  const approvalsDoc = doc.approvals ?? base.approvals ?? {};
  const approvals = Object.fromEntries(
    APPROVAL_KEYS.map((key) => {
      const rule = approvalsDoc[key] ?? base.approvals?.[key] ?? {};
      const requirement: ApprovalRequirement = {
        codeOwners: rule.code_owners ?? 1,
        teams: (rule.teams ?? []).map((t) => ({ team: t.team.replace(/^@/, ''), count: t.count ?? 1 })),
      };
      return [key, requirement];
    }),
  ) as Record<ApprovalKey, ApprovalRequirement>;
  const reminders = Object.fromEntries(
    APPROVAL_KEYS.map((key) => [
      key,
      (doc.reminders ?? base.reminders ?? {})[key] ?? base.reminders?.[key] ?? [],
    ]),
  ) as Record<ApprovalKey, string[]>;
  const alerts = { ...base.alerts, ...doc.alerts };
  const calendar = { ...base.calendar, ...doc.calendar };
  const notices = { ...base.notices, ...doc.notices };
  const extraZones = (notices.extra_zones ?? []).map((z, i) =>
    zoneOrProblem(z, ['notices', 'extra_zones', i]),
  );
  const webhookSecrets = notices.webhook_secrets ?? [];
  const email = notices.email && emailPolicy(notices.email, problem, checkEnvironments);
  const allowHosts = (doc.checks ?? base.checks)?.allow_hosts ?? [];
  allowHosts.forEach((entry, i) => {
    const parsed = parseAllowEntry(entry);
    if ('problem' in parsed) problem(['checks', 'allow_hosts', i], parsed.problem);
  });

  return {
    timezone,
    horizonMs: duration(doc.horizon ?? base.horizon ?? 'P365D', ['horizon']),
    businessDays: (doc.business_days ?? base.business_days ?? ['mon', 'tue', 'wed', 'thu', 'fri']).map(
      (d) => WEEKDAYS[d]!,
    ),
    environments,
    blackouts,
    holidays: {
      ...(holidaysDoc ? { file: holidaysDoc.ics } : {}),
      ...(holidaysDoc?.environments ? { environments: holidaysDoc.environments } : {}),
      countAsNonBusiness: holidaysDoc?.business_days !== false,
      days: [],
    },
    notice: {
      low: duration(notice.low ?? 'P1D', ['notice', 'low']),
      medium: duration(notice.medium ?? 'P7D', ['notice', 'medium']),
      high: duration(notice.high ?? 'P14D', ['notice', 'high']),
      emergency: duration(notice.emergency ?? 'PT2H', ['notice', 'emergency']),
      emergencyWithIncident: duration(notice.emergency_with_incident ?? 'PT0S', [
        'notice',
        'emergency_with_incident',
      ]),
    },
    maxDuration: Object.fromEntries(
      Object.entries(maxDuration).map(([key, text]) => [key, duration(text!, ['max_duration', key])]),
    ),
    avoidHours: {
      name: avoid.name ?? 'Peak business hours',
      windows: (avoid.windows ?? []).map((w, i) => windowOf(w, ['avoid_hours', 'windows', i], timezone)),
      severity: avoid.severity ?? 'warning',
      environments: avoid.environments ?? {},
    },
    conflicts: {
      sameService: conflicts.same_service ?? 'error',
      sameEnvironment: conflicts.same_environment ?? 'warning',
      ...(conflicts.hub !== undefined
        ? { hub: { repository: conflicts.hub, ...(conflicts.hub_url ? { url: conflicts.hub_url } : {}) } }
        : {}),
    },
    emergency: {
      mayBypass: emergency.may_bypass ?? [],
      requireJustification: emergency.require_justification !== false,
    },
    approvals,
    reminders,
    alerts: {
      leadMs: duration(alerts.lead ?? 'PT30M', ['alerts', 'lead']),
      ...(alerts.alertmanager
        ? {
            alertmanager: {
              url: alerts.alertmanager.url,
              environmentLabel: alerts.alertmanager.environment_label ?? 'environment',
              serviceLabel: alerts.alertmanager.service_label ?? 'service',
            },
          }
        : {}),
      ...(alerts.pagerduty ? { pagerduty: alerts.pagerduty } : {}),
      ...(alerts.datadog ? { datadog: alerts.datadog } : {}),
      ...(alerts.webhook ? { webhook: alerts.webhook } : {}),
    },
    calendar: {
      name: calendar.name ?? 'Planned maintenance',
      description: calendar.description ?? '',
      keepAfterEndMs: duration(calendar.keep_after_end ?? 'P90D', ['calendar', 'keep_after_end']),
      refreshMs: duration(calendar.refresh ?? 'PT1H', ['calendar', 'refresh']),
      ...(calendar.alarm !== undefined ? { alarm: calendar.alarm } : {}),
      ...(calendar.url !== undefined ? { url: calendar.url } : {}),
    },
    notices: {
      extraZones,
      ...(notices.templates_dir !== undefined ? { templatesDir: notices.templates_dir } : {}),
      ...(notices.status_page_url !== undefined ? { statusPageUrl: notices.status_page_url } : {}),
      ...(notices.statuspage_page_id !== undefined ? { statuspagePageId: notices.statuspage_page_id } : {}),
      webhookSecrets,
      ...(email ? { email } : {}),
    },
    checks: { allowHosts },
    review: {
      requiredFor: doc.review?.required_for ??
        base.review?.required_for ?? ['failed', 'rolled-back', 'missed', 'emergency', 'high-impact'],
    },
  };
}

/**
 * `notices.email`: the sender parsed (an address, or a name and an address), the environments of each
 * entry checked, and an entry that names nobody refused. The schema has checked every address.
 */
function emailPolicy(
  doc: EmailDocument,
  problem: (path: (string | number)[], message: string) => void,
  checkEnvironments: (names: string[] | undefined, path: (string | number)[]) => void,
): EmailPolicy | undefined {
  const path = ['notices', 'email'];
  const from = parseMailbox(doc.from);
  if (!from.ok) problem([...path, 'from'], `\`notices.email.from\`: ${from.problem}`);
  const recipients = (doc.recipients ?? []).map((entry, i) => {
    checkEnvironments(entry.environments, [...path, 'recipients', i, 'environments']);
    if (!entry.to?.length && !entry.cc?.length)
      problem(
        [...path, 'recipients', i],
        `\`notices.email.recipients[${i}]\` names nobody: give it \`to\` or \`cc\` addresses`,
      );
    return {
      ...(entry.environments ? { environments: entry.environments } : {}),
      ...(entry.impacts ? { impacts: entry.impacts } : {}),
      ...(entry.kinds ? { kinds: entry.kinds } : {}),
      to: entry.to ?? [],
      cc: entry.cc ?? [],
    };
  });
  if (!from.ok) return undefined;
  return { from: from.mailbox, to: doc.to ?? [], cc: doc.cc ?? [], recipients };
}

/** A blackout boundary: a date is a whole day in the policy zone (`to` includes it); a date-time needs an offset. */
function boundary(text: string, zone: string, inclusiveEnd: boolean): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if ('kind' in parseDateTime(`${text}T00:00`)) return undefined;
    return startOfLocalDay(inclusiveEnd ? addDays(text, 1) : text, zone);
  }
  const parsed = parseDateTime(text);
  if ('kind' in parsed || parsed.offsetMinutes === undefined) return undefined;
  return wallClockMillis(parsed.local) - parsed.offsetMinutes * MINUTE;
}
