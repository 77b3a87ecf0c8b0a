// The port between maint and GitHub: what the modes need, in maint's terms. The Octokit adapter
// (octokit.ts) is the only implementation that talks to the API; tests use it against a local
// GitHub API server.
import type { Unreadable } from '../model/unreadable.ts';

export interface PullRequestInfo {
  number: number;
  author: string;
  authorType: string;
  state: 'open' | 'closed';
  draft: boolean;
  title: string;
  htmlUrl: string;
  headSha: string;
  headRef: string;
  /** owner/name of the repository the head lives in (a fork's for fork PRs). */
  headRepo: string;
  isFork: boolean;
  baseSha: string;
  baseRef: string;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  filename: string;
  status: FileStatus;
  previousFilename?: string;
  /** The file's blob SHA at the head (absent when removed). */
  sha?: string;
  /** GitHub's unified patch against the merge base; absent for binary files and very large diffs. */
  patch?: string;
  /** The head commit the list was made at (the `ref` of the file's contents URL), when GitHub says. */
  listedAt?: string;
}

export interface Review {
  user: string;
  userType: string;
  state: string;
  submittedAt: string;
  commitId: string;
}

/** A file's text, or why there is none: absent, too big, not UTF-8, or not a file (a symbolic link). */
export type FileContent = { text: string } | { missing: true } | Unreadable;

export interface Annotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'action_required' | 'cancelled';

export interface CheckResult {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
}

export interface IssueInfo {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  htmlUrl: string;
  updatedAt: string;
  /** How many comments it has (GitHub says so in every issue it lists). */
  comments?: number;
  assignees?: string[];
}

export interface IssueComment {
  id: number;
  user: string;
  userType: string;
  body: string;
  createdAt: string;
}

/** The run a dispatch started, as GitHub names it with `return_run_details`. */
export interface DispatchedRun {
  runId: number;
  htmlUrl: string;
}

export interface WorkflowRunInfo {
  id: number;
  status: string;
  conclusion: string | null;
  htmlUrl: string;
  createdAt: string;
  /** The run's name as GitHub shows it (`run-name`, else the workflow's name). */
  displayTitle?: string;
  /** The branch the run was started on. */
  headBranch?: string;
}

/** Reads of the repository and its pull requests. */
export interface RepositoryReader {
  readonly repository: { owner: string; name: string };
  pullRequest(number: number): Promise<PullRequestInfo>;
  /** The open pull request whose head is this commit (for workflow_run events, fork PRs included). */
  findPullRequest(headSha: string, hint?: { owner?: string; branch?: string }): Promise<number | undefined>;
  /** Every changed file, paginated, up to GitHub's cap of 3,000. */
  changedFiles(number: number): Promise<ChangedFile[]>;
  /** The PR's commits, oldest first. */
  pullCommits(number: number): Promise<string[]>;
  reviews(number: number): Promise<Review[]>;
  /** The newest commit at or before `head` that touched `path`. */
  lastCommitTouching(path: string, head: string): Promise<string | undefined>;
  readFile(path: string, ref: string): Promise<FileContent>;
  /** The files under the given folders (and the given single files) at a commit, in one download. */
  snapshot(ref: string, include: (path: string) => boolean): Promise<Map<string, FileContent>>;
  /**
   * A team's active members; null when the token may not read them (403); `not-found` when GitHub
   * answers 404 (no such team in the organisation, or one the token cannot see).
   */
  teamMembers(org: string, slug: string): Promise<string[] | null | 'not-found'>;
  /** Those of the users who may push to the repository (write, maintain or admin), in their order. */
  writersAmong(users: readonly string[]): Promise<string[]>;
}

/** A comment found by the marker it carries. */
export interface MarkedComment {
  id: number;
  body: string;
  url: string;
}

/** Writes that report on a pull request. */
export interface PullRequestReporter {
  startCheck(headSha: string, name: string, detailsUrl?: string): Promise<number>;
  finishCheck(id: number, result: CheckResult): Promise<void>;
  /** Creates the comment carrying `marker`, or updates it in place; returns its URL. */
  upsertComment(number: number, marker: string, body: string): Promise<string>;
  /** The bot's comment carrying `marker`, if there is one: upsertComment in two steps. */
  findComment(number: number, marker: string): Promise<MarkedComment | undefined>;
  /** Creates the comment, or updates the one found when its body differs; returns its URL. */
  writeComment(number: number, body: string, existing?: MarkedComment): Promise<string>;
}

/** A pull request review comment (one on a line of the diff), as it was made. */
export interface ReviewCommentInfo {
  id: number;
  user: string;
  userType: string;
  body: string;
  path: string;
  /** The line it was made on (the last of a multi-line comment), on the commit it was made on. */
  line: number | null;
  /** The first line of a multi-line comment. */
  startLine: number | null;
  commitId: string;
}

/** A comment on the head side of the diff: `line`, or `startLine`..`line` (in one hunk). */
export interface NewReviewComment {
  path: string;
  line: number;
  startLine?: number;
  body: string;
}

