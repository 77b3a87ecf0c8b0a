// Issue routes: issues (list with filters, get, create, update), their comments, their labels and the
// repository's labels. Pull requests are issues here too, as on GitHub.
import {
  ApiError,
  notFound,
  paginate,
  validationFailed,
  type Reply,
  type RequestContext,
} from '../context.ts';
import type { CommentRecord, IssueRecord, LabelRecord, RepoRecord, StateReason } from '../state.ts';

type LabelInput = string | { name?: string };

/** GitHub's colour for labels it creates on the fly. */
const DEFAULT_LABEL_COLOR = 'ededed';

export function ensureLabel(
  ctx: { state: RequestContext['state'] },
  repo: RepoRecord,
  name: string,
): LabelRecord {
  let label = repo.labels.get(name.toLowerCase());
  if (!label) {
    label = { id: ctx.state.id(), name, color: DEFAULT_LABEL_COLOR, description: null, default: false };
    repo.labels.set(name.toLowerCase(), label);
  }
  return label;
}

function labelNames(inputs: LabelInput[] | undefined): string[] {
  return (inputs ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');
}

function issueOf(ctx: RequestContext): { repo: RepoRecord; issue: IssueRecord } {
  const repo = ctx.repo();
  const issue = repo.issues.get(ctx.int('issue_number'));
  if (!issue) throw notFound();
  return { repo, issue };
}

function list(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const q = ctx.query;
  const state = String(q.state ?? 'open');
  const wanted =
    q.labels !== undefined
      ? String(q.labels)
          .split(',')
          .map((l) => l.trim().toLowerCase())
      : [];
  const since = q.since !== undefined ? Date.parse(String(q.since)) : undefined;
  const sort = String(q.sort ?? 'created');
  const direction = String(q.direction ?? 'desc');
  const commentCount = (n: number): number => repo.comments.filter((c) => c.issue_number === n).length;
  const rows = [...repo.issues.values()].filter((issue) => {
    if (state !== 'all' && issue.state !== state) return false;
    const have = issue.labels.map((l) => l.toLowerCase());
    if (!wanted.filter((l) => l !== '').every((l) => have.includes(l))) return false;
    if (since !== undefined && Date.parse(issue.updated_at) < since) return false;
    if (q.creator !== undefined && issue.user.toLowerCase() !== String(q.creator).toLowerCase()) return false;
    if (q.assignee === 'none' && issue.assignees.length > 0) return false;
    if (q.assignee === '*' && issue.assignees.length === 0) return false;
    if (q.assignee !== undefined && q.assignee !== 'none' && q.assignee !== '*') {
      if (!issue.assignees.some((a) => a.toLowerCase() === String(q.assignee).toLowerCase())) return false;
    }
    if (q.milestone !== undefined && q.milestone !== 'none') return false;
    if (q.mentioned !== undefined && !(issue.body ?? '').includes(`@${String(q.mentioned)}`)) return false;
    return true;
  });
  const key = (i: IssueRecord): number =>
    sort === 'updated'
      ? Date.parse(i.updated_at)
      : sort === 'comments'
        ? commentCount(i.number)
        : Date.parse(i.created_at);
  rows.sort((a, b) => key(a) - key(b) || a.number - b.number);
  if (direction === 'desc') rows.reverse();
  return paginate(ctx, rows, (i) => ctx.render.issue(repo, i));
}

function get(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  return { status: 200, body: ctx.render.issue(repo, issue) };
}

interface IssueBody {
  title?: string | number | null;
  body?: string | null;
  assignee?: string | null;
  assignees?: string[];
  labels?: LabelInput[];
  state?: 'open' | 'closed';
  state_reason?: StateReason;
}

function create(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const body = ctx.json<IssueBody>();
  if (body.title === undefined || body.title === null || String(body.title) === '')
    throw validationFailed('Issue', 'title', 'missing_field');
  const now = ctx.state.now();
  const labels = labelNames(body.labels).map((n) => ensureLabel(ctx, repo, n).name);
  const issue: IssueRecord = {
    number: repo.nextNumber++,
    id: ctx.state.id(),
    title: String(body.title),
    body: body.body ?? null,
    user: ctx.caller.policy.login,
    state: 'open',
    state_reason: null,
    labels,
    assignees: body.assignees ?? (body.assignee ? [body.assignee] : []),
    locked: false,
    created_at: now,
    updated_at: now,
    closed_at: null,
    isPull: false,
  };
  issue.assignees.forEach((a) => ctx.state.user(a));
  repo.issues.set(issue.number, issue);
  return {
    status: 201,
    body: ctx.render.issue(repo, issue),
    headers: { location: `${ctx.render.repoUrl(repo)}/issues/${issue.number}` },
  };
}

function update(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const body = ctx.json<IssueBody>();
  const now = ctx.state.now();
  if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
  if (body.body !== undefined) issue.body = body.body;
  if (body.labels !== undefined)
    issue.labels = labelNames(body.labels).map((n) => ensureLabel(ctx, repo, n).name);
  if (body.assignees !== undefined) issue.assignees = [...body.assignees];
  else if (body.assignee !== undefined) issue.assignees = body.assignee ? [body.assignee] : [];
  if (body.state !== undefined && body.state !== issue.state) {
    issue.state = body.state;
    if (body.state === 'closed') {
      issue.closed_at = now;
      issue.state_reason = body.state_reason ?? 'completed';
    } else {
      issue.closed_at = null;
      issue.state_reason = 'reopened';
    }
  } else if (
    body.state_reason !== undefined &&
    issue.state === 'closed' &&
    body.state_reason !== 'reopened'
  ) {
    issue.state_reason = body.state_reason;
  }
  issue.updated_at = now;
  return { status: 200, body: ctx.render.issue(repo, issue) };
}

function listComments(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const since = ctx.query.since !== undefined ? Date.parse(String(ctx.query.since)) : undefined;
  const comments = repo.comments.filter(
    (c) => c.issue_number === issue.number && (since === undefined || Date.parse(c.updated_at) >= since),
  );
  return paginate(ctx, comments, (c) => ctx.render.comment(repo, c));
}

function createComment(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const { body } = ctx.json<{ body: string }>();
  const now = ctx.state.now();
  const comment: CommentRecord = {
    id: ctx.state.id(),
    issue_number: issue.number,
    user: ctx.caller.policy.login,
    body,
    created_at: now,
    updated_at: now,
  };
  repo.comments.push(comment);
  issue.updated_at = now;
  return {
    status: 201,
    body: ctx.render.comment(repo, comment),
    headers: { location: `${ctx.render.repoUrl(repo)}/issues/comments/${comment.id}` },
  };
}

function commentOf(ctx: RequestContext): { repo: RepoRecord; comment: CommentRecord } {
  const repo = ctx.repo();
  const comment = repo.comments.find((c) => c.id === ctx.int('comment_id'));
  if (!comment) throw notFound();
  return { repo, comment };
}

function getComment(ctx: RequestContext): Reply {
  const { repo, comment } = commentOf(ctx);
  return { status: 200, body: ctx.render.comment(repo, comment) };
}

function updateComment(ctx: RequestContext): Reply {
  const { repo, comment } = commentOf(ctx);
  comment.body = ctx.json<{ body: string }>().body;
  comment.updated_at = ctx.state.now();
  return { status: 200, body: ctx.render.comment(repo, comment) };
}

function deleteComment(ctx: RequestContext): Reply {
  const { repo, comment } = commentOf(ctx);
  repo.comments.splice(repo.comments.indexOf(comment), 1);
  return { status: 204 };
}

function issueLabels(ctx: RequestContext, repo: RepoRecord, issue: IssueRecord): unknown[] {
  return issue.labels.map((n) => ctx.render.label(repo, ensureLabel(ctx, repo, n)));
}

function addLabels(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const raw = ctx.body;
  const names = labelNames(Array.isArray(raw) ? raw : ctx.json<{ labels?: LabelInput[] }>().labels);
  for (const name of names) {
    const label = ensureLabel(ctx, repo, name);
    if (!issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase()))
      issue.labels.push(label.name);
  }
  issue.updated_at = ctx.state.now();
  return { status: 200, body: issueLabels(ctx, repo, issue) };
}

