// What a notice template sees: a plain object of strings, booleans, arrays and nested plain objects
// built from the request, the policy and the per-notice details. Every field is always present
// (empty when unknown) so a template can test it with {{#if}}. Pure.
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { formatDuration, parseIsoDuration } from '../schedule/time.ts';
import type { Channel, NoticeKind } from './kinds.ts';
import { instantText, noticeZones, windowText, type InstantText, type WindowText } from './time-text.ts';
import { oneLine } from './escape.ts';

/** What only the caller knows about this notice. */
export interface NoticeDetails {
  /** reminder: how long before the start, as the policy writes it (P14D, P7D, P1D, PT1H). */
  offset?: string;
  /** A recurring request: the start of the occurrence the notice is about (default: the first). */
  occurrence?: number;
  /** start, completion...: when the work really began and ended. */
  actualStart?: number;
  actualEnd?: number;
  /** delay, extension: the new expected end. */
  newEnd?: number;
  /** cancellation, delay, extension, rollback, missed: why. */
  reason?: string;
  /** progress: what is being done now. */
  message?: string;
  /** completion: what was done, in a sentence. */
  outcome?: string;
  /** completion-with-issues: what went wrong, one entry each. */
  issues?: readonly string[];
  /** cancellation, rollback, missed: when it is planned again. */
  nextSlot?: number;
  resultIssueUrl?: string;
  pullRequestUrl?: string;
}

export interface NoticeInput {
  kind: NoticeKind;
  channel: Channel;
  request: MaintenanceRequest;
  policy: Policy;
  /** The time of rendering (progress notices say "as of"; an emergency may already be under way). */
  now: number;
  details?: NoticeDetails;
}

export interface NoticeView {
  kind: NoticeKind;
  channel: Channel;
  id: string;
  title: string;
  type: string;
  emergency: boolean;
  category: string;
  environment: string;
  services: string[];
  impact: string;
  impact_description: string;
  description: string;
  justification: string;
  rollback: string;
  testing: string;
  risks: string;
  requester: string;
  contacts: { primary: string; secondary: string };
  incident: string;
  recurring: boolean;
  links: { title: string; url: string }[];
  /** The planned window (of this occurrence). */
  when: WindowText;
  duration: string;
  /** reminder: `7 days`; the offset as written in `reminder_offset`. */
  before: string;
  reminder_offset: string;
  actual_start: InstantText | null;
  actual_end: InstantText | null;
  actual_duration: string;
  new_end: InstantText | null;
  /** extension, delay: how much later than planned it ends: `1 h`. */
  extra_time: string;
  reason: string;
  message: string;
  outcome: string;
  issues: string[];
  next_slot: WindowText | null;
  result_issue_url: string;
  pr_url: string;
  status_page_url: string;
  now: InstantText;
}

const CATEGORY_LABELS: Record<string, string> = {
  'system-update': 'System update',
  'security-patch': 'Security patch',
  'certificate-renewal': 'Certificate renewal',
  'database-migration': 'Database migration',
  performance: 'Performance',
  infrastructure: 'Infrastructure',
  other: 'Other',
};

/** Why a notice cannot be made from these inputs, or undefined when it can. */
export function detailsProblem(kind: NoticeKind, details: NoticeDetails): string | undefined {
  if (kind === 'reminder') {
    if (details.offset === undefined)
      return 'a reminder needs its offset before the start, such as P7D (one of the policy reminders)';
    if (!parseIsoDuration(details.offset))
      return `reminder offset ${details.offset}: expected an ISO 8601 duration such as P7D or PT1H`;
  }
  if (kind === 'extension' && details.newEnd === undefined) return 'an extension needs the new end time';
  return undefined;
}

/** The template data for one notice (call detailsProblem first). */
export function noticeView(input: NoticeInput): NoticeView {
  const { request, policy, details = {} } = input;
  const zones = noticeZones(request.zone, policy.notices.extraZones);
  const start = details.occurrence ?? request.startsAt;
  const end = start + request.durationMs;
  const instant = (at: number | undefined) => (at === undefined ? null : instantText(at, zones));
  const offsetMs = details.offset === undefined ? undefined : parseIsoDuration(details.offset);
  const finalEnd = details.newEnd;
  const actualSpan =
    details.actualStart !== undefined && details.actualEnd !== undefined
      ? formatDuration(Math.max(0, details.actualEnd - details.actualStart))
      : '';
  return {
    kind: input.kind,
    channel: input.channel,
    id: request.id,
    // One line wherever it is shown (a header, a subject): a line break cannot spill into the body.
    title: oneLine(request.title),
    type: request.type,
    emergency: request.type === 'emergency',
    category: CATEGORY_LABELS[request.category] ?? request.category,
    environment: request.environment,
    services: [...request.services],
    impact: request.impact,
    impact_description: request.impact_description,
    description: request.description,
    justification: request.justification ?? '',
    rollback: request.rollback,
    testing: request.testing ?? '',
    risks: request.risks ?? '',
    requester: request.requester,
    contacts: { primary: request.contacts?.primary ?? '', secondary: request.contacts?.secondary ?? '' },
    incident: request.incident ?? '',
    recurring: request.series !== undefined,
    links: (request.links ?? []).map((link) => ({ title: oneLine(link.title), url: link.url })),
    when: windowText(start, end, zones),
    duration: formatDuration(request.durationMs),
    before: offsetMs ? formatDuration(offsetMs) : '',
    reminder_offset: details.offset ?? '',
    actual_start: instant(details.actualStart),
    actual_end: instant(details.actualEnd),
    actual_duration: actualSpan,
    new_end: instant(finalEnd),
    extra_time: finalEnd !== undefined && finalEnd > end ? formatDuration(finalEnd - end) : '',
    reason: details.reason ?? '',
    message: details.message ?? '',
    outcome: details.outcome ?? '',
    issues: [...(details.issues ?? [])],
    next_slot:
      details.nextSlot === undefined
        ? null
        : windowText(details.nextSlot, details.nextSlot + request.durationMs, zones),
    result_issue_url: details.resultIssueUrl ?? '',
    pr_url: details.pullRequestUrl ?? '',
    status_page_url: policy.notices.statusPageUrl ?? '',
    now: instantText(input.now, zones),
  };
}
