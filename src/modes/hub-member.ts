// Reads one member of a hub as cheaply as its last read allows. Known members are asked one
// conditional question: their Pages schedule.json with its ETag, or their default branch's head with
// the commit already read; "not modified" ends it. New members, and those whose answer changed, are
// read from their Pages schedule.json where published, else from their default branch through the
// API (its maintenance/ folder and policy, in one tarball). A member that cannot be read keeps its
// last good data and says why.
import { fromText } from '../workspace/local.ts';
import { siteOf } from '../hub/config.ts';
import type { Member } from '../hub/members.ts';
import { inRepository, readMemberSchedule, type RepositoryOccurrence } from '../hub/schedule-input.ts';
import type { ApiSource, MemberState, PagesSource } from '../hub/state.ts';
import type { MemberReport } from '../hub/summary.ts';
import { gitBlobSha } from '../github/patch.ts';
import type { MemberReader } from '../github/members.ts';
import type { PagesReader } from '../github/pages.ts';
import type { FileContent } from '../github/port.ts';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { parseRequest } from '../model/request.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { buildScheduleDocument } from '../publish/schedule-json.ts';
import { pullNumberOfSubject } from '../workspace/pull-links.ts';
import { isRequestPath } from './pull-request-data.ts';

export interface MemberReadDeps {
  reader: MemberReader;
  pages: PagesReader;
  now: number;
  serverUrl: string;
  /** The configuration's pages_url template. */
  pagesUrl: string;
  /** Pull requests that may still be looked up in this build, shared by all members. */
  lookups: { left: number };
}

/**
 * API requests kept in hand: below this many left of the rate limit a build stops looking up pull
 * requests and reading changed members through the API (they keep their data until a later build);
 * conditional requests, which cost nothing when answered 304, go on.
 */
export const RATE_LIMIT_RESERVE = 500;

const lowOnRateLimit = (reader: MemberReader) =>
  reader.counts.remaining !== undefined && reader.counts.remaining < RATE_LIMIT_RESERVE;

export interface MemberRead {
  report: MemberReport;
  state: MemberState;
  occurrences: RepositoryOccurrence[];
}

/** Pull requests looked up per build, all members together; the rest wait for later builds. */
export const MAX_PULL_LOOKUPS = 1000;

const POLICY_FOLDER = DEFAULT_POLICY_PATH.slice(0, DEFAULT_POLICY_PATH.lastIndexOf('/') + 1);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function summarise(what: string, problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  return `${problems.length} ${what} left out (${problems[0]}${problems.length > 1 ? '; …' : ''})`;
}