function setLabels(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const raw = ctx.body;
  const names = labelNames(Array.isArray(raw) ? raw : (ctx.json<{ labels?: LabelInput[] }>().labels ?? []));
  issue.labels = names.map((n) => ensureLabel(ctx, repo, n).name);
  issue.updated_at = ctx.state.now();
  return { status: 200, body: issueLabels(ctx, repo, issue) };
}

function removeLabel(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  const name = ctx.str('name').toLowerCase();
  const index = issue.labels.findIndex((l) => l.toLowerCase() === name);
  if (index === -1) throw new ApiError(404, 'Label does not exist');
  issue.labels.splice(index, 1);
  issue.updated_at = ctx.state.now();
  return { status: 200, body: issueLabels(ctx, repo, issue) };
}

function listLabelsOnIssue(ctx: RequestContext): Reply {
  const { repo, issue } = issueOf(ctx);
  return paginate(ctx, issue.labels, (n) => ctx.render.label(repo, ensureLabel(ctx, repo, n)));
}

function listLabels(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  return paginate(ctx, [...repo.labels.values()], (l) => ctx.render.label(repo, l));
}

function labelOf(ctx: RequestContext): { repo: RepoRecord; label: LabelRecord } {
  const repo = ctx.repo();
  const label = repo.labels.get(ctx.str('name').toLowerCase());
  if (!label) throw notFound();
  return { repo, label };
}

