// The one adapter of the GitHub port: Octokit with the retry and throttling plugins (5xx retried
// with backoff; primary and secondary rate limits waited out a bounded number of times), a timeout
// on every request, and pagination up to GitHub's caps.
import { LINK_REFUSAL } from '../model/unreadable.ts';
import { decodeUtf8 } from '../model/utf8.ts';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import {
  type ChangedFile,
  type CommitComparison,
  type MergedPullInfo,
  type CheckResult,
  type FileContent,
  type FileStatus,
  type IssueComment,
  type IssueInfo,
  type MaintenanceRepo,
  type MarkedComment,
  type Review,
  type WorkflowRunInfo,
} from './port.ts';
import { call } from './api-call.ts';
import { createIntakeWriter } from './octokit-intake.ts';
import { createPullRequestReviewer } from './octokit-reviews.ts';
import { toPullRequestInfo, type RawPullRequest } from './pull-request.ts';
import { readTarball } from './tarball.ts';

export interface AdapterOptions {
  token: string;
  owner: string;
  repo: string;
  /** GITHUB_API_URL; the toolkit's default when absent. */
  baseUrl?: string;
  /** Per request; a hung request is aborted and retried. */
  requestTimeoutMs?: number;
  /** Waits between writes, as GitHub asks of integrations (default 1 s). */
  writeSpacingMs?: number;
  /** Waits between writes that notify people (issues, comments), as GitHub asks (default 3 s). */
  notificationSpacingMs?: number;
  /** The unit of retry waits: a second in production; simulations shrink it. */
  retryBaseMs?: number;
  /**
   * false: no retry and throttling plugins, every failure reaches the caller (the simulation uses
   * this to test that ticks converge on their own; the plugins' scheduling costs ~10 ms a request).
   */
  retries?: boolean;

  /** How many times a rate-limited request is retried after waiting (default 2). */
  rateLimitRetries?: number;
  /** Longest wait accepted for a rate limit, in seconds (default 60). */
  maxRateLimitWaitSeconds?: number;
  log?: (message: string) => void;
}

/** GitHub's caps: pull request files list at most 3,000; checks take 50 annotations a request. */
export const MAX_PR_FILES = 3000;
export const ANNOTATIONS_PER_REQUEST = 50;

export type Octokit = ReturnType<typeof getOctokit>;

function timeoutFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

