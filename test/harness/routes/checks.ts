// Check run routes: create and update (annotations appended, at most 50 per request as GitHub enforces),
// get, list for a ref (latest per name by default) and list annotations.
import {
  ApiError,
  notFound,
  paginate,
  validationFailed,
  type Reply,
  type RequestContext,
} from '../context.ts';
import type { Annotation, CheckRunRecord, RepoRecord } from '../state.ts';

/** The Checks API takes at most this many annotations in one request. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;

interface CheckBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckRunRecord['status'];
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] };
  actions?: unknown[];
}

function apply(ctx: RequestContext, run: CheckRunRecord, body: CheckBody): void {
  const annotations = body.output?.annotations ?? [];
  if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
    throw new ApiError(422, 'Invalid request.\n\nOnly 50 annotations may be sent per request.', {}, {}, true);
  }
  if (body.name !== undefined) run.name = body.name;
  if (body.details_url !== undefined) run.details_url = body.details_url;
  if (body.external_id !== undefined) run.external_id = body.external_id;
  if (body.started_at !== undefined) run.started_at = body.started_at;
  if (body.actions !== undefined) run.actions = body.actions;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  } else if (body.status !== undefined) run.status = body.status;
  if (run.status === 'completed') {
    if (run.conclusion === null) throw validationFailed('CheckRun', 'conclusion', 'missing_field');
    run.completed_at = body.completed_at ?? run.completed_at ?? ctx.state.now();
  }
  if (body.output) {
    if (body.output.title !== undefined) run.output.title = body.output.title;
    if (body.output.summary !== undefined) run.output.summary = body.output.summary;
    if (body.output.text !== undefined) run.output.text = body.output.text;
    run.annotations.push(...annotations);
  }
}

function create(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const body = ctx.json<CheckBody>();
  const headSha = ctx.state.git.expand(body.head_sha ?? '');
  if (!headSha)
    throw validationFailed('CheckRun', 'head_sha', 'invalid', `No commit found for SHA: ${body.head_sha}`);
  const run: CheckRunRecord = {
    id: ctx.state.id(),
    name: body.name ?? '',
    head_sha: headSha,
    status: 'queued',
    conclusion: null,
    started_at: ctx.state.now(),
    completed_at: null,
    details_url: null,
    external_id: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    actions: [],
    check_suite_id: ctx.state.id(),
    app: ctx.caller.policy.login,
  };
  apply(ctx, run, body);
  repo.checkRuns.push(run);
  return { status: 201, body: ctx.render.checkRun(repo, run) };
}

function runOf(ctx: RequestContext): { repo: RepoRecord; run: CheckRunRecord } {
  const repo = ctx.repo();
  const run = repo.checkRuns.find((r) => r.id === ctx.int('check_run_id'));
  if (!run) throw notFound();
  return { repo, run };
}

function update(ctx: RequestContext): Reply {
  const { repo, run } = runOf(ctx);
  apply(ctx, run, ctx.json<CheckBody>());
  return { status: 200, body: ctx.render.checkRun(repo, run) };
}

function get(ctx: RequestContext): Reply {
  const { repo, run } = runOf(ctx);
  return { status: 200, body: ctx.render.checkRun(repo, run) };
}

function listAnnotations(ctx: RequestContext): Reply {
  const { repo, run } = runOf(ctx);
  return paginate(ctx, run.annotations, (a) => ({
    path: a.path,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
    blob_href: `${ctx.render.repoHtml(repo)}/blob/${run.head_sha}/${a.path}`,
  }));
}

function listForRef(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const sha = ctx.state.resolveRef(repo, ctx.str('ref'));
  if (!sha) throw validationFailed('Commit', 'ref', 'invalid', `No commit found for SHA: ${ctx.str('ref')}`);
  let runs = repo.checkRuns.filter((r) => r.head_sha === sha);
  if (ctx.query.check_name !== undefined) runs = runs.filter((r) => r.name === ctx.query.check_name);
  if (ctx.query.status !== undefined) runs = runs.filter((r) => r.status === ctx.query.status);
  if ((ctx.query.filter ?? 'latest') === 'latest') {
    const latest = new Map<string, CheckRunRecord>();
    for (const r of runs) latest.set(r.name, r);
    runs = [...latest.values()];
  }
  runs = [...runs].sort((a, b) => b.id - a.id);
  return paginate(ctx, runs, (r) => ctx.render.checkRun(repo, r), {
    wrap: (page, total) => ({ total_count: total, check_runs: page }),
  });
}

export const checkRoutes = {
  'checks/create': create,
  'checks/update': update,
  'checks/get': get,
  'checks/list-annotations': listAnnotations,
  'checks/list-for-ref': listForRef,
};
