// Seeding helpers for tests: repositories with commits and branches, pull requests and reviews, orgs and
// teams, collaborators, issues, comments, labels, workflows and tokens — with GitHub-like defaults.
import { commitSha, type FileChange, type Signature } from './git.ts';
import type {
  CheckRunRecord,
  CommentRecord,
  GitHubState,
  IssueRecord,
  IssueState,
  LabelRecord,
  Permission,
  PullRecord,
  RepoRecord,
  ReviewRecord,
  ReviewState,
  RunRecord,
  StateReason,
  TeamRecord,
  TokenPolicy,
  UserType,
  WorkflowRecord,
} from './state.ts';

export type FileContent = string | Buffer;

export interface RepoSeed {
  defaultBranch?: string;
  private?: boolean;
  description?: string;
  /** `owner/name` this repository is a fork of; its refs are copied. */
  parent?: string;
  /** Files of an initial commit on the default branch. */
  files?: Record<string, FileContent>;
  created_at?: string;
  topics?: string[];
  archived?: boolean;
}

export interface CommitSeed {
  /** Branch to commit on (moved to the new commit); the default branch when neither this nor parent is given. */
  branch?: string;
  /** Parent sha(s); default the branch tip (a new branch: the default branch's). `null` makes a root commit. */
  parent?: string | string[] | null;
  /** Changes on top of the parent tree: content, or null to delete. */
  files?: Record<string, FileContent | null>;
  /** The whole tree instead of changes. */
  tree?: Record<string, FileContent>;
  message?: string;
  /** A login (linked account) or a full signature. */
  author?: string | Partial<Signature>;
  /** ISO date; default now, and always after the parent's. */
  date?: string;
}

export interface PullSeed {
  number?: number;
  title?: string;
  body?: string | null;
  user?: string;
  /** A branch of this repository, or a ref/sha in another repository (a fork). */
  head: string | { ref: string; sha?: string; repo?: string };
  base?: string | { ref: string; sha?: string };
  draft?: boolean;
  state?: IssueState;
  merged?: boolean;
  merge_commit_sha?: string;
  labels?: string[];
  assignees?: string[];
  created_at?: string;
  updated_at?: string;
  /** Files as listed by GitHub, instead of the diff of the trees. */
  files?: FileChange[];
}

export interface ReviewSeed {
  user: string;
  type?: 'User' | 'Bot';
  state: ReviewState;
  body?: string;
  commit_id?: string;
  submitted_at?: string | null;
}

export interface TeamSeed {
  name?: string;
  description?: string;
  privacy?: 'closed' | 'secret';
  members?: (string | { login: string; role?: 'member' | 'maintainer' })[];
  /** What reading the team's members answers: the list, or GitHub's 403 or 404. */
  access?: 'ok' | 403 | 404;
}

export interface IssueSeed {
  number?: number;
  title: string;
  body?: string | null;
  user?: string;
  state?: IssueState;
  state_reason?: StateReason;
  labels?: string[];
  assignees?: string[];
  created_at?: string;
  updated_at?: string;
  closed_at?: string | null;
}

export interface WorkflowSeed {
  id?: number;
  name?: string;
  /** `.github/workflows/NAME.yml`, or just the file name. */
  path: string;
  dispatchable?: boolean;
  /** Declared `workflow_dispatch` inputs; dispatches naming others are refused as GitHub does. */
  inputs?: string[];
  /** `run-name`, e.g. 'maintenance ${{ inputs.occurrence }}'. */
  runName?: string;
}

const DEFAULT_USER = 'octocat';

export class Seeder {
  constructor(private readonly state: GitHubState) {}

  user(login: string, type?: UserType): void {
    this.state.user(login, type);
  }

  org(login: string): void {
    this.state.user(login, 'Organization');
    if (!this.state.orgs.has(login.toLowerCase())) {
      this.state.orgs.set(login.toLowerCase(), { login, id: this.state.user(login).id, teams: new Map() });
    }
  }

