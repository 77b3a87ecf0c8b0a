// The validation engine: parsed request files + policy + now -> a report per file. Pure: the caller
// reads the files, the policy and the clock.
import { quoteValue } from '../model/visible-text.ts';
import type { RequestParse } from '../model/request.ts';
import { didYouMean } from '../model/suggest.ts';
import type { Finding, Interval, LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { BlackoutCalendar } from './blackouts.ts';
import { buildOverlapIndex, OccurrenceIndex } from './conflicts.ts';
import { SlotFinder, type SlotResult } from './next-slot.ts';
import { endedBy, occurrencesBetween } from './recurrence.ts';
import { RULES, type RuleContext } from './rules/index.ts';
import { WindowCalendar } from './windows.ts';

export interface ValidationInput {
  policy: Policy;
  now: number;
  /** The files to check and report on. */
  targets: readonly RequestParse[];
  /** The other request files that exist (for conflicts and unique ids); may include the targets. */
  others?: readonly RequestParse[];
  /** Which requests minimum notice applies to; default: every request that has not started. */
  noticeApplies?: (request: MaintenanceRequest) => boolean;
  /** Look for the next free slot of a request refused for its time (default true). */
  suggestSlots?: boolean;
}

export interface FileReport {
  path: string;
  id: string;
  request?: MaintenanceRequest;
  errors: LocatedFinding[];
  warnings: LocatedFinding[];
  /** Ended before `now`: history, of which only the format is checked. */
  history: boolean;
  /** Where it could go instead, when its time was refused. */
  nextSlot?: SlotResult;
}

export interface ValidationReport {
  files: FileReport[];
  summary: { files: number; errors: number; warnings: number };
}

const TIME_RULES = new Set(['window', 'blackout', 'notice', 'conflict', 'concurrency', 'avoid-hours']);

export function validate(input: ValidationInput): ValidationReport {
  const { policy, now } = input;
  const targetPaths = new Set(input.targets.map((t) => t.path));
  const everyone = [...input.targets, ...(input.others ?? []).filter((o) => !targetPaths.has(o.path))];

  const pathsById = new Map<string, string[]>();
  for (const file of everyone) pathsById.set(file.id, [...(pathsById.get(file.id) ?? []), file.path]);

  const history = new Map<MaintenanceRequest, boolean>();
  const isHistory = (request: MaintenanceRequest) => {
    let ended = history.get(request);
    if (ended === undefined) history.set(request, (ended = endedBy(request, now)));
    return ended;
  };
  const scheduled = everyone
    .map((f) => f.request)
    .filter(
      (r): r is MaintenanceRequest =>
        r !== undefined &&
        r.status === 'scheduled' &&
        policy.environments[r.environment] !== undefined &&
        (pathsById.get(r.id)?.length ?? 0) === 1 &&
        !isHistory(r),
    );

  const occurrenceCache = new Map<MaintenanceRequest, Interval[]>();
  const occurrences = (request: MaintenanceRequest): Interval[] => {
    let found = occurrenceCache.get(request);
    if (!found) {
      found = request.series
        ? occurrencesBetween(request, now, Math.max(now, request.startsAt) + policy.horizonMs)
        : request.endsAt > now
          ? [{ start: request.startsAt, end: request.endsAt }]
          : [];
      occurrenceCache.set(request, found);
    }
    return found;
  };
  const busy = new OccurrenceIndex(scheduled, occurrences);
  const windowCalendars = new Map<string, WindowCalendar | undefined>();
  const blackouts = new BlackoutCalendar(policy);
  const context: RuleContext = {
    policy,
    now,
    occurrences,
    windowsOf(environment) {
      if (!windowCalendars.has(environment)) {
        const env = policy.environments[environment];
        windowCalendars.set(environment, env && !env.anytime ? new WindowCalendar(env.windows) : undefined);
      }
      return windowCalendars.get(environment);
    },
    avoidHours: new WindowCalendar(policy.avoidHours.windows),
    blackouts,
    overlaps: buildOverlapIndex(busy, (env) => policy.environments[env]?.maxConcurrent),
    noticeApplies: input.noticeApplies ?? (() => true),
  };
  const slots = new SlotFinder(policy, busy, now, blackouts);

  const files = input.targets.map((file) => {
    const findings: LocatedFinding[] = [...file.findings];
    const report: FileReport = { path: file.path, id: file.id, errors: [], warnings: [], history: false };
    const duplicates = (pathsById.get(file.id) ?? []).filter((p) => p !== file.path);
    if (duplicates.length > 0) {
      findings.push(
        file.locate({
          rule: 'schema',
          severity: 'error',
          message: `the id \`${file.id}\` is also used by ${duplicates.join(', ')}: ids are file names and must be unique (they key calendars and result issues); rename one file`,
        }),
      );
    }
    const request = file.request;
    if (request) {
      report.request = request;
      report.history = isHistory(request);
      findings.push(...checkRequest(request, context, report.history).map(file.locate));
      const refused = findings.some((f) => f.severity === 'error' && TIME_RULES.has(f.rule));
      if (refused && input.suggestSlots !== false && policy.environments[request.environment]) {
        report.nextSlot = slots.find({
          environment: request.environment,
          services: request.services,
          durationMs: request.durationMs,
          impact: request.impact,
          type: request.type,
          ...(request.incident ? { incident: request.incident } : {}),
          ignoreId: request.id,
        });
      }
    }
    findings.sort((a, b) => a.line - b.line || a.column - b.column);
    report.errors = findings.filter((f) => f.severity === 'error');
    report.warnings = findings.filter((f) => f.severity === 'warning');
    return report;
  });

  return withSummary(files);
}

/** A report of these files, with its counts. */
export function withSummary(files: FileReport[]): ValidationReport {
  return {
    files,
    summary: {
      files: files.length,
      errors: files.reduce((n, f) => n + f.errors.length, 0),
      warnings: files.reduce((n, f) => n + f.warnings.length, 0),
    },
  };
}

/** Every rule's findings for one resolved request. */
function checkRequest(request: MaintenanceRequest, context: RuleContext, history: boolean): Finding[] {
  const { policy } = context;
  if (!policy.environments[request.environment]) {
    const known = Object.keys(policy.environments);
    return [
      {
        rule: 'schema',
        severity: 'error',
        message: `environment ${quoteValue(request.environment)} is not in the policy (${known.join(', ')})${didYouMean(request.environment, known)}`,
        path: ['environment'],
      },
    ];
  }
  if (history || request.status === 'cancelled') return [];
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const found = rule.check(request, context);
    const bypass =
      request.type === 'emergency' && rule.bypassable && policy.emergency.mayBypass.includes(rule.id);
    if (!bypass) {
      findings.push(...found);
      continue;
    }
    for (const finding of found) {
      findings.push({
        ...finding,
        rule: 'emergency',
        severity: 'warning',
        message: `allowed only as an emergency (the policy lets emergencies bypass \`${rule.id}\`) with the emergency approvers' sign-off: ${finding.message}`,
      });
    }
  }
  return findings;
}
