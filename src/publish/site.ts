// The published site as data: every file (calendar feeds, schedule.json, the schedule page, the JSON
// Schemas, the notices of each upcoming or cancelled maintenance) by its path under the site folder.
// Pure and deterministic: the same requests, policy, history and `now` give byte-identical files.
import { buildFeeds } from '../calendar/feeds.ts';
import { ConfigurationError } from '../errors.ts';
import type { RequestParse } from '../model/request.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { CHANNELS, type Channel, type NoticeKind } from '../notices/kinds.ts';
import { renderNotice } from '../notices/render.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import { endedBy, occurrencesBetween } from '../schedule/recurrence.ts';
import { validate, type ValidationReport } from '../schedule/validate.ts';
import { renderSchedulePage } from '../site/schedule-page.ts';
import { SCHEMA_LINKS, schemaSiteFiles } from './schema-files.ts';
import { SCHEDULE_JSON_PATH, renderScheduleJson } from './schedule-json.ts';

export interface SiteInput {
  files: readonly RequestParse[];
  policy: Policy;
  now: number;
  repo?: { owner: string; name: string; serverUrl?: string };
  /** https address the site is served from, for subscribe links. */
  baseUrl?: string;
  sequences: ReadonlyMap<string, number>;
  links?: (id: string) => { pr?: string; issue?: string };
  templates: TemplateSource;
}

export interface Site {
  files: Map<string, string>;
  report: ValidationReport;
  /** Requests that could not be read and are left out of the site. */
  skipped: { path: string; reason: string }[];
}

const EXTENSIONS: Record<Channel, string> = {
  markdown: 'md',
  slack: 'slack.json',
  teams: 'teams.json',
  email: 'email.txt',
  statuspage: 'statuspage.json',
};

export function buildSite(input: SiteInput): Site {
  const { policy, now } = input;
  const report = validate({ policy, now, targets: input.files, suggestSlots: false });
  const requests = input.files.flatMap((f) => (f.request ? [f.request] : []));
  const skipped = input.files
    .filter((f) => !f.request)
    .map((f) => ({
      path: f.path,
      reason: f.findings.find((x) => x.severity === 'error')?.message ?? 'unreadable',
    }));

  const files = new Map<string, string>();
  const feeds = buildFeeds({
    requests,
    policy,
    now,
    sequences: input.sequences,
    ...(input.repo ? { repo: input.repo } : {}),
    ...(input.links ? { links: input.links } : {}),
  });
  for (const [path, text] of feeds) files.set(path, text);
  files.set(
    SCHEDULE_JSON_PATH,
    renderScheduleJson({
      requests,
      policy,
      now,
      ...(input.repo ? { repo: input.repo } : {}),
      ...(input.links ? { links: input.links } : {}),
    }),
  );

  const feedList = [...feeds.keys()].map((path) => ({ label: feedLabel(path), path }));
  files.set(
    'index.html',
    renderSchedulePage({
      requests,
      report,
      policy,
      now,
      feeds: feedList,
      schemas: SCHEMA_LINKS,
      ...(input.repo ? { repo: input.repo } : {}),
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
      ...(input.links ? { links: input.links } : {}),
    }),
  );

  for (const [path, text] of schemaSiteFiles()) files.set(path, text);

  for (const request of requests) {
    const notice = noticeFor(request, now);
    if (!notice) continue;
    for (const channel of CHANNELS) {
      const links = input.links?.(request.id) ?? {};
      const result = renderNotice(
        {
          kind: notice.kind,
          channel,
          request,
          policy,
          now,
          details: {
            ...(notice.occurrence !== undefined ? { occurrence: notice.occurrence } : {}),
            ...(links.issue ? { resultIssueUrl: links.issue } : {}),
            ...(links.pr ? { pullRequestUrl: links.pr } : {}),
          },
        },
        input.templates,
      );
      if (!result.ok) {
        const { file, line, message } = result.problem;
        throw new ConfigurationError(
          file ?? 'templates',
          `${line !== undefined ? `line ${line}: ` : ''}${message}`,
        );
      }
      const { notice: rendered } = result;
      const text =
        rendered.json !== undefined
          ? `${JSON.stringify(rendered.json, null, 2)}\n`
          : `${rendered.subject ? `Subject: ${rendered.subject}\n\n` : ''}${rendered.text ?? ''}`;
      files.set(`notices/${request.id}/${notice.kind}.${EXTENSIONS[channel]}`, text);
    }
  }
  return { files, report, skipped };
}

/** Upcoming work gets its announcement (of the next occurrence); upcoming cancelled work its cancellation. */
function noticeFor(
  request: MaintenanceRequest,
  now: number,
): { kind: NoticeKind; occurrence?: number } | undefined {
  if (endedBy(request, now)) return undefined;
  const kind: NoticeKind = request.status === 'cancelled' ? 'cancellation' : 'announcement';
  if (!request.series) return request.endsAt > now ? { kind } : undefined;
  const [next] = occurrencesBetween(request, now, now + 400 * 86_400_000);
  return next ? { kind, occurrence: next.start } : undefined;
}

function feedLabel(path: string): string {
  if (path === 'maintenance.ics') return 'All maintenance';
  if (path === 'freezes.ics') return 'Change freezes';
  const [kind, file] = path.split('/') as [string, string];
  const name = file.replace(/\.ics$/, '');
  return kind === 'env' ? `Environment: ${name}` : `Service: ${name}`;
}
