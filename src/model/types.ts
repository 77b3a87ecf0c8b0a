// The shared vocabulary: request documents as written, normalised requests and policy, findings.
import type { Mailbox } from './mailbox.ts';

export const RULE_IDS = [
  'schema',
  'timezone',
  'window',
  'blackout',
  'notice',
  'duration',
  'avoid-hours',
  'conflict',
  'concurrency',
  'emergency',
  'notify',
  'runner-time',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
export type Severity = 'error' | 'warning';

/** A path into a YAML document: keys and array indices. */
export type FieldPath = readonly (string | number)[];

/** What a rule reports; `path` says which field of the file it is about. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  path?: FieldPath;
  /** Point at the key itself rather than its value (unknown or duplicate fields). */
  atKey?: boolean;
  /** `conflict` and `concurrency`: every request involved, of which the message names a few. */
  overlaps?: OverlapDetails;
}

/** The full list behind an overlap finding, one entry per crowded occurrence (slot) of the request. */
export interface OverlapDetails {
  environment: string;
  slots: OverlapSlot[];
}

export interface OverlapSlot {
  /** The request's occurrence. */
  start: number;
  end: number;
  /** Ids of the other requests: those overlapping the slot, or for `concurrency` those running at `peak`. */
  requests: string[];
  /** Same-service conflicts: the services the request shares with them. */
  services?: string[];
  /** `concurrency`: the moment the most run at once, how many (this request included), and the limit. */
  peak?: { at: number; running: number; limit: number };
}

/** A finding placed in its file. Lines and columns are 1-based. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

export type Impact = 'low' | 'medium' | 'high';
export type RequestType = 'standard' | 'emergency';
export type Category =
  | 'system-update'
  | 'security-patch'
  | 'certificate-renewal'
  | 'database-migration'
  | 'performance'
  | 'infrastructure'
  | 'other';
export type RequestStatus = 'scheduled' | 'cancelled';

export interface StepDocument {
  name: string;
  run?: string;
  workflow?: string;
  ref?: string;
  inputs?: Record<string, string | number | boolean>;
  timeout?: string;
}

export interface CheckDocument {
  name: string;
  run?: string;
  http?: { url: string; method?: 'GET' | 'HEAD' | 'POST'; expect_status?: number };
  timeout?: string;
}

/** A request file as written (schema/request.schema.json). */
export interface RequestDocument {
  title: string;
  type: RequestType;
  category: Category;
  environment: string;
  services: string[];
  start: string;
  timezone?: string;
  duration?: string;
  end?: string;
  recurrence?: string;
  exdates?: string[];
  impact: Impact;
  impact_description: string;
  description: string;
  justification?: string;
  rollback: string;
  testing?: string;
  risks?: string;
  requester: string;
  contacts?: { primary?: string; secondary?: string };
  incident?: string;
  status?: RequestStatus;
  steps?: StepDocument[];
  rollback_steps?: StepDocument[];
  checks?: { before?: CheckDocument[]; after?: CheckDocument[] };
  notify?: {
    slack_webhook_secret?: string;
    teams_webhook_secret?: string;
    email?: string[];
    statuspage_components?: string[];
  };
  links?: { title: string; url: string }[];
}

/** `notices.email`: who sends e-mail notices and who receives them. */
export interface EmailPolicy {
  from: Mailbox;
  /** Recipients of every notice. */
  to: string[];
  cc: string[];
  /** Recipients of the notices of some environments, impacts or kinds. */
  recipients: EmailRecipientRule[];
}

/** One entry of `notices.email.recipients`: a condition left out matches everything. */
export interface EmailRecipientRule {
  environments?: string[];
  impacts?: Impact[];
  /** Notice kinds (src/notices/kinds.ts), as the schema lists them. */
  kinds?: string[];
  to: string[];
  cc: string[];
}

/** A half-open span of time [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** A recurring request's rule, with the local wall-clock time of its first start. */
export interface Series {
  rrule: string;
  /** Local start date-times (yyyy-MM-ddTHH:mm) of removed occurrences. */
  exdates: string[];
}

/** A request that parsed and resolved: the document plus its id, file and instants. */
export interface MaintenanceRequest extends RequestDocument {
  id: string;
  /** Path of the file, relative to where it was read from (for messages). */
  file: string;
  status: RequestStatus;
  /** IANA zone name, or a fixed offset zone such as UTC+01:00 when only an offset was given. */
  zone: string;
  /** First (or only) occurrence. */
  startsAt: number;
  endsAt: number;
  durationMs: number;
  series?: Series;
}

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: Monday = 1

