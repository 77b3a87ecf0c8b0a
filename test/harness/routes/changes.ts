// Routes that change a repository through the API: create a branch (git refs), commit one file (the
// contents API, with GitHub's sha rules), open and edit pull requests. A commit to a branch moves the
// head of the open pull requests from it, as on GitHub.
import { ApiError, notFound, validationFailed, type Reply, type RequestContext } from '../context.ts';
import { blobSha, commitSha, treeSha, type Signature } from '../git.ts';
import type { IssueRecord, PullRecord, RepoRecord } from '../state.ts';

function refReply(ctx: RequestContext, repo: RepoRecord, name: string, sha: string): unknown {
  return {
    ref: name,
    node_id: ctx.render.nodeId('REF', name),
    url: `${ctx.render.repoUrl(repo)}/git/${name}`,
    object: { type: 'commit', sha, url: `${ctx.render.repoUrl(repo)}/git/commits/${sha}` },
  };
}

function createRef(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const { ref, sha } = ctx.json<{ ref: string; sha: string }>();
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw new ApiError(422, `${ref} is not a valid ref name.`, {}, {}, true);
  if (repo.refs.has(ref)) throw new ApiError(422, 'Reference already exists');
  if (!ctx.state.git.get(sha)) throw new ApiError(422, 'Object does not exist');
  repo.refs.set(ref, sha);
  return {
    status: 201,
    body: refReply(ctx, repo, ref, sha),
    headers: { location: `${ctx.render.repoUrl(repo)}/git/${ref}` },
  };
}

/** The account a token acts as, as a git signature (GitHub's noreply address for it). */
function signatureOf(ctx: RequestContext, date: string): Signature {
  const login = ctx.caller.policy.login;
  const user = ctx.state.user(login);
  return { name: login, email: `${user.id}+${login}@users.noreply.github.com`, date, login };
}

interface FileBody {
  message: string;
  content: string;
  sha?: string;
  branch?: string;
}