export function createOctokit(options: AdapterOptions): Octokit {
  const log = options.log ?? (() => undefined);
  const retries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < retries && retryAfter <= maxWait;
      log(
        `${kind} rate limit on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter} s` : 'giving up'}`,
      );
      return again;
    };
  return getOctokit(
    options.token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      request: { fetch: timeoutFetch(options.requestTimeoutMs ?? 30_000) },
      // 5xx and network errors: retried after 1, 4 and 9 times the base; rate limits after Retry-After.
      retry: { retries: 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      throttle: {
        retryAfterBaseValue: options.retryBaseMs ?? 1000,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
        notifications: new Bottleneck.Group({
          maxConcurrent: 1,
          minTime: options.notificationSpacingMs ?? 3000,
        }),
      },
    },
    ...(options.retries === false ? [] : [retry, throttling]),
  );
}

/** The commit a pull request file was listed at: its contents URL reads it `?ref=` that commit. */
function listedAt(contentsUrl: string | undefined): { listedAt?: string } {
  if (!contentsUrl) return {};
  try {
    const ref = new URL(contentsUrl).searchParams.get('ref');
    return ref && /^[0-9a-f]{40}$/.test(ref) ? { listedAt: ref } : {};
  } catch {
    return {};
  }
}

/** The items for which the test holds, asked all at once, in their order. */
async function filterAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept = await Promise.all(items.map(test));
  return items.filter((_, i) => kept[i]);
}

/** An issue as the port describes it, from the REST shape of a single or listed issue. */
export const toIssueInfo = (issue: {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string })[];
  html_url: string;
  updated_at: string;
  comments?: number;
  assignees?: { login: string }[] | null;
}): IssueInfo => ({
  number: issue.number,
  title: issue.title,
  body: issue.body ?? '',
  state: issue.state === 'closed' ? 'closed' : 'open',
  labels: issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
  htmlUrl: issue.html_url,
  updatedAt: issue.updated_at,
  ...(typeof issue.comments === 'number' ? { comments: issue.comments } : {}),
  ...(issue.assignees ? { assignees: issue.assignees.map((a) => a.login) } : {}),
});

export function createMaintenanceRepo(
  options: AdapterOptions,
  octokit = createOctokit(options),
): MaintenanceRepo {
  const repository = { owner: options.owner, name: options.repo };
  const base = { owner: options.owner, repo: options.repo };

  const toRun = (run: {
    id: number;
    status: string | null;
    conclusion: string | null;
    html_url: string;
    created_at: string;
    display_title?: string;
    head_branch?: string | null;
  }): WorkflowRunInfo => ({
    id: run.id,
    status: run.status ?? 'queued',
    conclusion: run.conclusion,
    htmlUrl: run.html_url,
    createdAt: run.created_at,
    ...(run.display_title !== undefined ? { displayTitle: run.display_title } : {}),
    ...(run.head_branch ? { headBranch: run.head_branch } : {}),
  });

  const hasWriteAccess = (user: string) =>
    call('GET /repos/{owner}/{repo}/collaborators/{username}/permission', async () => {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...base, username: user });
        return (
          ['admin', 'maintain', 'write'].includes(data.role_name ?? '') ||
          ['admin', 'write'].includes(data.permission)
        );
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    });

  const findComment = (number: number, marker: string) =>
    call('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...base,
        issue_number: number,
        per_page: 100,
      })) {
        const found = page.data.find((c) => c.body?.includes(marker) && c.user?.type === 'Bot');
        if (found) return { id: found.id, body: found.body ?? '', url: found.html_url };
      }
      return undefined;
    });

  const writeComment = (number: number, body: string, existing?: MarkedComment) =>
    call('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
      if (existing) {
        if (existing.body === body) return existing.url;
        const { data } = await octokit.rest.issues.updateComment({ ...base, comment_id: existing.id, body });
        return data.html_url;
      }
      const { data } = await octokit.rest.issues.createComment({ ...base, issue_number: number, body });
      return data.html_url;
    });

  return {
    repository,
    ...createIntakeWriter(octokit, base),
    ...createPullRequestReviewer(octokit, base),

    pullRequest: (number) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}', async () =>
        toPullRequestInfo((await octokit.rest.pulls.get({ ...base, pull_number: number })).data),
      ),

    findPullRequest: (headSha, hint) =>
      call('GET /repos/{owner}/{repo}/pulls', async () => {
        const match = (pulls: { number: number; head: { sha: string } }[]) =>
          pulls.find((p) => p.head.sha === headSha)?.number;
        if (hint?.owner && hint.branch) {
          const { data } = await octokit.rest.pulls.list({
            ...base,
            state: 'open',
            head: `${hint.owner}:${hint.branch}`,
            per_page: 100,
          });
          const found = match(data);
          if (found !== undefined) return found;
        }
        for await (const page of octokit.paginate.iterator(octokit.rest.pulls.list, {
          ...base,
          state: 'open',
          per_page: 100,
        })) {
          const found = match(page.data);
          if (found !== undefined) return found;
        }
        return undefined;
      }),

    changedFiles: (number) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
        const files: ChangedFile[] = [];
        for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
          ...base,
          pull_number: number,
          per_page: 100,
        })) {
          for (const f of page.data) {
            files.push({
              filename: f.filename,
              status: f.status as FileStatus,
              ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
              ...(f.status !== 'removed' && f.sha ? { sha: f.sha } : {}),
              ...(f.patch !== undefined ? { patch: f.patch } : {}),
              ...listedAt(f.contents_url),
            });
          }
          if (files.length >= MAX_PR_FILES) break;
        }
        return files.slice(0, MAX_PR_FILES);
      }),

    pullCommits: (number) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', async () => {
        const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
          ...base,
          pull_number: number,
          per_page: 100,
        });
        return commits.map((c) => c.sha);
      }),

    reviews: (number) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', async () => {
        const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
          ...base,
          pull_number: number,
          per_page: 100,
        });
        return reviews.map((r): Review => ({
          user: r.user?.login ?? 'ghost',
          userType: r.user?.type ?? 'User',
          state: r.state,
          submittedAt: r.submitted_at ?? '',
          commitId: r.commit_id ?? '',
        }));
      }),

    lastCommitTouching: (path, head) =>
      call('GET /repos/{owner}/{repo}/commits', async () => {
        const { data } = await octokit.rest.repos.listCommits({ ...base, sha: head, path, per_page: 1 });
        return data[0]?.sha;
      }),

    readFile: (path, ref) =>
      call('GET /repos/{owner}/{repo}/contents/{path}', async (): Promise<FileContent> => {
        try {
          const { data } = await octokit.rest.repos.getContent({ ...base, path, ref });
          if (Array.isArray(data)) return { missing: true };
          // GitHub answers for a link with the link, or with the file it points to in the repository.
          if (data.type === 'symlink' || data.path !== path) return { notFile: LINK_REFUSAL };
          if (data.type !== 'file') return { missing: true };
          if (data.encoding === 'none' || (data.size > 0 && !data.content)) return { tooBig: data.size };
          return decodeUtf8(Buffer.from(data.content, 'base64'));
        } catch (error) {
          if ((error as { status?: number }).status === 404) return { missing: true };
          throw error;
        }
      }),

    snapshot: (ref, include) =>
      call('GET /repos/{owner}/{repo}/tarball/{ref}', async () => {
        // Streamed: only the files asked for are kept, whatever the size of the repository.
        const response = await octokit.rest.repos.downloadTarballArchive({
          ...base,
          ref,
          request: { parseSuccessResponseBody: false },
        });
        return readTarball(response.data as unknown as ReadableStream<Uint8Array>, include);
      }),

    teamMembers: (org, slug) =>
      call('GET /orgs/{org}/teams/{team_slug}/members', async () => {
        try {
          const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, {
            org,
            team_slug: slug,
            per_page: 100,
          });
          return members.map((m) => m.login);
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (status === 404) return 'not-found';
          if (status === 403) return null;
          throw error;
        }
      }),

    writersAmong: async (users) => {
      const unique = [...new Set(users)];
      if (unique.length <= 1) return filterAsync(unique, hasWriteAccess);
      // One page of collaborators (with their permissions) usually answers for every reviewer at
      // once; anyone it does not settle is asked about alone.
      const listed = await call('GET /repos/{owner}/{repo}/collaborators', async () => {
        try {
          const response = await octokit.rest.repos.listCollaborators({ ...base, per_page: 100 });
          const push = new Map(
            response.data.map((c) => [c.login.toLowerCase(), c.permissions?.push === true]),
          );
          return { push, complete: !/rel="next"/.test(response.headers.link ?? '') };
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (status === 403 || status === 404) return undefined;
          throw error;
        }
      });
      return filterAsync(unique, async (user) => {
        const known = listed?.push.get(user.toLowerCase());
        if (known !== undefined) return known;
        // A complete list names everyone with access; a user missing from it cannot push.
        if (listed?.complete) return false;
        return hasWriteAccess(user);
      });
    },

    startCheck: (headSha, name, detailsUrl) =>
      call('POST /repos/{owner}/{repo}/check-runs', async () => {
        const { data } = await octokit.rest.checks.create({
          ...base,
          name,
          head_sha: headSha,
          status: 'in_progress',
          started_at: new Date().toISOString(),
          ...(detailsUrl ? { details_url: detailsUrl } : {}),
          output: {
            title: 'Validating maintenance requests',
            summary: 'maint is checking this pull request.',
          },
        });
        return data.id;
      }),

    finishCheck: (id, result: CheckResult) =>
      call('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', async () => {
        const annotation = (a: CheckResult['annotations'][number]) => ({
          path: a.path,
          start_line: a.startLine,
          end_line: a.endLine,
          ...(a.startLine === a.endLine && a.startColumn !== undefined
            ? { start_column: a.startColumn, end_column: a.endColumn ?? a.startColumn }
            : {}),
          annotation_level: a.level,
          title: a.title,
          message: a.message,
        });
        const batches: CheckResult['annotations'][] = [];
        for (let i = 0; i < result.annotations.length; i += ANNOTATIONS_PER_REQUEST)
          batches.push(result.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
        const output = (annotations: CheckResult['annotations']) => ({
          title: result.title,
          summary: result.summary,
          ...(result.text ? { text: result.text } : {}),
          annotations: annotations.map(annotation),
        });
        // Annotations first (the Checks API appends them), the conclusion with the last batch.
        for (const batch of batches.slice(0, -1)) {
          await octokit.rest.checks.update({ ...base, check_run_id: id, output: output(batch) });
        }
        await octokit.rest.checks.update({
          ...base,
          check_run_id: id,
          status: 'completed',
          conclusion: result.conclusion,
          completed_at: new Date().toISOString(),
          output: output(batches[batches.length - 1] ?? []),
        });
      }),

    upsertComment: async (number, marker, body) =>
      writeComment(number, body, await findComment(number, marker)),
    findComment,
    writeComment,

    issue: (number) =>
      call('GET /repos/{owner}/{repo}/issues/{issue_number}', async () =>
        toIssueInfo((await octokit.rest.issues.get({ ...base, issue_number: number })).data),
      ),

    openIssues: (label) =>
      call('GET /repos/{owner}/{repo}/issues', async () => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...base,
          state: 'open',
          labels: label,
          per_page: 100,
        });
        return issues.filter((i) => !i.pull_request).map(toIssueInfo);
      }),

    recentlyClosedIssues: (label, since) =>
      call('GET /repos/{owner}/{repo}/issues', async () => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...base,
          state: 'closed',
          labels: label,
          since,
          per_page: 100,
        });
        return issues.filter((i) => !i.pull_request).map(toIssueInfo);
      }),

    createIssue: (issue) =>
      call('POST /repos/{owner}/{repo}/issues', async () =>
        // Never retried: a create that timed out may have happened. The run mode finds the issue by
        // its marker on the next tick instead of making a second one.
        toIssueInfo((await octokit.rest.issues.create({ ...base, ...issue, request: { retries: 0 } })).data),
      ),

    updateIssue: (number, change) =>
      call('PATCH /repos/{owner}/{repo}/issues/{issue_number}', async () => {
        await octokit.rest.issues.update({
          ...base,
          issue_number: number,
          ...(change.body !== undefined ? { body: change.body } : {}),
          ...(change.title !== undefined ? { title: change.title } : {}),
          ...(change.labels !== undefined ? { labels: change.labels } : {}),
          ...(change.assignees !== undefined ? { assignees: change.assignees } : {}),
          ...(change.state !== undefined ? { state: change.state } : {}),
          ...(change.stateReason !== undefined ? { state_reason: change.stateReason } : {}),
        });
      }),

    comment: (number, body) =>
      call('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
        // Never retried, like issue creation: the run mode checks for the comment's marker first.
        await octokit.rest.issues.createComment({
          ...base,
          issue_number: number,
          body,
          request: { retries: 0 },
        });
      }),

    comments: (number) =>
      call('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          ...base,
          issue_number: number,
          per_page: 100,
        });
        return comments.map((c): IssueComment => ({
          id: c.id,
          user: c.user?.login ?? 'ghost',
          userType: c.user?.type ?? 'User',
          body: c.body ?? '',
          createdAt: c.created_at,
        }));
      }),

    dispatchWorkflow: (workflow, ref, inputs) =>
      call('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', async () => {
        // `request` rather than `rest.actions`: the bundled endpoint types predate `return_run_details`.
        // Never retried: a dispatch GitHub acted on before a 5xx or a timeout would start a second run.
        const { status, data } = await octokit.request(
          'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
          { ...base, workflow_id: workflow, ref, inputs, return_run_details: true, request: { retries: 0 } },
        );
        const details = data as { workflow_run_id?: number; html_url?: string } | undefined;
        if (status !== 200 || typeof details?.workflow_run_id !== 'number') {
          throw new Error(`GitHub answered ${status} without the run's details (return_run_details)`);
        }
        return { runId: details.workflow_run_id, htmlUrl: details.html_url ?? '' };
      }),

    scheduledRuns: (workflow, count) =>
      call('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', async () => {
        const { data } = await octokit.rest.actions.listWorkflowRuns({
          ...base,
          workflow_id: workflow,
          event: 'schedule',
          per_page: count,
        });
        return data.workflow_runs.map(toRun);
      }),

    repositoryActivity: () =>
      call('GET /repos/{owner}/{repo}', async () => {
        const { data } = await octokit.rest.repos.get(base);
        return { isPublic: !data.private, ...(data.pushed_at ? { pushedAt: data.pushed_at } : {}) };
      }),

    workflowRun: (id) =>
      call('GET /repos/{owner}/{repo}/actions/runs/{run_id}', async () =>
        toRun((await octokit.rest.actions.getWorkflowRun({ ...base, run_id: id })).data),
      ),

    cancelWorkflowRun: (id) =>
      call('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', async () => {
        try {
          // Not retried: the retry plugin would retry the 409 too; the caller polls the run anyway.
          await octokit.rest.actions.cancelWorkflowRun({ ...base, run_id: id, request: { retries: 0 } });
          return true;
        } catch (error) {
          // 409: the run completed before the cancel arrived.
          if ((error as { status?: number }).status === 409) return false;
          throw error;
        }
      }),

    dispatchedRuns: (workflow, since) =>
      call('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', async () => {
        const { data } = await octokit.rest.actions.listWorkflowRuns({
          ...base,
          workflow_id: workflow,
          event: 'workflow_dispatch',
          created: `>=${since}`,
          per_page: 100,
        });
        return data.workflow_runs.map(toRun);
      }),

    commitsTouching: (path, head, limit) =>
      call('GET /repos/{owner}/{repo}/commits', async () => {
        const { data } = await octokit.rest.repos.listCommits({ ...base, sha: head, path, per_page: limit });
        return data.map((c) => c.sha);
      }),

    pullRequestsOfCommit: (sha) =>
      call('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', async () => {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          ...base,
          commit_sha: sha,
          per_page: 100,
        });
        return data.map((pr): MergedPullInfo => ({
          ...toPullRequestInfo(pr as RawPullRequest),
          mergedAt: pr.merged_at ?? null,
          mergeCommitSha: pr.merge_commit_sha ?? null,
          ...(pr.created_at ? { createdAt: pr.created_at } : {}),
        }));
      }),

    latestCheckRun: (ref, name) =>
      call('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', async () => {
        const { data } = await octokit.rest.checks.listForRef({
          ...base,
          ref,
          check_name: name,
          filter: 'latest',
          per_page: 1,
        });
        const run = data.check_runs[0];
        return run
          ? { name: run.name, status: run.status, conclusion: run.conclusion ?? null, headSha: run.head_sha }
          : undefined;
      }),

    blobAt: (path, ref) =>
      call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
        try {
          const { data } = await octokit.rest.repos.getContent({ ...base, path, ref });
          return Array.isArray(data) || data.type !== 'file' ? undefined : data.sha;
        } catch (error) {
          if ((error as { status?: number }).status === 404) return undefined;
          throw error;
        }
      }),

    compareCommits: (baseRef, head) =>
      call('GET /repos/{owner}/{repo}/compare/{basehead}', async () => {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          ...base,
          basehead: `${baseRef}...${head}`,
          per_page: 1,
        });
        return data.status as CommitComparison;
      }),
  };
}
