// Repository and history routes: get repository, get a ref, list commits (sha/path/author/since/until), get one commit,
// pull requests of a commit, and compare (base...head, across forks).
import { ApiError, notFound, paginate, type Reply, type RequestContext } from '../context.ts';
import type { CommitRecord } from '../git.ts';
import type { RepoRecord } from '../state.ts';

/** Unpaged, GitHub's compare shows the newest 250 commits; it lists at most 300 files. */
const MAX_COMPARE_COMMITS = 250;
const MAX_COMPARE_FILES = 300;

function getRepo(ctx: RequestContext): Reply {
  return { status: 200, body: ctx.render.fullRepository(ctx.repo()) };
}

/**
 * Whether a commit changed the path, as git's default history simplification decides: a merge is
 * listed only when it differs from every parent (a merge that took one side's version unchanged is
 * left out, and that side's commits are listed instead).
 */
function touches(ctx: RequestContext, commit: CommitRecord, path: string): boolean {
  const prefix = path.replace(/\/+$/, '');
  const inScope = (p: string): boolean => p === prefix || p.startsWith(`${prefix}/`);
  const differsFrom = (before: Map<string, Buffer>): boolean => {
    const paths = new Set([...before.keys(), ...commit.tree.keys()].filter(inScope));
    for (const p of paths) {
      const a = before.get(p);
      const b = commit.tree.get(p);
      if (!a || !b || !a.equals(b)) return true;
    }
    return false;
  };
  if (commit.parents.length === 0) return differsFrom(new Map());
  return commit.parents.every((sha) => differsFrom(ctx.state.git.get(sha)?.tree ?? new Map()));
}

function listCommits(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  if (repo.refs.size === 0) throw new ApiError(409, 'Git Repository is empty.');
  const ref = (ctx.query.sha as string | undefined) ?? repo.defaultBranch;
  const head = ctx.state.resolveRef(repo, ref);
  if (!head) throw new ApiError(404, `No commit found for SHA: ${ref}`);
  const path = ctx.query.path as string | undefined;
  const author = (ctx.query.author as string | undefined)?.toLowerCase();
  const since = ctx.query.since ? Date.parse(String(ctx.query.since)) : undefined;
  const until = ctx.query.until ? Date.parse(String(ctx.query.until)) : undefined;
  const commits = ctx.state.git.log(head).filter((c) => {
    const at = Date.parse(c.committer.date);
    if (since !== undefined && at < since) return false;
    if (until !== undefined && at > until) return false;
    if (author && c.author.login?.toLowerCase() !== author && c.author.email.toLowerCase() !== author)
      return false;
    return path === undefined || path === '' || touches(ctx, c, path);
  });
  return paginate(ctx, commits, (c) => ctx.render.commit(repo, c));
}

function getCommit(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const sha = ctx.state.resolveRef(repo, ctx.str('ref'));
  const commit = sha ? ctx.state.git.get(sha) : undefined;
  if (!commit) throw new ApiError(422, `No commit found for SHA: ${ctx.str('ref')}`);
  // The `sha` media type: only the SHA, whose ETag is the SHA itself (GitHub documents sending the
  // local SHA as If-None-Match to learn whether a ref moved).
  if (/application\/vnd\.github(\.v3)?\.sha/.test(String(ctx.headers.accept ?? ''))) {
    const etag = `"${commit.sha}"`;
    const asked = String(ctx.headers['if-none-match'] ?? '')
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    if (asked.includes(etag)) return { status: 304, headers: { etag }, raw: Buffer.alloc(0) };
    return {
      status: 200,
      headers: { etag, 'content-type': 'application/vnd.github.sha; charset=utf-8' },
      raw: Buffer.from(commit.sha),
    };
  }
  const files = ctx.state.diff(commit.parents[0] ?? '', commit.sha);
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    status: 200,
    body: {
      ...ctx.render.commit(repo, commit, files),
      stats: { additions, deletions, total: additions + deletions },
    },
  };
}

