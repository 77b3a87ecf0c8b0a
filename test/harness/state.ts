// What the test server knows: users, organisations and teams, repositories with their refs, issues, pull
// requests, reviews, comments, labels, check runs and workflow runs; plus read-back helpers for tests.
import { CommitStore, diffTrees, type FileChange } from './git.ts';

export type UserType = 'User' | 'Bot' | 'Organization';
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface UserRecord {
  login: string;
  id: number;
  type: UserType;
  name?: string;
  email?: string;
}

export interface TeamRecord {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  members: Map<string, 'member' | 'maintainer'>;
  /** What a token that may read teams gets for this team: its members, or GitHub's 403 or 404. */
  access: 'ok' | 403 | 404;
}

export interface OrgRecord {
  login: string;
  id: number;
  teams: Map<string, TeamRecord>;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export type IssueState = 'open' | 'closed';
export type StateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  state: IssueState;
  state_reason: StateReason;
  labels: string[];
  assignees: string[];
  locked: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Pull requests are issues too; their pull-request side lives in RepoRecord.pulls. */
  isPull: boolean;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewRecord {
  id: number;
  user: string;
  state: ReviewState;
  body: string;
  commit_id: string;
  submitted_at: string | null;
}

/** A comment on a line (or lines) of a pull request's diff, as it was made. */
export interface ReviewCommentRecord {
  id: number;
  review_id: number;
  user: string;
  body: string;
  path: string;
  /** The commit it was made on. */
  commit_id: string;
  side: 'LEFT' | 'RIGHT';
  line: number;
  start_line: number | null;
  /** The hunk header and the lines of the hunk up to `line`, as GitHub shows them. */
  diff_hunk: string;
  /** 1-based index of `line` in the file's patch (the deprecated `position`). */
  position: number;
  created_at: string;
  updated_at: string;
}

export interface PullRecord {
  number: number;
  id: number;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  merged_at: string | null;
  merged_by: string | null;
  merge_commit_sha: string | null;
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  /** Replaces the files derived from the trees (for PRs too large to build as commits). */
  files?: FileChange[];
}

export interface CommentRecord {
  id: number;
  issue_number: number;
  user: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  details_url: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  actions: unknown[];
  check_suite_id: number;
  /** The token (by its actor login) that created it. */
  app: string;
}

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
  state: 'active' | 'disabled_manually';
  /** Whether the workflow file has a `workflow_dispatch` trigger. */
  dispatchable: boolean;
  /** The workflow's `workflow_dispatch` inputs, when declared: a dispatch naming others is refused. */
  inputs?: string[];
  /** The workflow's `run-name`, where `${{ inputs.NAME }}` is replaced by the dispatch's input. */
  runName?: string;
  created_at: string;
  updated_at: string;
}

export type RunStatus = 'queued' | 'waiting' | 'pending' | 'requested' | 'in_progress' | 'completed';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'timed_out' | 'skipped' | 'neutral';

export interface RunRecord {
  id: number;
  workflow_id: number;
  run_number: number;
  run_attempt: number;
  event: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  head_branch: string;
  head_sha: string;
  actor: string;
  created_at: string;
  updated_at: string;
  inputs: Record<string, unknown>;
  /** The run's name (`run-name` evaluated); the workflow's name when it has none. */
  display_title?: string;
  /** GETs of this run so far, for auto-completion after N polls. */
  polls: number;
}

export interface DispatchRecord {
  workflow_id: number;
  ref: string;
  inputs: Record<string, unknown>;
  run_id: number;
  at: string;
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  fork: boolean;
  /** Full name of the repository this one was forked from. */
  parent: string | null;
  description: string | null;
  defaultBranch: string;
  created_at: string;
  /** Full ref name (`refs/heads/main`, `refs/tags/v1`) -> sha. */
  refs: Map<string, string>;
  collaborators: Map<string, Permission>;
  labels: Map<string, LabelRecord>;
  issues: Map<number, IssueRecord>;
  pulls: Map<number, PullRecord>;
  comments: CommentRecord[];
  checkRuns: CheckRunRecord[];
  workflows: WorkflowRecord[];
  runs: RunRecord[];
  dispatches: DispatchRecord[];
  nextNumber: number;
  topics: string[];
  archived: boolean;
}

export interface TokenPolicy {
  /** Writes answer 403 "Resource not accessible by integration" (a fork PR's GITHUB_TOKEN). */
  readOnly?: boolean;
  /** Team membership reads answer 403 like GITHUB_TOKEN's (it has no `members: read`). */
  readTeams?: boolean;
  /** The account that comments, issues and check runs made with this token belong to. */
  login?: string;
  /**
   * The repositories (owner/name) a GitHub App installation token was given: other private
   * repositories answer 404 to it, as to a stranger. null: no such limit.
   */
  repositories?: readonly string[] | null;
}