function getLabel(ctx: RequestContext): Reply {
  const { repo, label } = labelOf(ctx);
  return { status: 200, body: ctx.render.label(repo, label) };
}

interface LabelBody {
  name?: string;
  new_name?: string;
  color?: string;
  description?: string;
}

function createLabel(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const body = ctx.json<LabelBody>();
  const name = body.name ?? '';
  if (repo.labels.has(name.toLowerCase())) throw validationFailed('Label', 'name', 'already_exists');
  const label: LabelRecord = {
    id: ctx.state.id(),
    name,
    color: (body.color ?? DEFAULT_LABEL_COLOR).replace(/^#/, ''),
    description: body.description ?? null,
    default: false,
  };
  repo.labels.set(name.toLowerCase(), label);
  return { status: 201, body: ctx.render.label(repo, label) };
}

function updateLabel(ctx: RequestContext): Reply {
  const { repo, label } = labelOf(ctx);
  const body = ctx.json<LabelBody>();
  if (body.new_name !== undefined && body.new_name.toLowerCase() !== label.name.toLowerCase()) {
    if (repo.labels.has(body.new_name.toLowerCase()))
      throw validationFailed('Label', 'name', 'already_exists');
    repo.labels.delete(label.name.toLowerCase());
    for (const issue of repo.issues.values()) {
      issue.labels = issue.labels.map((l) =>
        l.toLowerCase() === label.name.toLowerCase() ? (body.new_name as string) : l,
      );
    }
    label.name = body.new_name;
    repo.labels.set(label.name.toLowerCase(), label);
  }
  if (body.color !== undefined) label.color = body.color.replace(/^#/, '');
  if (body.description !== undefined) label.description = body.description;
  return { status: 200, body: ctx.render.label(repo, label) };
}

function deleteLabel(ctx: RequestContext): Reply {
  const { repo, label } = labelOf(ctx);
  repo.labels.delete(label.name.toLowerCase());
  for (const issue of repo.issues.values()) {
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== label.name.toLowerCase());
  }
  return { status: 204 };
}

export const issueRoutes = {
  'issues/list-for-repo': list,
  'issues/get': get,
  'issues/create': create,
  'issues/update': update,
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
  'issues/get-comment': getComment,
  'issues/update-comment': updateComment,
  'issues/delete-comment': deleteComment,
  'issues/add-labels': addLabels,
  'issues/set-labels': setLabels,
  'issues/remove-label': removeLabel,
  'issues/list-labels-on-issue': listLabelsOnIssue,
  'issues/list-labels-for-repo': listLabels,
  'issues/get-label': getLabel,
  'issues/create-label': createLabel,
  'issues/update-label': updateLabel,
  'issues/delete-label': deleteLabel,
};
