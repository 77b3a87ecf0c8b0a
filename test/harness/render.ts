// GitHub's JSON shapes for the test server's records: users, repositories, issues, pull requests,
// reviews and review comments, commits, diff entries, check runs, workflow runs, with the URL fields
// GitHub fills in.
import { treeSha, type CommitRecord, type FileChange } from './git.ts';
import type {
  CheckRunRecord,
  CommentRecord,
  GitHubState,
  IssueRecord,
  LabelRecord,
  PullRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  RunRecord,
  TeamRecord,
  WorkflowRecord,
} from './state.ts';

type Json = Record<string, unknown>;

const EPOCH = '2020-01-01T00:00:00Z';

export class Renderer {
  constructor(
    readonly state: GitHubState,
    /** The API root, e.g. http://127.0.0.1:PORT. */
    readonly api: string,
    /** The web root, https://github.com by default. */
    readonly html: string,
  ) {}

  nodeId(prefix: string, id: number | string): string {
    return `${prefix}_${Buffer.from(String(id)).toString('base64url')}`;
  }

  user(login: string | null | undefined): Json | null {
    if (!login) return null;
    const u = this.state.user(login);
    // GitHub percent-encodes bot logins (`github-actions%5Bbot%5D`) and links bots to their app page.
    const url = `${this.api}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: this.nodeId(u.type === 'Bot' ? 'BOT' : u.type === 'Organization' ? 'O' : 'U', u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url,
      html_url:
        u.type === 'Bot' ? `${this.html}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${this.html}/${u.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  repoUrl(repo: RepoRecord): string {
    return `${this.api}/repos/${repo.fullName}`;
  }

  repoHtml(repo: RepoRecord): string {
    return `${this.html}/${repo.fullName}`;
  }

  repository(repo: RepoRecord): Json {
    const url = this.repoUrl(repo);
    const htmlUrl = this.repoHtml(repo);
    const openIssues = [...repo.issues.values()].filter((i) => i.state === 'open').length;
    const owner = this.state.findUser(repo.owner) ?? this.state.user(repo.owner);
    return {
      id: repo.id,
      node_id: this.nodeId('R', repo.id),
      name: repo.name,
      full_name: repo.fullName,
      private: repo.private,
      owner: this.user(owner.login),
      html_url: htmlUrl,
      description: repo.description,
      fork: repo.fork,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://github.com/${repo.fullName}.git`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@github.com:${repo.fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${htmlUrl}.git`,
      mirror_url: null,
      hooks_url: `${url}/hooks`,
      svn_url: htmlUrl,
      homepage: null,
      language: null,
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 0,
      default_branch: repo.defaultBranch,
      open_issues_count: openIssues,
      open_issues: openIssues,
      is_template: false,
      topics: repo.topics,
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: repo.archived,
      disabled: false,
      visibility: repo.private ? 'private' : 'public',
      pushed_at: repo.created_at,
      created_at: repo.created_at,
      updated_at: repo.created_at,
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
    };
  }

  fullRepository(repo: RepoRecord): Json {
    const parent = repo.parent ? this.state.findRepo(repo.parent) : undefined;
    return {
      ...this.repository(repo),
      network_count: 0,
      subscribers_count: 0,
      ...(parent ? { parent: this.repository(parent), source: this.repository(parent) } : {}),
    };
  }

  label(repo: RepoRecord, label: LabelRecord): Json {
    return {
      id: label.id,
      node_id: this.nodeId('LA', label.id),
      url: `${this.repoUrl(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      description: label.description,
      color: label.color,
      default: label.default,
    };
  }

  authorAssociation(repo: RepoRecord, login: string): string {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
    const org = this.state.orgs.get(repo.owner.toLowerCase());
    if (org && [...org.teams.values()].some((t) => t.members.has(login.toLowerCase()))) return 'MEMBER';
    if (repo.collaborators.has(login.toLowerCase())) return 'COLLABORATOR';
    return 'NONE';
  }

  issue(repo: RepoRecord, issue: IssueRecord): Json {
    const url = `${this.repoUrl(repo)}/issues/${issue.number}`;
    const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
    const labels = issue.labels
      .map((name) => repo.labels.get(name.toLowerCase()))
      .filter((l): l is LabelRecord => !!l)
      .map((l) => this.label(repo, l));
    return {
      id: issue.id,
      node_id: this.nodeId(issue.isPull ? 'PR' : 'I', issue.id),
      url,
      repository_url: this.repoUrl(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.repoHtml(repo)}/${issue.isPull ? 'pull' : 'issues'}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.state_reason,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.user),
      labels,
      assignee: this.user(issue.assignees[0]),
      assignees: issue.assignees.map((a) => this.user(a)),
      milestone: null,
      locked: issue.locked,
      active_lock_reason: null,
      comments: repo.comments.filter((c) => c.issue_number === issue.number).length,
      closed_at: issue.closed_at,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_by: null,
      author_association: this.authorAssociation(repo, issue.user),
      ...(pull
        ? {
            draft: pull.draft,
            pull_request: {
              url: `${this.repoUrl(repo)}/pulls/${issue.number}`,
              html_url: `${this.repoHtml(repo)}/pull/${issue.number}`,
              diff_url: `${this.repoHtml(repo)}/pull/${issue.number}.diff`,
              patch_url: `${this.repoHtml(repo)}/pull/${issue.number}.patch`,
              merged_at: pull.merged_at,
            },
          }
        : {}),
    };
  }

  private branchSide(side: { ref: string; sha: string }, repo: RepoRecord | undefined): Json {
    return {
      label: repo ? `${repo.owner}:${side.ref}` : side.ref,
      ref: side.ref,
      sha: side.sha,
      user: repo ? this.user(repo.owner) : null,
      repo: repo ? this.repository(repo) : null,
    };
  }

  /** `pull-request` when `full`, else `pull-request-simple` (list endpoints). */
  pullRequest(repo: RepoRecord, pull: PullRecord, full: boolean): Json {
    const issue = repo.issues.get(pull.number) as IssueRecord;
    const url = `${this.repoUrl(repo)}/pulls/${pull.number}`;
    const html = `${this.repoHtml(repo)}/pull/${pull.number}`;
    const issueUrl = `${this.repoUrl(repo)}/issues/${pull.number}`;
    const headRepo = this.state.findRepo(pull.head.repo);
    const labels = issue.labels
      .map((name) => repo.labels.get(name.toLowerCase()))
      .filter((l): l is LabelRecord => !!l)
      .map((l) => this.label(repo, l));
    const simple: Json = {
      url,
      id: pull.id,
      node_id: this.nodeId('PR', pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.repoUrl(repo)}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.repoUrl(repo)}/statuses/${pull.head.sha}`,
      number: pull.number,
      state: issue.state,
      locked: issue.locked,
      title: issue.title,
      user: this.user(issue.user),
      body: issue.body,
      labels,
      milestone: null,
      active_lock_reason: null,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      merged_at: pull.merged_at,
      merge_commit_sha: pull.merge_commit_sha,
      assignee: this.user(issue.assignees[0]),
      assignees: issue.assignees.map((a) => this.user(a)),
      requested_reviewers: [],
      requested_teams: [],
      head: this.branchSide(pull.head, headRepo),
      base: this.branchSide(pull.base, repo),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${this.repoUrl(repo)}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${this.repoUrl(repo)}/statuses/${pull.head.sha}` },
      },
      author_association: this.authorAssociation(repo, issue.user),
      auto_merge: null,
      draft: pull.draft,
    };
    if (!full) return simple;
    const files = this.state.pullFiles(pull);
    return {
      ...simple,
      merged: pull.merged,
      mergeable: issue.state === 'open' ? true : null,
      rebaseable: issue.state === 'open' ? true : null,
      mergeable_state: issue.state === 'open' ? 'clean' : 'unknown',
      merged_by: this.user(pull.merged_by),
      comments: repo.comments.filter((c) => c.issue_number === pull.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: this.state.pullCommits(pull).length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
    };
  }

  review(repo: RepoRecord, pull: PullRecord, review: ReviewRecord): Json {
    const html = `${this.repoHtml(repo)}/pull/${pull.number}`;
    return {
      id: review.id,
      node_id: this.nodeId('PRR', review.id),
      user: this.user(review.user),
      body: review.body,
      state: review.state,
      html_url: `${html}#pullrequestreview-${review.id}`,
      pull_request_url: `${this.repoUrl(repo)}/pulls/${pull.number}`,
      _links: {
        html: { href: `${html}#pullrequestreview-${review.id}` },
        pull_request: { href: `${this.repoUrl(repo)}/pulls/${pull.number}` },
      },
      ...(review.submitted_at ? { submitted_at: review.submitted_at } : {}),
      commit_id: review.commit_id,
      author_association: this.authorAssociation(repo, review.user),
    };
  }

  /** `current`: where the comment is on the pull request's head; undefined when it is outdated. */
  reviewComment(
    repo: RepoRecord,
    pull: PullRecord,
    c: ReviewCommentRecord,
    current: { line: number; position: number } | undefined,
  ): Json {
    const url = `${this.repoUrl(repo)}/pulls/comments/${c.id}`;
    const html = `${this.repoHtml(repo)}/pull/${pull.number}#discussion_r${c.id}`;
    const pullUrl = `${this.repoUrl(repo)}/pulls/${pull.number}`;
    return {
      url,
      pull_request_review_id: c.review_id,
      id: c.id,
      node_id: this.nodeId('PRRC', c.id),
      diff_hunk: c.diff_hunk,
      path: c.path,
      ...(current ? { position: current.position, line: current.line } : {}),
      original_position: c.position,
      commit_id: current ? pull.head.sha : c.commit_id,
      original_commit_id: c.commit_id,
      user: this.user(c.user),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: this.authorAssociation(repo, c.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
      start_line: current ? c.start_line : null,
      original_start_line: c.start_line,
      start_side: c.start_line === null ? null : c.side,
      original_line: c.line,
      side: c.side,
      subject_type: 'line',
    };
  }

  comment(repo: RepoRecord, comment: CommentRecord): Json {
    const isPull = repo.pulls.has(comment.issue_number);
    return {
      id: comment.id,
      node_id: this.nodeId('IC', comment.id),
      url: `${this.repoUrl(repo)}/issues/comments/${comment.id}`,
      html_url: `${this.repoHtml(repo)}/${isPull ? 'pull' : 'issues'}/${comment.issue_number}#issuecomment-${comment.id}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      issue_url: `${this.repoUrl(repo)}/issues/${comment.issue_number}`,
      author_association: this.authorAssociation(repo, comment.user),
    };
  }

  diffEntry(repo: RepoRecord, headSha: string, file: FileChange): Json {
    const path = file.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha: file.sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.changes,
      blob_url: `${this.repoHtml(repo)}/blob/${headSha}/${path}`,
      raw_url: `${this.repoHtml(repo)}/raw/${headSha}/${path}`,
      contents_url: `${this.repoUrl(repo)}/contents/${path}?ref=${headSha}`,
      ...(file.patch !== undefined ? { patch: file.patch } : {}),
      ...(file.previous_filename !== undefined ? { previous_filename: file.previous_filename } : {}),
    };
  }

  private gitUser(sig: CommitRecord['author']): Json {
    return { name: sig.name, email: sig.email, date: sig.date };
  }

  commit(repo: RepoRecord, commit: CommitRecord, files?: FileChange[]): Json {
    const url = `${this.repoUrl(repo)}/commits/${commit.sha}`;
    return {
      url,
      sha: commit.sha,
      node_id: this.nodeId('C', commit.sha.slice(0, 12)),
      html_url: `${this.repoHtml(repo)}/commit/${commit.sha}`,
      comments_url: `${url}/comments`,
      commit: {
        url: `${this.repoUrl(repo)}/git/commits/${commit.sha}`,
        author: this.gitUser(commit.author),
        committer: this.gitUser(commit.committer),
        message: commit.message,
        tree: { sha: treeShaOf(commit), url: `${this.repoUrl(repo)}/git/trees/${treeShaOf(commit)}` },
        comment_count: 0,
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      author: this.user(commit.author.login),
      committer: this.user(commit.committer.login),
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${this.repoUrl(repo)}/commits/${sha}`,
        html_url: `${this.repoHtml(repo)}/commit/${sha}`,
      })),
      ...(files ? { files: files.map((f) => this.diffEntry(repo, commit.sha, f)) } : {}),
    };
  }