function pullsOfCommit(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const sha = ctx.state.git.expand(ctx.str('commit_sha'));
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ctx.str('commit_sha')}`);
  const associated = [...repo.pulls.values()].filter(
    (p) => p.head.sha === sha || p.merge_commit_sha === sha || ctx.state.pullCommits(p).includes(sha),
  );
  // On the default branch: only the merged pull request that brought the commit there.
  const main = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
  const onDefault = main !== undefined && ctx.state.git.ancestors(main).has(sha);
  const pulls = onDefault ? associated.filter((p) => p.merged) : associated;
  return paginate(ctx, pulls, (p) => ctx.render.pullRequest(repo, p, false));
}

/** `ref`, `owner:ref` or `owner:repo:ref` -> the repository it lives in and its sha. */
function side(ctx: RequestContext, repo: RepoRecord, spec: string): { repo: RepoRecord; sha: string } {
  const parts = spec.split(':');
  let target = repo;
  let ref = spec;
  if (parts.length >= 2) {
    const owner = parts[0] as string;
    const name = parts.length === 3 ? (parts[1] as string) : repo.name;
    ref = parts.slice(parts.length === 3 ? 2 : 1).join(':');
    const fork =
      ctx.state.findRepo(`${owner}/${name}`) ??
      [...ctx.state.repos.values()].find(
        (r) =>
          r.owner.toLowerCase() === owner.toLowerCase() &&
          r.parent?.toLowerCase() === repo.fullName.toLowerCase(),
      );
    if (!fork) throw notFound();
    target = fork;
  }
  const sha = ctx.state.resolveRef(target, ref);
  if (!sha) throw notFound();
  return { repo: target, sha };
}

function compare(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  let baseSpec: string;
  let headSpec: string;
  if (ctx.path.basehead !== undefined) {
    const m = /^(.+?)(\.\.\.?)(.+)$/.exec(ctx.str('basehead'));
    if (!m) throw notFound();
    baseSpec = m[1] as string;
    headSpec = m[3] as string;
  } else {
    baseSpec = ctx.str('base');
    headSpec = ctx.str('head');
  }
  const base = side(ctx, repo, baseSpec);
  const head = side(ctx, repo, headSpec);
  const git = ctx.state.git;
  const mergeBase = git.mergeBase(base.sha, head.sha);
  if (!mergeBase) throw notFound();
  const ahead = git.log(head.sha, base.sha).reverse();
  const behind = git.log(base.sha, head.sha);
  const status =
    ahead.length === 0 && behind.length === 0
      ? 'identical'
      : behind.length === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  const paged = ctx.query.page !== undefined || ctx.query.per_page !== undefined;
  const baseCommit = git.get(base.sha) as CommitRecord;
  const mergeBaseCommit = git.get(mergeBase) as CommitRecord;
  const files = ctx.state.diff(mergeBase, head.sha).slice(0, MAX_COMPARE_FILES);
  const spec = `${baseSpec}...${headSpec}`;
  const wrap = (commits: unknown[]): unknown => ({
    url: `${ctx.render.repoUrl(repo)}/compare/${spec}`,
    html_url: `${ctx.render.repoHtml(repo)}/compare/${spec}`,
    permalink_url: `${ctx.render.repoHtml(repo)}/compare/${repo.owner}:${base.sha.slice(0, 7)}...${head.repo.owner}:${head.sha.slice(0, 7)}`,
    diff_url: `${ctx.render.repoHtml(repo)}/compare/${spec}.diff`,
    patch_url: `${ctx.render.repoHtml(repo)}/compare/${spec}.patch`,
    base_commit: ctx.render.commit(repo, baseCommit),
    merge_base_commit: ctx.render.commit(repo, mergeBaseCommit),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits,
    ...(!paged || Number(ctx.query.page ?? 1) === 1
      ? { files: files.map((f) => ctx.render.diffEntry(head.repo, head.sha, f)) }
      : {}),
  });
  if (!paged) {
    const commits = ahead.slice(-MAX_COMPARE_COMMITS).map((c) => ctx.render.commit(head.repo, c));
    return { status: 200, body: wrap(commits) };
  }
  return paginate(ctx, ahead, (c) => ctx.render.commit(head.repo, c), { wrap });
}

function getRef(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const name = `refs/${ctx.str('ref')}`;
  const sha = repo.refs.get(name);
  if (!sha) throw notFound();
  return {
    status: 200,
    body: {
      ref: name,
      node_id: ctx.render.nodeId('REF', name),
      url: `${ctx.render.repoUrl(repo)}/git/${name}`,
      object: { type: 'commit', sha, url: `${ctx.render.repoUrl(repo)}/git/commits/${sha}` },
    },
  };
}

export const commitRoutes = {
  'git/get-ref': getRef,
  'repos/get': getRepo,
  'repos/list-commits': listCommits,
  'repos/get-commit': getCommit,
  'repos/list-pull-requests-associated-with-commit': pullsOfCommit,
  'repos/compare-commits': compare,
  'repos/compare-commits-with-basehead': compare,
};
