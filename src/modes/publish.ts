// `mode: publish` (and `maint publish`): read the requests and the policy from a checkout, build
// the site, write it as a whole. With the GitHub port, events also link their result issues.
import { resolve } from 'node:path';
import type { IssueTracker } from '../github/port.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { loadTemplates } from '../notices/template-loader.ts';
import { buildSite } from '../publish/site.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { pullRequestsOfFiles } from '../workspace/pull-links.ts';
import { gitSequences } from '../workspace/sequence.ts';
import { writeSite } from '../workspace/site-writer.ts';

export const RESULT_LABEL = 'maintenance';

export interface PublishSettings {
  /** The checkout's root: requests, policy and templates are read relative to it. */
  root: string;
  dir: string;
  out: string;
  policy?: string;
  now: number;
  repo?: { owner: string; name: string };
  serverUrl: string;
  baseUrl?: string;
}

export interface PublishOutcome {
  out: string;
  files: number;
  feeds: number;
  /** The JSON Schemas, at schema/v1/. */
  schemas: number;
  notices: number;
  baseUrl?: string;
  skipped: { path: string; reason: string }[];
  warnings: string[];
}

/** Result issue URLs by request id, from the issues' state markers (the latest occurrence wins). */
async function resultIssues(issues: IssueTracker, since: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const all = [
    ...(await issues.recentlyClosedIssues(RESULT_LABEL, since)),
    ...(await issues.openIssues(RESULT_LABEL)),
  ];
  for (const issue of all) {
    const marker = decodeStateMarker(issue.body);
    if (marker.kind === 'found') found.set(marker.key.split('@')[0]!, issue.htmlUrl);
  }
  return found;
}

export async function publishSite(settings: PublishSettings, issues?: IssueTracker): Promise<PublishOutcome> {
  const { policy } = loadPolicy(settings.policy, settings.root, settings.now);
  const files = readRequests([settings.dir], settings.root);
  const requests = files.flatMap((f) => (f.request ? [f.request] : []));
  const directory = resolve(settings.root, settings.dir);
  const baseUrl =
    settings.baseUrl ??
    policy.calendar.url ??
    (settings.repo
      ? `https://${settings.repo.owner.toLowerCase()}.github.io/${settings.repo.name}/`
      : undefined);
  const warnings: string[] = [];
  let issueUrls = new Map<string, string>();
  if (issues) {
    try {
      issueUrls = await resultIssues(
        issues,
        new Date(settings.now - policy.calendar.keepAfterEndMs).toISOString(),
      );
    } catch (error) {
      warnings.push(`result issues not linked: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const absolute = (file: string) => resolve(settings.root, file);
  const pulls = pullRequestsOfFiles(
    directory,
    requests.map((r) => absolute(r.file)),
  );
  const byId = new Map(requests.map((r) => [r.id, r]));
  const repo = settings.repo;
  const site = buildSite({
    files,
    policy,
    now: settings.now,
    sequences: gitSequences(
      directory,
      requests.map((r) => ({ ...r, file: absolute(r.file) })),
    ),
    templates: loadTemplates({
      root: settings.root,
      ...(policy.notices.templatesDir ? { userDir: policy.notices.templatesDir } : {}),
    }).source,
    ...(repo ? { repo: { ...repo, serverUrl: settings.serverUrl } } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    links: (id) => {
      const request = byId.get(id);
      const number = request && pulls.get(absolute(request.file));
      const issue = issueUrls.get(id);
      return {
        ...(repo && number !== undefined
          ? { pr: `${settings.serverUrl}/${repo.owner}/${repo.name}/pull/${number}` }
          : {}),
        ...(issue ? { issue } : {}),
      };
    },
  });
  writeSite(resolve(settings.root, settings.out), site.files);
  const paths = [...site.files.keys()];
  return {
    out: settings.out,
    files: site.files.size,
    feeds: paths.filter((p) => p.endsWith('.ics')).length,
    schemas: paths.filter((p) => p.startsWith('schema/')).length,
    notices: paths.filter((p) => p.startsWith('notices/')).length,
    ...(baseUrl ? { baseUrl } : {}),
    skipped: site.skipped,
    warnings,
  };
}
