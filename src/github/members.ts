// The hub's reads of other repositories, and of its own conflict issues, through the Octokit adapter's
// client (retries, throttling and the rate limits it waits out). Everything that can be asked
// conditionally is: an organisation's repository list page by page with its ETags, a branch's head
// with the commit already read as the ETag (GitHub documents this use of the `sha` media type), the
// hub's open conflict issues with the list's ETag. A 304 answer costs no rate limit.
import type { OrgRepository } from '../hub/members.ts';
import type { ListingPage } from '../hub/state.ts';
import { call } from './api-call.ts';
import { createOctokit, toIssueInfo, type AdapterOptions } from './octokit.ts';
import type { FileContent, IssueInfo } from './port.ts';
import { readTarball } from './tarball.ts';

export type Head = { status: 'unchanged' } | { status: 'changed'; sha: string } | { status: 'missing' };

export interface MemberReader {
  /** The organisation's repositories, each page asked with the ETag it had; `changed` if any page was re-read. */
  orgRepositories(
    org: string,
    known: readonly ListingPage[],
  ): Promise<{ pages: ListingPage[]; changed: boolean }>;
  /** The repository's default branch; `not-found` when it does not exist or the token may not read it. */
  repository(fullName: string): Promise<{ defaultBranch: string } | 'not-found'>;
  /** The branch's head commit; `unchanged` when it is still `known`; `missing` when it cannot be read. */
  branchHead(fullName: string, branch: string, known?: string): Promise<Head>;
  /** Files of one commit, in one download (the tarball). */
  snapshot(
    fullName: string,
    sha: string,
    include: (path: string) => boolean,
  ): Promise<Map<string, FileContent>>;
  /** The subject of the last commit at or before `sha` that changed `path`. */
  lastSubject(fullName: string, path: string, sha: string): Promise<string | undefined>;
  /** API requests made so far, how many were answered 304, and the rate limit left. */
  readonly counts: RequestCounts;
}

export interface ConditionalIssues {
  /** API requests made so far, and how many of them were answered 304. */
  readonly counts: { api: number; notModified: number };
  /** Open issues with the label; `unchanged` when the list still has `etag` (then it is one page). */
  openIssues(
    label: string,
    etag: string | null,
  ): Promise<{ status: 'unchanged' } | { status: 'changed'; issues: IssueInfo[]; etag: string | null }>;
}

type Octokit = ReturnType<typeof createOctokit>;

const status = (error: unknown) => (error as { status?: number }).status;

export interface RequestCounts {
  api: number;
  notModified: number;
  /** The primary rate limit left, as the last answer said (x-ratelimit-remaining). */
  remaining?: number;
}

function counted(octokit: Octokit): RequestCounts {
  const counts: RequestCounts = { api: 0, notModified: 0 };
  const note = (headers: Record<string, unknown> | undefined) => {
    const left = Number(headers?.['x-ratelimit-remaining']);
    if (Number.isFinite(left)) counts.remaining = left;
  };
  octokit.hook.wrap('request', async (request, options) => {
    counts.api++;
    try {
      const response = await request(options);
      note(response.headers);
      return response;
    } catch (error) {
      if (status(error) === 304) counts.notModified++;
      note((error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
      throw error;
    }
  });
  return counts;
}

const split = (fullName: string) => {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
};

export function createMemberReader(
  options: Omit<AdapterOptions, 'owner' | 'repo'>,
  octokit = createOctokit({ ...options, owner: '', repo: '' }),
): MemberReader {
  const counts = counted(octokit);
  return {
    counts,

    orgRepositories: (org, known) =>
      call('GET /orgs/{org}/repos', async () => {
        const pages: ListingPage[] = [];
        let changed = false;
        for (let page = 1; ; page++) {
          const before = known[page - 1];
          let current: ListingPage;
          try {
            const response = await octokit.rest.repos.listForOrg({
              org,
              type: 'all',
              sort: 'full_name',
              per_page: 100,
              page,
              ...(before?.etag ? { headers: { 'if-none-match': before.etag } } : {}),
            });
            changed = true;
            current = {
              etag: response.headers.etag ?? null,
              next: /rel="next"/.test(response.headers.link ?? ''),
              repositories: response.data.map((r): OrgRepository => ({
                fullName: r.full_name,
                defaultBranch: r.default_branch ?? 'main',
                topics: r.topics ?? [],
                archived: r.archived === true,
              })),
            };
          } catch (error) {
            if (status(error) !== 304 || !before) throw error;
            current = before;
          }
          pages.push(current);
          if (!current.next) break;
        }
        return { pages, changed: changed || pages.length !== known.length };
      }),

    repository: (fullName) =>
      call('GET /repos/{owner}/{repo}', async () => {
        try {
          const { data } = await octokit.rest.repos.get(split(fullName));
          return { defaultBranch: data.default_branch };
        } catch (error) {
          if (status(error) === 404 || status(error) === 403) return 'not-found';
          throw error;
        }
      }),

    branchHead: (fullName, branch, known) =>
      call('GET /repos/{owner}/{repo}/commits/{ref}', async (): Promise<Head> => {
        try {
          const response = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
            ...split(fullName),
            ref: branch,
            headers: {
              accept: 'application/vnd.github.sha',
              ...(known ? { 'if-none-match': `"${known}"` } : {}),
            },
          });
          const sha = String(response.data).trim();
          if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`not a commit SHA: ${sha.slice(0, 50)}`);
          return sha === known ? { status: 'unchanged' } : { status: 'changed', sha };
        } catch (error) {
          const code = status(error);
          if (code === 304 && known) return { status: 'unchanged' };
          // 404: no such repository or branch, or one the token may not read; 409: an empty repository.
          if (code === 404 || code === 403 || code === 409 || code === 422) return { status: 'missing' };
          throw error;
        }
      }),

    snapshot: (fullName, sha, include) =>
      call('GET /repos/{owner}/{repo}/tarball/{ref}', async () => {
        const response = await octokit.rest.repos.downloadTarballArchive({ ...split(fullName), ref: sha });
        return readTarball(Buffer.from(response.data as ArrayBuffer), include);
      }),

    lastSubject: (fullName, path, sha) =>
      call('GET /repos/{owner}/{repo}/commits', async () => {
        const { data } = await octokit.rest.repos.listCommits({ ...split(fullName), sha, path, per_page: 1 });
        return data[0]?.commit.message.split('\n')[0];
      }),
  };
}

export function createConditionalIssues(
  options: AdapterOptions,
  octokit = createOctokit(options),
): ConditionalIssues {
  const base = { owner: options.owner, repo: options.repo };
  return {
    counts: counted(octokit),
    openIssues: (label, etag) =>
      call('GET /repos/{owner}/{repo}/issues', async () => {
        const issues: IssueInfo[] = [];
        let first: string | null = null;
        for (let page = 1; ; page++) {
          let response;
          try {
            response = await octokit.rest.issues.listForRepo({
              ...base,
              state: 'open',
              labels: label,
              per_page: 100,
              page,
              ...(page === 1 && etag ? { headers: { 'if-none-match': etag } } : {}),
            });
          } catch (error) {
            if (page === 1 && status(error) === 304) return { status: 'unchanged' as const };
            throw error;
          }
          if (page === 1) first = response.headers.etag ?? null;
          for (const issue of response.data) {
            if (issue.pull_request) continue;
            issues.push(toIssueInfo(issue));
          }
          if (!/rel="next"/.test(response.headers.link ?? '')) {
            // One page is all there is: its ETag stands for the whole list.
            return { status: 'changed' as const, issues, etag: page === 1 ? first : null };
          }
        }
      }),
  };
}