export class GitHubState {
  readonly git = new CommitStore();
  readonly users = new Map<string, UserRecord>();
  readonly orgs = new Map<string, OrgRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly tokens = new Map<string, TokenPolicy>();
  private nextId = 1000;
  private readonly diffs = new Map<string, FileChange[]>();

  constructor(private readonly clock: () => Date) {}

  /** Forgets everything (ids keep counting, so stale ids from before never match). */
  clear(): void {
    this.git.commits.clear();
    this.users.clear();
    this.orgs.clear();
    this.repos.clear();
    this.tokens.clear();
    this.diffs.clear();
  }

  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  id(): number {
    return this.nextId++;
  }

  user(login: string, type?: UserType): UserRecord {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.id(), type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') };
      this.users.set(login.toLowerCase(), user);
    } else if (type) user.type = type;
    return user;
  }

  findUser(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** The repository `owner/name` (case-insensitive, like GitHub), or undefined. */
  findRepo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  repo(fullName: string): RepoRecord {
    const repo = this.findRepo(fullName);
    if (!repo) throw new Error(`test server: no repository ${fullName} (seed it first)`);
    return repo;
  }

  /** Whether a token with this policy may see the repository (public, or private within its reach). */
  canSee(repo: RepoRecord, policy: Pick<TokenPolicy, 'repositories'>, token: string | undefined): boolean {
    if (!repo.private) return true;
    if (token === undefined) return false;
    return (
      !policy.repositories || policy.repositories.some((r) => r.toLowerCase() === repo.fullName.toLowerCase())
    );
  }

  /** A branch, tag, full ref or (abbreviated) sha of `repo`, as a commit sha. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const name of candidates) {
      const sha = repo.refs.get(name);
      if (sha) return sha;
    }
    return this.git.expand(ref);
  }

  /** Files a pull request changes: merge base of base and head against head, capped by the caller. */
  pullFiles(pull: PullRecord): FileChange[] {
    if (pull.files) return pull.files;
    const base = this.git.mergeBase(pull.base.sha, pull.head.sha) ?? pull.base.sha;
    return this.diff(base, pull.head.sha);
  }

  /** Changes between two commits (memoised: commits never change). */
  diff(from: string, to: string): FileChange[] {
    const key = `${from}..${to}`;
    let changes = this.diffs.get(key);
    if (!changes) {
      const before = this.git.get(from)?.tree ?? new Map<string, Buffer>();
      const after = this.git.get(to)?.tree ?? new Map<string, Buffer>();
      changes = diffTrees(before, after);
      this.diffs.set(key, changes);
    }
    return changes;
  }

  /** The pull request's own commits, oldest first. */
  pullCommits(pull: PullRecord): string[] {
    return this.git
      .log(pull.head.sha, pull.base.sha)
      .map((c) => c.sha)
      .reverse();
  }

  // ---- read-back helpers for tests ----

  issue(fullName: string, number: number): IssueRecord | undefined {
    return this.repo(fullName).issues.get(number);
  }

  issues(fullName: string, filter: { pulls?: boolean } = {}): IssueRecord[] {
    return [...this.repo(fullName).issues.values()].filter((i) => filter.pulls === true || !i.isPull);
  }

  comments(fullName: string, issueNumber?: number): CommentRecord[] {
    return this.repo(fullName).comments.filter(
      (c) => issueNumber === undefined || c.issue_number === issueNumber,
    );
  }

  reviewComments(fullName: string, pullNumber: number): ReviewCommentRecord[] {
    return this.repo(fullName).pulls.get(pullNumber)?.reviewComments ?? [];
  }

  reviews(fullName: string, pullNumber: number): ReviewRecord[] {
    return this.repo(fullName).pulls.get(pullNumber)?.reviews ?? [];
  }

  checkRuns(fullName: string, headSha?: string): CheckRunRecord[] {
    return this.repo(fullName).checkRuns.filter((c) => headSha === undefined || c.head_sha === headSha);
  }

  dispatches(fullName: string): DispatchRecord[] {
    return this.repo(fullName).dispatches;
  }

  runs(fullName: string): RunRecord[] {
    return this.repo(fullName).runs;
  }

  labels(fullName: string): LabelRecord[] {
    return [...this.repo(fullName).labels.values()];
  }
}