  team(org: string, slug: string, seed: TeamSeed = {}): TeamRecord {
    this.org(org);
    const record = this.state.orgs.get(org.toLowerCase());
    const team: TeamRecord = {
      id: this.state.id(),
      slug: slug.toLowerCase(),
      name: seed.name ?? slug,
      description: seed.description ?? null,
      privacy: seed.privacy ?? 'closed',
      members: new Map(),
      access: seed.access ?? 'ok',
    };
    for (const member of seed.members ?? []) {
      const m = typeof member === 'string' ? { login: member } : member;
      this.state.user(m.login);
      team.members.set(m.login.toLowerCase(), m.role ?? 'member');
    }
    record?.teams.set(team.slug, team);
    return team;
  }

  token(token: string, policy: TokenPolicy): void {
    this.state.tokens.set(token, policy);
    if (policy.login) this.state.user(policy.login);
  }

  repo(fullName: string, seed: RepoSeed = {}): RepoRecord {
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`test server: repository names are owner/name, not ${fullName}`);
    this.state.user(owner);
    const parent = seed.parent ? this.state.repo(seed.parent) : undefined;
    const repo: RepoRecord = {
      id: this.state.id(),
      owner,
      name,
      fullName,
      private: seed.private ?? false,
      fork: parent !== undefined,
      parent: parent?.fullName ?? null,
      description: seed.description ?? null,
      defaultBranch: seed.defaultBranch ?? parent?.defaultBranch ?? 'main',
      created_at: seed.created_at ?? this.state.now(),
      refs: new Map(parent?.refs ?? []),
      collaborators: new Map(),
      labels: new Map(),
      issues: new Map(),
      pulls: new Map(),
      comments: [],
      checkRuns: [],
      workflows: [],
      runs: [],
      dispatches: [],
      nextNumber: 1,
      topics: seed.topics ?? [],
      archived: seed.archived ?? false,
    };
    this.state.repos.set(fullName.toLowerCase(), repo);
    if (seed.files) this.commit(fullName, { files: seed.files, message: 'Initial commit', parent: null });
    return repo;
  }

  branch(fullName: string, branch: string, sha: string): void {
    this.state.repo(fullName).refs.set(`refs/heads/${branch}`, sha);
  }

  tag(fullName: string, tag: string, sha: string): void {
    this.state.repo(fullName).refs.set(`refs/tags/${tag}`, sha);
  }

  /**
   * A commit made elsewhere (a real git repository, see local-git.ts), kept under its own sha with its
   * whole tree, so that the server's history and a local checkout name the same commits.
   */
  importCommit(
    fullName: string,
    commit: {
      sha: string;
      parents: string[];
      tree: Map<string, Buffer>;
      message: string;
      author: Signature;
      committer?: Signature;
    },
  ): void {
    this.state.repo(fullName);
    this.state.git.add({
      sha: commit.sha,
      tree: commit.tree,
      parents: commit.parents,
      message: commit.message,
      author: commit.author,
      committer: commit.committer ?? commit.author,
    });
  }

  /**
   * Merges an open pull request as GitHub does: a merge commit (two parents) or a squash commit (one)
   * on the base branch carrying the head's changes; the pull request is closed as merged.
   */
  merge(
    fullName: string,
    number: number,
    options: {
      method?: 'merge' | 'squash';
      by?: string;
      date?: string;
      /** A merge commit made elsewhere (imported, already on the base branch): only mark it merged. */
      commit?: string;
    } = {},
  ): string {
    const repo = this.state.repo(fullName);
    const pull = repo.pulls.get(number);
    if (!pull) throw new Error(`test server: no pull request ${fullName}#${number}`);
    if (options.commit !== undefined) return this.markMerged(repo, pull, options.commit, options.by);
    const tip = repo.refs.get(`refs/heads/${pull.base.ref}`);
    if (!tip) throw new Error(`test server: no branch ${pull.base.ref}`);
    const head = this.state.git.get(pull.head.sha);
    const base = this.state.git.mergeBase(tip, pull.head.sha) ?? tip;
    const files: Record<string, FileContent | null> = {};
    for (const change of this.state.diff(base, pull.head.sha)) {
      if (change.status === 'renamed' && change.previous_filename) files[change.previous_filename] = null;
      files[change.filename] =
        change.status === 'removed' ? null : (head?.tree.get(change.filename) ?? Buffer.alloc(0));
    }
    const method = options.method ?? 'merge';
    const sha = this.commit(fullName, {
      branch: pull.base.ref,
      parent: method === 'merge' ? [tip, pull.head.sha] : tip,
      files,
      message:
        method === 'merge'
          ? `Merge pull request #${number} from ${pull.head.repo.split('/')[0]}/${pull.head.ref}`
          : `${repo.issues.get(number)?.title ?? 'Changes'} (#${number})`,
      author: options.by ?? repo.owner,
      ...(options.date ? { date: options.date } : {}),
    });
    return this.markMerged(repo, pull, sha, options.by);
  }

  private markMerged(repo: RepoRecord, pull: PullRecord, sha: string, by?: string): string {
    const issue = repo.issues.get(pull.number);
    const commit = this.state.git.get(sha);
    if (!commit) throw new Error(`test server: no commit ${sha}`);
    const at = commit.committer.date;
    pull.merged = true;
    pull.merged_at = at;
    pull.merged_by = by ?? repo.owner;
    pull.merge_commit_sha = sha;
    if (issue) {
      issue.state = 'closed';
      issue.closed_at = at;
      issue.updated_at = at;
    }
    return sha;
  }

  /** Makes a commit and returns its sha. */
  commit(fullName: string, seed: CommitSeed = {}): string {
    const repo = this.state.repo(fullName);
    const branch =
      seed.branch ?? (seed.parent === undefined || seed.parent === null ? repo.defaultBranch : undefined);
    // A new branch starts from the default branch, as one made in GitHub's UI does.
    const tip = repo.refs.get(`refs/heads/${branch}`) ?? repo.refs.get(`refs/heads/${repo.defaultBranch}`);
    const parents =
      seed.parent === null ? [] : seed.parent !== undefined ? [seed.parent].flat() : tip ? [tip] : [];
    const parentCommits = parents.map((sha) => {
      const commit = this.state.git.get(sha);
      if (!commit) throw new Error(`test server: no commit ${sha}`);
      return commit;
    });
    const tree = new Map<string, Buffer>(seed.tree ? [] : (parentCommits[0]?.tree ?? []));
    for (const [path, content] of Object.entries(seed.tree ?? seed.files ?? {})) {
      if (content === null) tree.delete(path);
      else tree.set(path, typeof content === 'string' ? Buffer.from(content) : content);
    }
    const latestParent = Math.max(0, ...parentCommits.map((c) => Date.parse(c.committer.date)));
    const date =
      seed.date ??
      new Date(Math.max(Date.parse(this.state.now()), latestParent + 1000))
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    const author = this.signature(seed.author ?? DEFAULT_USER, date);
    const record = { tree, parents, message: seed.message ?? 'Update files', author, committer: author };
    const sha = commitSha(record);
    this.state.git.add({ sha, ...record });
    if (branch !== undefined) repo.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  private signature(author: string | Partial<Signature>, date: string): Signature {
    if (typeof author === 'string') {
      const user = this.state.user(author);
      return { name: author, email: `${user.id}+${author}@users.noreply.github.com`, date, login: author };
    }
    const login = author.login;
    if (login) this.state.user(login);
    return {
      name: author.name ?? login ?? 'A U Thor',
      email: author.email ?? 'author@example.com',
      date: author.date ?? date,
      ...(login ? { login } : {}),
    };
  }

  pullRequest(fullName: string, seed: PullSeed): PullRecord {
    const repo = this.state.repo(fullName);
    const head = typeof seed.head === 'string' ? { ref: seed.head } : seed.head;
    const headRepo = head.repo ? this.state.repo(head.repo) : repo;
    const headSha = head.sha ?? this.state.resolveRef(headRepo, head.ref);
    if (!headSha) throw new Error(`test server: head ${head.ref} not found in ${headRepo.fullName}`);
    const base =
      typeof seed.base === 'string' ? { ref: seed.base } : (seed.base ?? { ref: repo.defaultBranch });
    const baseSha = base.sha ?? this.state.resolveRef(repo, base.ref);
    if (!baseSha) throw new Error(`test server: base ${base.ref} not found in ${repo.fullName}`);
    const number = seed.number ?? repo.nextNumber;
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    const created = seed.created_at ?? this.state.now();
    const merged = seed.merged ?? false;
    const state = seed.state ?? (merged ? 'closed' : 'open');
    const user = seed.user ?? headRepo.owner;
    const issue: IssueRecord = {
      number,
      id: this.state.id(),
      title: seed.title ?? `Pull request ${number}`,
      body: seed.body ?? null,
      user,
      state,
      state_reason: null,
      labels: [],
      assignees: seed.assignees ?? [],
      locked: false,
      created_at: created,
      updated_at: seed.updated_at ?? created,
      closed_at: state === 'closed' ? (seed.updated_at ?? created) : null,
      isPull: true,
    };
    this.state.user(user);
    repo.issues.set(number, issue);
    for (const label of seed.labels ?? []) this.labelOnIssue(repo, issue, label);
    const pull: PullRecord = {
      number,
      id: this.state.id(),
      head: { ref: head.ref, sha: headSha, repo: headRepo.fullName },
      base: { ref: base.ref, sha: baseSha },
      draft: seed.draft ?? false,
      merged,
      merged_at: merged ? issue.closed_at : null,
      merged_by: merged ? repo.owner : null,
      merge_commit_sha: seed.merge_commit_sha ?? null,
      reviews: [],
      reviewComments: [],
      ...(seed.files ? { files: seed.files } : {}),
    };
    repo.pulls.set(number, pull);
    return pull;
  }

  review(fullName: string, pullNumber: number, seed: ReviewSeed): ReviewRecord {
    const pull = this.state.repo(fullName).pulls.get(pullNumber);
    if (!pull) throw new Error(`test server: no pull request ${fullName}#${pullNumber}`);
    this.state.user(seed.user, seed.type);
    const review: ReviewRecord = {
      id: this.state.id(),
      user: seed.user,
      state: seed.state,
      body: seed.body ?? '',
      commit_id: seed.commit_id ?? pull.head.sha,
      submitted_at: seed.submitted_at === undefined ? this.state.now() : seed.submitted_at,
    };
    pull.reviews.push(review);
    return review;
  }

  collaborator(fullName: string, login: string, permission: Permission): void {
    this.state.user(login);
    this.state.repo(fullName).collaborators.set(login.toLowerCase(), permission);
  }

  label(fullName: string, seed: { name: string; color?: string; description?: string }): LabelRecord {
    const repo = this.state.repo(fullName);
    const label: LabelRecord = {
      id: this.state.id(),
      name: seed.name,
      color: seed.color ?? 'ededed',
      description: seed.description ?? null,
      default: false,
    };
    repo.labels.set(seed.name.toLowerCase(), label);
    return label;
  }

  private labelOnIssue(repo: RepoRecord, issue: IssueRecord, name: string): void {
    if (!repo.labels.has(name.toLowerCase())) this.label(repo.fullName, { name });
    issue.labels.push((repo.labels.get(name.toLowerCase()) as LabelRecord).name);
  }

  issue(fullName: string, seed: IssueSeed): IssueRecord {
    const repo = this.state.repo(fullName);
    const number = seed.number ?? repo.nextNumber;
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    const created = seed.created_at ?? this.state.now();
    const state = seed.state ?? 'open';
    const issue: IssueRecord = {
      number,
      id: this.state.id(),
      title: seed.title,
      body: seed.body ?? null,
      user: seed.user ?? DEFAULT_USER,
      state,
      state_reason: seed.state_reason ?? (state === 'closed' ? 'completed' : null),
      labels: [],
      assignees: seed.assignees ?? [],
      locked: false,
      created_at: created,
      updated_at: seed.updated_at ?? created,
      closed_at: seed.closed_at ?? (state === 'closed' ? (seed.updated_at ?? created) : null),
      isPull: false,
    };
    this.state.user(issue.user);
    issue.assignees.forEach((a) => this.state.user(a));
    repo.issues.set(number, issue);
    for (const label of seed.labels ?? []) this.labelOnIssue(repo, issue, label);
    return issue;
  }

  comment(
    fullName: string,
    issueNumber: number,
    seed: { body: string; user?: string; created_at?: string },
  ): CommentRecord {
    const repo = this.state.repo(fullName);
    if (!repo.issues.has(issueNumber)) throw new Error(`test server: no issue ${fullName}#${issueNumber}`);
    const at = seed.created_at ?? this.state.now();
    const comment: CommentRecord = {
      id: this.state.id(),
      issue_number: issueNumber,
      user: seed.user ?? DEFAULT_USER,
      body: seed.body,
      created_at: at,
      updated_at: at,
    };
    this.state.user(comment.user);
    repo.comments.push(comment);
    // As on GitHub, a comment is a change of its issue.
    const issue = repo.issues.get(issueNumber)!;
    if (Date.parse(at) > Date.parse(issue.updated_at)) issue.updated_at = at;
    return comment;
  }

  workflow(fullName: string, seed: WorkflowSeed): WorkflowRecord {
    const repo = this.state.repo(fullName);
    const path = seed.path.includes('/') ? seed.path : `.github/workflows/${seed.path}`;
    const workflow: WorkflowRecord = {
      id: seed.id ?? this.state.id(),
      name: seed.name ?? path.split('/').pop() ?? path,
      path,
      state: 'active',
      dispatchable: seed.dispatchable ?? true,
      ...(seed.inputs ? { inputs: seed.inputs } : {}),
      ...(seed.runName ? { runName: seed.runName } : {}),
      created_at: this.state.now(),
      updated_at: this.state.now(),
    };
    repo.workflows.push(workflow);
    return workflow;
  }

  /** A workflow run that already exists (e.g. from an earlier dispatch). */
  run(fullName: string, seed: Partial<RunRecord> & { workflow_id: number }): RunRecord {
    const repo = this.state.repo(fullName);
    const now = this.state.now();
    const run: RunRecord = {
      id: this.state.id(),
      run_number: repo.runs.filter((r) => r.workflow_id === seed.workflow_id).length + 1,
      run_attempt: 1,
      event: 'workflow_dispatch',
      status: 'completed',
      conclusion: 'success',
      head_branch: repo.defaultBranch,
      head_sha: repo.refs.get(`refs/heads/${repo.defaultBranch}`) ?? '',
      actor: DEFAULT_USER,
      created_at: now,
      updated_at: now,
      inputs: {},
      polls: 0,
      ...seed,
    };
    repo.runs.push(run);
    return run;
  }

  /** A check run that already exists on a commit. */
  checkRun(
    fullName: string,
    seed: Partial<CheckRunRecord> & { name: string; head_sha: string },
  ): CheckRunRecord {
    const repo = this.state.repo(fullName);
    const run: CheckRunRecord = {
      id: this.state.id(),
      status: 'completed',
      conclusion: 'success',
      started_at: this.state.now(),
      completed_at: this.state.now(),
      details_url: null,
      external_id: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      check_suite_id: this.state.id(),
      app: 'github-actions[bot]',
      ...seed,
    };
    repo.checkRuns.push(run);
    return run;
  }
}