function putFile(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const body = ctx.json<FileBody>();
  const path = ctx.str('path').replace(/^\/+|\/+$/g, '');
  const branch = body.branch ?? repo.defaultBranch;
  const tip = repo.refs.get(`refs/heads/${branch}`);
  if (!tip) throw new ApiError(404, `Branch ${branch} not found`);
  const parent = ctx.state.git.get(tip)!;
  const existing = parent.tree.get(path);
  if (existing && body.sha === undefined)
    throw validationFailed('File', 'sha', 'missing', '"sha" wasn\'t supplied.');
  if (existing && body.sha !== blobSha(existing))
    throw new ApiError(409, `${path} does not match ${body.sha}`);
  if (!/^[A-Za-z0-9+/\n\r]*={0,2}\s*$/.test(body.content))
    throw new ApiError(422, 'content is not valid Base64', {}, {}, true);
  const content = Buffer.from(body.content, 'base64');
  const tree = new Map(parent.tree);
  tree.set(path, content);
  // Always after the parent, as a commit made now is.
  const date = new Date(Math.max(Date.parse(ctx.state.now()), Date.parse(parent.committer.date) + 1000))
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const author = signatureOf(ctx, date);
  const record = { tree, parents: [tip], message: body.message, author, committer: author };
  const sha = commitSha(record);
  const commit = ctx.state.git.add({ sha, ...record });
  repo.refs.set(`refs/heads/${branch}`, sha);
  for (const pull of repo.pulls.values()) {
    const issue = repo.issues.get(pull.number);
    if (issue?.state === 'open' && pull.head.repo === repo.fullName && pull.head.ref === branch)
      pull.head.sha = sha;
  }
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const fileSha = blobSha(content);
  const api = ctx.render.repoUrl(repo);
  const html = ctx.render.repoHtml(repo);
  const gitUser = (s: Signature) => ({ name: s.name, email: s.email, date: s.date });
  return {
    status: existing ? 200 : 201,
    body: {
      content: {
        name: path.split('/').pop(),
        path,
        sha: fileSha,
        size: content.length,
        url: `${api}/contents/${encoded}?ref=${encodeURIComponent(branch)}`,
        html_url: `${html}/blob/${branch}/${encoded}`,
        git_url: `${api}/git/blobs/${fileSha}`,
        download_url: `https://raw.githubusercontent.com/${repo.fullName}/${branch}/${encoded}`,
        type: 'file',
        _links: {
          self: `${api}/contents/${encoded}?ref=${encodeURIComponent(branch)}`,
          git: `${api}/git/blobs/${fileSha}`,
          html: `${html}/blob/${branch}/${encoded}`,
        },
      },
      commit: {
        sha,
        node_id: ctx.render.nodeId('C', sha.slice(0, 12)),
        url: `${api}/git/commits/${sha}`,
        html_url: `${html}/commit/${sha}`,
        author: gitUser(commit.author),
        committer: gitUser(commit.committer),
        message: commit.message,
        tree: { url: `${api}/git/trees/${treeSha(tree)}`, sha: treeSha(tree) },
        parents: [{ url: `${api}/git/commits/${tip}`, html_url: `${html}/commit/${tip}`, sha: tip }],
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
    },
  };
}

interface PullBody {
  title?: string;
  body?: string;
  head?: string;
  base?: string;
  draft?: boolean;
  state?: 'open' | 'closed';
}

function createPull(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const body = ctx.json<PullBody>();
  const [owner, ref] = body.head!.includes(':') ? body.head!.split(/:(.*)/s) : [repo.owner, body.head!];
  const headRepo =
    owner!.toLowerCase() === repo.owner.toLowerCase()
      ? repo
      : [...ctx.state.repos.values()].find(
          (r) => r.owner.toLowerCase() === owner!.toLowerCase() && r.parent === repo.fullName,
        );
  const headSha = headRepo?.refs.get(`refs/heads/${ref}`);
  if (!headRepo || !headSha) throw validationFailed('PullRequest', 'head', 'invalid');
  const baseSha = repo.refs.get(`refs/heads/${body.base}`);
  if (!baseSha) throw validationFailed('PullRequest', 'base', 'invalid');
  if (body.title === undefined || body.title === '')
    throw validationFailed('PullRequest', 'title', 'missing_field');
  const open = [...repo.pulls.values()].find(
    (p) =>
      p.head.repo === headRepo.fullName &&
      p.head.ref === ref &&
      p.base.ref === body.base &&
      repo.issues.get(p.number)?.state === 'open',
  );
  if (open)
    throw validationFailed(
      'PullRequest',
      'head',
      'custom',
      `A pull request already exists for ${owner}:${ref}.`,
    );
  if (ctx.state.git.ancestors(baseSha).has(headSha))
    throw validationFailed('PullRequest', 'head', 'custom', `No commits between ${body.base} and ${ref}`);
  const number = repo.nextNumber++;
  const now = ctx.state.now();
  const issue: IssueRecord = {
    number,
    id: ctx.state.id(),
    title: body.title,
    body: body.body ?? null,
    user: ctx.caller.policy.login,
    state: 'open',
    state_reason: null,
    labels: [],
    assignees: [],
    locked: false,
    created_at: now,
    updated_at: now,
    closed_at: null,
    isPull: true,
  };
  const pull: PullRecord = {
    number,
    id: ctx.state.id(),
    head: { ref: ref!, sha: headSha, repo: headRepo.fullName },
    base: { ref: body.base!, sha: baseSha },
    draft: body.draft ?? false,
    merged: false,
    merged_at: null,
    merged_by: null,
    merge_commit_sha: null,
    reviews: [],
  };
  repo.issues.set(number, issue);
  repo.pulls.set(number, pull);
  return {
    status: 201,
    body: ctx.render.pullRequest(repo, pull, true),
    headers: { location: `${ctx.render.repoUrl(repo)}/pulls/${number}` },
  };
}

function updatePull(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const pull = repo.pulls.get(ctx.int('pull_number'));
  if (!pull) throw notFound();
  const issue = repo.issues.get(pull.number)!;
  const body = ctx.json<PullBody>();
  const now = ctx.state.now();
  if (body.title !== undefined) issue.title = body.title;
  if (body.body !== undefined) issue.body = body.body;
  if (body.state !== undefined && body.state !== issue.state) {
    if (pull.merged)
      throw validationFailed('PullRequest', 'state', 'invalid', 'Cannot change a merged pull request');
    if (body.state === 'open') {
      const headRepo = ctx.state.findRepo(pull.head.repo);
      const tip = headRepo?.refs.get(`refs/heads/${pull.head.ref}`);
      if (!tip) throw validationFailed('PullRequest', 'state', 'invalid', 'The head branch no longer exists');
      pull.head.sha = tip;
    }
    issue.state = body.state;
    issue.closed_at = body.state === 'closed' ? now : null;
  }
  issue.updated_at = now;
  return { status: 200, body: ctx.render.pullRequest(repo, pull, true) };
}

export const changeRoutes = {
  'git/create-ref': createRef,
  'repos/create-or-update-file-contents': putFile,
  'pulls/create': createPull,
  'pulls/update': updatePull,
};