/** Review comments on a pull request's lines: the next-slot suggestions of validation. */
export interface PullRequestReviewer {
  /** Every review comment of the pull request, paginated. */
  reviewComments(number: number): Promise<ReviewCommentInfo[]>;
  /** Submits one review (no verdict, no text of its own) holding the comments; returns its URL. */
  commentReview(number: number, review: { commitId: string; comments: NewReviewComment[] }): Promise<string>;
  /** Deletes a review comment (a submitted review itself cannot be deleted). */
  deleteReviewComment(id: number): Promise<void>;
}

/** Issues and workflows, for the lifecycle. */
export interface IssueTracker {
  issue(number: number): Promise<IssueInfo>;
  openIssues(label: string): Promise<IssueInfo[]>;
  /** Issues with the label closed since an instant (ISO). */
  recentlyClosedIssues(label: string, since: string): Promise<IssueInfo[]>;
  createIssue(issue: {
    title: string;
    body: string;
    labels: string[];
    assignees: string[];
  }): Promise<IssueInfo>;
  updateIssue(
    number: number,
    change: {
      body?: string;
      title?: string;
      labels?: string[];
      /** The whole list: those not named are unassigned. */
      assignees?: string[];
      state?: 'open' | 'closed';
      stateReason?: 'completed' | 'not_planned' | 'duplicate';
    },
  ): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  comments(number: number): Promise<IssueComment[]>;
  /** Starts a workflow_dispatch run and names the exact run it started (never guessed from a list). */
  dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>): Promise<DispatchedRun>;
  /** The latest scheduled runs of a workflow, newest first. */
  scheduledRuns(workflow: string, count: number): Promise<WorkflowRunInfo[]>;
  /** Whether the repository is public, and when it was last pushed to. */
  repositoryActivity(): Promise<{ isPublic: boolean; pushedAt?: string }>;

  workflowRun(id: number): Promise<WorkflowRunInfo>;
  /** Asks GitHub to cancel a run; false when it had already completed. */
  cancelWorkflowRun(id: number): Promise<boolean>;
  /** The `workflow_dispatch` runs of a workflow created at or after an instant (ISO), newest first. */
  dispatchedRuns(workflow: string, since: string): Promise<WorkflowRunInfo[]>;
}

/** An issue as intake reads it: its author is the request's requester. */
export interface SubmittedIssue {
  number: number;
  title: string;
  body: string;
  author: string;
  state: 'open' | 'closed';
  labels: string[];
  htmlUrl: string;
}

/** A pull request intake made, in any state. */
export interface IntakePull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  htmlUrl: string;
}

/** Branches, files and pull requests that intake (`mode: intake`) makes from an issue. */
export interface IntakeWriter {
  submittedIssue(number: number): Promise<SubmittedIssue>;
  /** The commit a branch points at; undefined when there is no such branch. */
  branchHead(branch: string): Promise<string | undefined>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** A file's text and blob SHA at a ref; undefined when it is not there. */
  fileWithSha(path: string, ref: string): Promise<{ text: string; sha: string } | undefined>;
  /** Creates or replaces one file on a branch in one commit (`sha`: the blob replaced); returns the commit. */
  commitFile(change: {
    branch: string;
    path: string;
    text: string;
    message: string;
    sha?: string;
  }): Promise<string>;
  /** The newest pull request, in any state, whose head is this repository's `branch`. */
  pullForBranch(branch: string): Promise<IntakePull | undefined>;
  openPull(pull: { head: string; base: string; title: string; body: string }): Promise<IntakePull>;
  updatePull(
    number: number,
    change: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
}

/** A pull request as the commit that brought it to the default branch names it. */
export interface MergedPullInfo extends PullRequestInfo {
  /** When it was merged; null when it was not (closed, or still open). */
  mergedAt: string | null;
  /** When it was opened. */
  createdAt?: string;
  /** The merge, squash or last rebased commit on the base branch. */
  mergeCommitSha: string | null;
}

export interface CheckRunInfo {
  name: string;
  status: string;
  conclusion: string | null;
  headSha: string;
}

/** How a commit relates to another: `behind` or `identical` means it is an ancestor of (or is) it. */
export type CommitComparison = 'identical' | 'ahead' | 'behind' | 'diverged';

/** Reads that establish where the default branch's content came from (its provenance). */
export interface HistoryReader {
  /** The newest commits at or before `head` that changed `path`, newest first, at most `limit`. */
  commitsTouching(path: string, head: string, limit: number): Promise<string[]>;
  /** The pull requests of a commit; for a commit on the default branch, the merged one that brought it. */
  pullRequestsOfCommit(sha: string): Promise<MergedPullInfo[]>;
  /** The latest check run with this name on a commit, if any. */
  latestCheckRun(ref: string, name: string): Promise<CheckRunInfo | undefined>;
  /** A file's git blob sha at a ref; undefined when there is no such file there. */
  blobAt(path: string, ref: string): Promise<string | undefined>;
  /** How `head` relates to `base` (GET compare/base...head). */
  compareCommits(base: string, head: string): Promise<CommitComparison>;
}

export type MaintenanceRepo = RepositoryReader &
  PullRequestReporter &
  PullRequestReviewer &
  IssueTracker &
  HistoryReader &
  IntakeWriter;

/** An API answer the adapter could not turn into data: carries the route and the status. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    readonly route: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}