  simpleCommit(commit: CommitRecord): Json {
    return {
      id: commit.sha,
      tree_id: treeShaOf(commit),
      message: commit.message,
      timestamp: commit.committer.date,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
    };
  }

  app(login: string): Json {
    const slug = login.replace(/\[bot\]$/, '');
    return {
      id: 15368,
      slug,
      node_id: this.nodeId('A', slug),
      client_id: 'Iv1.0000000000000000',
      owner: this.user('github'),
      name: slug === 'github-actions' ? 'GitHub Actions' : slug,
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: `${this.html}/apps/${slug}`,
      created_at: EPOCH,
      updated_at: EPOCH,
      permissions: {
        checks: 'write',
        contents: 'read',
        issues: 'write',
        metadata: 'read',
        pull_requests: 'write',
      },
      events: ['check_run', 'check_suite', 'pull_request', 'push', 'workflow_dispatch'],
    };
  }

  checkRun(repo: RepoRecord, run: CheckRunRecord): Json {
    const url = `${this.repoUrl(repo)}/check-runs/${run.id}`;
    const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === run.head_sha);
    return {
      id: run.id,
      node_id: this.nodeId('CR', run.id),
      head_sha: run.head_sha,
      external_id: run.external_id ?? '',
      url,
      html_url: `${this.repoHtml(repo)}/runs/${run.id}`,
      details_url: run.details_url ?? `${this.repoHtml(repo)}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.check_suite_id },
      app: this.app(run.app),
      pull_requests: pulls.map((p) => ({
        id: p.id,
        number: p.number,
        url: `${this.repoUrl(repo)}/pulls/${p.number}`,
        head: { ref: p.head.ref, sha: p.head.sha, repo: this.repoRef(p.head.repo) },
        base: { ref: p.base.ref, sha: p.base.sha, repo: this.repoRef(repo.fullName) },
      })),
    };
  }

  private repoRef(fullName: string): Json {
    const repo = this.state.findRepo(fullName);
    return repo
      ? { id: repo.id, url: this.repoUrl(repo), name: repo.name }
      : { id: 0, url: `${this.api}/repos/${fullName}`, name: fullName.split('/')[1] ?? '' };
  }

  workflow(repo: RepoRecord, workflow: WorkflowRecord): Json {
    return {
      id: workflow.id,
      node_id: this.nodeId('W', workflow.id),
      name: workflow.name,
      path: workflow.path,
      state: workflow.state,
      created_at: workflow.created_at,
      updated_at: workflow.updated_at,
      url: `${this.repoUrl(repo)}/actions/workflows/${workflow.id}`,
      html_url: `${this.repoHtml(repo)}/blob/${repo.defaultBranch}/${workflow.path}`,
      badge_url: `${this.repoHtml(repo)}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
    };
  }

  workflowRun(repo: RepoRecord, run: RunRecord): Json {
    const url = `${this.repoUrl(repo)}/actions/runs/${run.id}`;
    const workflow = repo.workflows.find((w) => w.id === run.workflow_id);
    const head = this.state.git.get(run.head_sha);
    return {
      id: run.id,
      name: workflow?.name ?? null,
      node_id: this.nodeId('WFR', run.id),
      check_suite_id: run.id + 1,
      check_suite_node_id: this.nodeId('CS', run.id + 1),
      head_branch: run.head_branch,
      head_sha: run.head_sha,
      path: workflow?.path ?? '',
      run_number: run.run_number,
      run_attempt: run.run_attempt,
      display_title: run.display_title ?? workflow?.name ?? 'workflow run',
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflow_id,
      url,
      html_url: `${this.repoHtml(repo)}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: run.created_at,
      updated_at: run.updated_at,
      run_started_at: run.created_at,
      actor: this.user(run.actor),
      triggering_actor: this.user(run.actor),
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: `${this.repoUrl(repo)}/check-suites/${run.id + 1}`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${this.repoUrl(repo)}/actions/workflows/${run.workflow_id}`,
      head_commit: head ? this.simpleCommit(head) : null,
      repository: this.repository(repo),
      head_repository: this.repository(repo),
    };
  }

  team(org: string, team: TeamRecord): Json {
    const url = `${this.api}/organizations/${this.state.orgs.get(org.toLowerCase())?.id ?? 0}/team/${team.id}`;
    return {
      id: team.id,
      node_id: this.nodeId('T', team.id),
      url,
      html_url: `${this.html}/orgs/${org}/teams/${team.slug}`,
      name: team.name,
      slug: team.slug,
      description: team.description,
      privacy: team.privacy,
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      parent: null,
      type: 'organization',
    };
  }
}

const treeShas = new WeakMap<CommitRecord, string>();

function treeShaOf(commit: CommitRecord): string {
  let sha = treeShas.get(commit);
  if (!sha) {
    sha = treeSha(commit.tree);
    treeShas.set(commit, sha);
  }
  return sha;
}
