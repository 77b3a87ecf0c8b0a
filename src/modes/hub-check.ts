// Validation against the hub: when the base branch's policy names one (`conflicts.hub`), the hub's
// latest schedule.json is read from its site and the pull request's requests are checked against the
// other repositories' work in it (src/hub/cross-check.ts); the findings join each file's report. A
// hub that cannot be read is a warning on each request, never a failure of the check.
import { createPagesReader, type PagesReader } from '../github/pages.ts';
import { DEFAULT_PAGES_URL, siteOf } from '../hub/config.ts';
import { crossRepositoryFindings } from '../hub/cross-check.ts';
import { readHubSchedule } from '../hub/schedule-input.ts';
import type { RequestParse } from '../model/request.ts';
import type { LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { withSummary, type ValidationReport } from '../schedule/validate.ts';

/** Where the hub's schedule.json is: the policy's `hub_url`, else its GitHub Pages address. */
export function hubScheduleUrl(hub: { repository: string; url?: string }): string {
  if (hub.url) return hub.url;
  const [owner = '', name = ''] = hub.repository.split('/');
  return new URL('schedule.json', siteOf(DEFAULT_PAGES_URL, owner, name)).href;
}

export interface HubCheckInput {
  report: ValidationReport;
  /** The checked files, parsed (their findings are placed with `locate`). */
  heads: readonly RequestParse[];
  policy: Policy;
  /** owner/name of the repository being validated. */
  repository: string;
  now: number;
}

export async function withHubConflicts(
  input: HubCheckInput,
  // A pull request's check should not wait long on a hub that does not answer.
  pages: PagesReader = createPagesReader({ timeoutMs: 10_000, retries: 1 }),
): Promise<ValidationReport> {
  const hub = input.policy.conflicts.hub;
  if (!hub) return input.report;
  const heads = new Map(input.heads.map((h) => [h.path, h]));
  const checked = input.report.files.filter(
    (f) => f.request && heads.has(f.path) && !f.history && f.request.status === 'scheduled',
  );
  if (checked.length === 0) return input.report;
  const url = hubScheduleUrl(hub);
  const answer = await pages.get(url);
  const read = answer.status === 'ok' ? readHubSchedule(answer.text) : undefined;
  let found: Map<MaintenanceRequest, LocatedFinding[]>;
  if (!read || 'problem' in read) {
    const why =
      answer.status === 'ok'
        ? (read as { problem: string }).problem
        : answer.status === 'failed'
          ? answer.reason
          : `${url} answered ${answer.status === 'missing' ? answer.httpStatus : 304}`;
    found = new Map(
      checked.map((f) => [
        f.request!,
        [
          heads.get(f.path)!.locate({
            rule: 'conflict',
            severity: 'warning',
            message: `could not check against the hub ${hub.repository}'s schedule (${why}): conflicts with other repositories' work are not known`,
            path: ['start'],
          }),
        ],
      ]),
    );
  } else {
    const findings = crossRepositoryFindings({
      requests: checked.map((f) => f.request!),
      hub: read.occurrences,
      repository: input.repository,
      policy: input.policy,
      now: input.now,
    });
    found = new Map(
      checked.map((f) => [f.request!, (findings.get(f.request!) ?? []).map(heads.get(f.path)!.locate)]),
    );
  }
  const files = input.report.files.map((file) => {
    const more = file.request ? found.get(file.request) : undefined;
    if (!more || more.length === 0) return file;
    const all = [...file.errors, ...file.warnings, ...more].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    );
    return {
      ...file,
      errors: all.filter((f) => f.severity === 'error'),
      warnings: all.filter((f) => f.severity === 'warning'),
    };
  });
  return withSummary(files);
}