export interface WindowSpec {
  name: string;
  days: Weekday[];
  /** Minutes after local midnight. */
  startMinute: number;
  /** Minutes after local midnight; at or before startMinute means the window ends the next day. */
  endMinute: number;
  zone: string;
}

export interface EnvironmentPolicy {
  name: string;
  anytime: boolean;
  windows: WindowSpec[];
  maxConcurrent?: number;
}

export type BlackoutRule =
  | { kind: 'yearly'; from: { month: number; day: number }; to: { month: number; day: number } }
  | { kind: 'last-business-days'; count: number; of: 'month' | 'quarter' | 'year' }
  | { kind: 'dated'; start: number; end: number }
  /** Starts at local midnight of each day the RRULE gives, and lasts `length`. */
  | { kind: 'recurring'; rrule: string; length: NominalDuration };

/** An ISO 8601 length as RFC 5545 reads it: whole days on the local calendar, then exact time. */
export interface NominalDuration {
  days: number;
  ms: number;
}

export interface BlackoutSpec {
  name: string;
  reason?: string;
  /** Environments it applies to; undefined means all. */
  environments?: string[];
  rule: BlackoutRule;
}

/** A holiday read from the policy's ICS file: whole local days [startDate, endDate). */
export interface Holiday {
  name: string;
  /** yyyy-MM-dd, inclusive. */
  startDate: string;
  /** yyyy-MM-dd, exclusive. */
  endDate: string;
}

export type ApprovalKey = Impact | 'emergency';

export interface ApprovalRequirement {
  codeOwners: number;
  teams: { team: string; count: number }[];
}

export interface Policy {
  timezone: string;
  horizonMs: number;
  businessDays: Weekday[];
  environments: Record<string, EnvironmentPolicy>;
  blackouts: BlackoutSpec[];
  holidays: { file?: string; environments?: string[]; countAsNonBusiness: boolean; days: Holiday[] };
  notice: Record<Impact | 'emergency' | 'emergencyWithIncident', number>;
  maxDuration: Partial<Record<ApprovalKey, number>>;
  avoidHours: {
    name: string;
    windows: WindowSpec[];
    severity: Severity;
    environments: Record<string, Severity | 'off'>;
  };
  conflicts: {
    sameService: Severity;
    sameEnvironment: Severity | 'off';
    /** The hub whose schedule.json requests are also checked against (owner/name, and where it is served). */
    hub?: { repository: string; url?: string };
  };
  emergency: { mayBypass: RuleId[]; requireJustification: boolean };
  approvals: Record<ApprovalKey, ApprovalRequirement>;
  /** ISO-8601 durations before the start, as written (they name the reminders: remind:P1D). */
  reminders: Record<ApprovalKey, string[]>;
  alerts: {
    leadMs: number;
    alertmanager?: { url: string; environmentLabel: string; serviceLabel: string };
    pagerduty?: { services: Record<string, string>; url?: string };
    datadog?: { site?: string; url?: string };
    webhook?: { url: string };
  };
  calendar: {
    name: string;
    description: string;
    keepAfterEndMs: number;
    refreshMs: number;
    /** ISO-8601 duration before the start for the VALARM; undefined for none. */
    alarm?: string;
    url?: string;
  };
  notices: {
    extraZones: string[];
    templatesDir?: string;
    statusPageUrl?: string;
    statuspagePageId?: string;
    /** Secrets a request's `notify.*_webhook_secret` may name besides `MAINT_*` and the default names. */
    webhookSecrets: string[];
    /** E-mail notices (sent through the MAINT_SMTP_URL relay); undefined: none are sent. */
    email?: EmailPolicy;
  };
  /** `http:` checks: the internal hosts, addresses and ranges they may reach (allow-hosts.ts). */
  checks: { allowHosts: string[] };
  /** What a post-maintenance review is due for (lifecycle/review.ts). */
  review: { requiredFor: ReviewTrigger[] };
}

/** What makes a review due: an outcome, the emergency type, an impact, or an overrun. */
export const REVIEW_TRIGGERS = [
  'completed',
  'failed',
  'rolled-back',
  'missed',
  'emergency',
  'high-impact',
  'medium-impact',
  'low-impact',
  'overrun',
] as const;
export type ReviewTrigger = (typeof REVIEW_TRIGGERS)[number];