export async function readMember(
  member: Member,
  previous: { state: MemberState | undefined; occurrences: RepositoryOccurrence[] },
  deps: MemberReadDeps,
): Promise<MemberRead> {
  const { state: prev } = previous;
  const readAt = new Date(deps.now).toISOString();
  // Asking "changed since?" is only safe when the data it refers to is all there.
  const cached =
    prev && prev.readAt !== null && previous.occurrences.length === prev.occurrences ? prev : undefined;

  const kept = (problem: string): MemberRead => ({
    report: {
      repository: member.repository,
      teams: member.teams,
      source: prev?.source?.kind ?? null,
      outcome: 'kept',
      problem,
      occurrences: previous.occurrences.length,
      readAt: prev?.readAt ?? null,
    },
    state: {
      repository: member.repository,
      source: prev?.source ?? null,
      readAt: prev?.readAt ?? null,
      occurrences: previous.occurrences.length,
      problem,
    },
    occurrences: previous.occurrences,
  });
  const unchanged = (state: MemberState): MemberRead => ({
    report: {
      repository: member.repository,
      teams: member.teams,
      source: state.source?.kind ?? null,
      outcome: 'unchanged',
      occurrences: previous.occurrences.length,
      readAt: state.readAt,
    },
    state: { ...state, repository: member.repository, problem: null },
    occurrences: previous.occurrences,
  });
  const fresh = (
    source: PagesSource | ApiSource,
    occurrences: RepositoryOccurrence[],
    problem?: string,
  ): MemberRead => ({
    report: {
      repository: member.repository,
      teams: member.teams,
      source: source.kind,
      outcome: 'read',
      ...(problem ? { problem } : {}),
      occurrences: occurrences.length,
      readAt,
    },
    state: { repository: member.repository, source, readAt, occurrences: occurrences.length, problem: null },
    occurrences,
  });

  const scheduleUrl = new URL('schedule.json', siteOf(deps.pagesUrl, member.owner, member.name)).href;

  async function fromPages(): Promise<MemberRead | 'not-published' | { failed: string }> {
    const answer = await deps.pages.get(scheduleUrl);
    if (answer.status === 'missing') return 'not-published';
    if (answer.status === 'failed') return { failed: answer.reason };
    if (answer.status === 'unchanged')
      return { failed: `${scheduleUrl} answered 304 to an unconditional request` };
    const read = readMemberSchedule(answer.text, member.repository);
    if ('problem' in read) return kept(`${scheduleUrl}: ${read.problem}`);
    const source: PagesSource = {
      kind: 'pages',
      url: scheduleUrl,
      etag: answer.etag,
      lastModified: answer.lastModified,
    };
    return fresh(source, read.occurrences, summarise('occurrences of its schedule.json', read.dropped));
  }

  async function fromApi(knownHead?: string): Promise<MemberRead> {
    if (lowOnRateLimit(deps.reader))
      return kept(
        `not read through the API this build: ${deps.reader.counts.remaining} requests of the rate limit are left`,
      );
    const previousApi = prev?.source?.kind === 'api' ? prev.source : undefined;
    let branch = member.defaultBranch ?? previousApi?.branch;
    if (branch === undefined) {
      const repository = await deps.reader.repository(member.repository);
      if (repository === 'not-found')
        return kept(
          `the token cannot read ${member.repository} (it does not exist, or the GitHub App is not installed on it) and it publishes no schedule.json at ${scheduleUrl}`,
        );
      branch = repository.defaultBranch;
    }
    let sha = knownHead;
    if (sha === undefined) {
      const head = await deps.reader.branchHead(member.repository, branch);
      if (head.status !== 'changed')
        return kept(
          `the token cannot read the branch ${branch} of ${member.repository} (install the GitHub App on it with contents: read), and it publishes no schedule.json at ${scheduleUrl}`,
        );
      sha = head.sha;
    }
    const files = await deps.reader.snapshot(
      member.repository,
      sha,
      (path) =>
        isRequestPath(path) ||
        path === DEFAULT_POLICY_PATH ||
        (path.startsWith(POLICY_FOLDER) && path.endsWith('.ics')),
    );
    const text = (path: string) => {
      const content = files.get(path);
      return content && 'text' in content ? content.text : undefined;
    };
    const policyText = text(DEFAULT_POLICY_PATH);
    let policy;
    try {
      policy = fromText(
        policyText ?? DEFAULT_POLICY_YAML,
        `${member.repository}: ${policyText === undefined ? 'built-in default' : DEFAULT_POLICY_PATH}`,
        (name) => {
          const found = text(`${POLICY_FOLDER}${name}`);
          if (found === undefined) throw new Error(`${name} not found`);
          return found;
        },
        deps.now,
      ).policy;
    } catch (error) {
      return kept(`its policy cannot be used: ${describe(error)}`);
    }
    const unreadable: string[] = [];
    const requests: MaintenanceRequest[] = [];
    const blobs = new Map<string, string>();
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!isRequestPath(path)) continue;
      const parsed = asText(content);
      if (parsed === undefined) {
        unreadable.push(`${path}: over 1 MiB`);
        continue;
      }
      const request = parseRequest({ path, text: parsed }).request;
      if (!request) unreadable.push(`${path}: does not parse`);
      else {
        requests.push(request);
        blobs.set(path, gitBlobSha(parsed));
      }
    }
    const pulls: ApiSource['files'] = {};
    for (const request of requests) {
      const blob = blobs.get(request.file)!;
      const before = previousApi?.files[request.file];
      if (before && before.blob === blob) pulls[request.file] = before;
      else if (deps.lookups.left > 0 && !lowOnRateLimit(deps.reader)) {
        deps.lookups.left--;
        const subject = await deps.reader.lastSubject(member.repository, request.file, sha);
        pulls[request.file] = {
          blob,
          pull: subject === undefined ? null : (pullNumberOfSubject(subject) ?? null),
        };
      }
    }
    const byId = new Map(requests.map((r) => [r.id, r]));
    const document = buildScheduleDocument({
      requests,
      policy,
      now: deps.now,
      repo: { owner: member.owner, name: member.name, serverUrl: deps.serverUrl },
      links: (id) => {
        const request = byId.get(id);
        const pull = request ? pulls[request.file]?.pull : null;
        return pull ? { pr: `${deps.serverUrl}/${member.owner}/${member.name}/pull/${pull}` } : {};
      },
    });
    const occurrences = document.occurrences.map((o) => inRepository(o, member.repository));
    const source: ApiSource = { kind: 'api', branch, sha, files: pulls };
    return fresh(source, occurrences, summarise('request files', unreadable));
  }

  /** Pages first (a site may have appeared), the API when nothing is published there. */
  async function readAnew(knownHead?: string): Promise<MemberRead> {
    const pages = await fromPages();
    if (pages !== 'not-published' && !('failed' in pages)) return pages;
    const api = await fromApi(knownHead);
    if (api.report.outcome === 'kept' && typeof pages === 'object')
      return kept(`${pages.failed}; ${api.report.problem ?? ''}`);
    return api;
  }

  try {
    const source = cached?.source;
    if (cached && source?.kind === 'pages') {
      const answer = await deps.pages.get(source.url, source);
      if (answer.status === 'unchanged') return unchanged(cached);
      if (answer.status === 'failed') return kept(answer.reason);
      if (answer.status === 'missing') return await fromApi();
      const read = readMemberSchedule(answer.text, member.repository);
      if ('problem' in read) return kept(`${source.url}: ${read.problem}`);
      return fresh(
        { ...source, etag: answer.etag, lastModified: answer.lastModified },
        read.occurrences,
        summarise('occurrences of its schedule.json', read.dropped),
      );
    }
    if (cached && source?.kind === 'api') {
      const head = await deps.reader.branchHead(
        member.repository,
        member.defaultBranch ?? source.branch,
        source.sha,
      );
      if (head.status === 'unchanged') return unchanged(cached);
      if (head.status === 'missing')
        return kept(
          `the token can no longer read ${member.repository} (is the GitHub App still installed on it?)`,
        );
      return await readAnew(head.sha);
    }
    return await readAnew();
  } catch (error) {
    return kept(describe(error));
  }
}

function asText(content: FileContent): string | undefined {
  return 'text' in content ? content.text : undefined;
}
