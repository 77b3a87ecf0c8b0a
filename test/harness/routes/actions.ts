// GitHub Actions routes: workflows, workflow dispatches (which start a queued run) and workflow runs, whose
// progress the test drives (server.completeRun) or leaves to auto-completion after N polls, or a cancel ends.
import { ApiError, notFound, paginate, type Reply, type RequestContext } from '../context.ts';
import type { RepoRecord, RunRecord, WorkflowRecord } from '../state.ts';

function workflowOf(ctx: RequestContext, repo: RepoRecord): WorkflowRecord {
  const id = String(ctx.path.workflow_id);
  const workflow = repo.workflows.find(
    (w) => String(w.id) === id || w.path === id || w.path.split('/').pop() === id,
  );
  if (!workflow) throw notFound();
  return workflow;
}

function listWorkflows(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  return paginate(ctx, repo.workflows, (w) => ctx.render.workflow(repo, w), {
    wrap: (page, total) => ({ total_count: total, workflows: page }),
  });
}

function getWorkflow(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  return { status: 200, body: ctx.render.workflow(repo, workflowOf(ctx, repo)) };
}

function dispatch(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const workflow = workflowOf(ctx, repo);
  const body = ctx.json<{ ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean }>();
  if (!workflow.dispatchable) throw new ApiError(422, "Workflow does not have 'workflow_dispatch' trigger");
  const unexpected = Object.keys(body.inputs ?? {}).filter(
    (name) => !(workflow.inputs ?? [name]).includes(name),
  );
  if (unexpected.length > 0)
    throw new ApiError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const ref = body.ref.replace(/^refs\/(heads|tags)\//, '');
  const fullRef = body.ref.startsWith('refs/') ? body.ref : undefined;
  const sha = fullRef
    ? repo.refs.get(fullRef)
    : (repo.refs.get(`refs/heads/${ref}`) ?? repo.refs.get(`refs/tags/${ref}`));
  if (!sha) throw new ApiError(422, `No ref found for: ${body.ref}`);
  const now = ctx.state.now();
  const run: RunRecord = {
    id: ctx.state.id(),
    workflow_id: workflow.id,
    run_number: repo.runs.filter((r) => r.workflow_id === workflow.id).length + 1,
    run_attempt: 1,
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    head_branch: ref,
    head_sha: sha,
    actor: ctx.caller.policy.login,
    created_at: now,
    updated_at: now,
    inputs: body.inputs ?? {},
    ...(workflow.runName ? { display_title: runName(workflow.runName, body.inputs ?? {}) } : {}),
    polls: 0,
  };
  repo.runs.push(run);
  repo.dispatches.push({
    workflow_id: workflow.id,
    ref: body.ref,
    inputs: run.inputs,
    run_id: run.id,
    at: now,
  });
  const auto = ctx.settings.autoCompleteRuns;
  if (auto && auto.afterPolls <= 0) completeRun(ctx.state.now(), run, auto.conclusion);
  if (body.return_run_details) {
    return {
      status: 200,
      body: {
        workflow_run_id: run.id,
        run_url: `${ctx.render.repoUrl(repo)}/actions/runs/${run.id}`,
        html_url: `${ctx.render.repoHtml(repo)}/actions/runs/${run.id}`,
      },
    };
  }
  return { status: 204 };
}

/** A `run-name` with its `${{ inputs.NAME }}` expressions replaced (empty for inputs not given). */
function runName(template: string, inputs: Record<string, unknown>): string {
  return template.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_all, name: string) =>
    String(inputs[name] ?? ''),
  );
}

export function completeRun(now: string, run: RunRecord, conclusion: RunRecord['conclusion']): void {
  run.status = 'completed';
  run.conclusion = conclusion;
  run.updated_at = now;
}

/** GitHub's search syntax for `created`: `>=X`, `<X`, `X..Y`, `X..*`, a date (that whole day) or a date-time. */
export function createdFilter(spec: string): (iso: string) => boolean {
  const day = (text: string, end: boolean): number =>
    /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? Date.parse(`${text}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0)
      : Date.parse(text);
  const range = /^(.+)\.\.(.+)$/.exec(spec);
  if (range) {
    const from = range[1] === '*' ? -Infinity : day(range[1] as string, false);
    const to = range[2] === '*' ? Infinity : day(range[2] as string, true);
    return (iso) => Date.parse(iso) >= from && Date.parse(iso) <= to;
  }
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(spec);
  if (cmp) {
    const op = cmp[1];
    const text = cmp[2] as string;
    const start = day(text, false);
    const end = day(text, true);
    return (iso) => {
      const t = Date.parse(iso);
      return op === '>=' ? t >= start : op === '>' ? t > end : op === '<=' ? t <= end : t < start;
    };
  }
  const start = day(spec, false);
  const end = day(spec, true);
  return (iso) => Date.parse(iso) >= start && Date.parse(iso) <= end;
}

function listRuns(ctx: RequestContext, runs: RunRecord[], repo: RepoRecord): Reply {
  const q = ctx.query;
  let rows = runs;
  if (q.actor !== undefined)
    rows = rows.filter((r) => r.actor.toLowerCase() === String(q.actor).toLowerCase());
  if (q.branch !== undefined) rows = rows.filter((r) => r.head_branch === q.branch);
  if (q.event !== undefined) rows = rows.filter((r) => r.event === q.event);
  if (q.head_sha !== undefined) rows = rows.filter((r) => r.head_sha === q.head_sha);
  if (q.status !== undefined) rows = rows.filter((r) => r.status === q.status || r.conclusion === q.status);
  if (q.created !== undefined) {
    const inRange = createdFilter(String(q.created));
    rows = rows.filter((r) => inRange(r.created_at));
  }
  rows = [...rows].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
  return paginate(ctx, rows, (r) => ctx.render.workflowRun(repo, r), {
    wrap: (page, total) => ({ total_count: total, workflow_runs: page }),
  });
}

function listRunsForRepo(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  return listRuns(ctx, repo.runs, repo);
}

function listRunsForWorkflow(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const workflow = workflowOf(ctx, repo);
  return listRuns(
    ctx,
    repo.runs.filter((r) => r.workflow_id === workflow.id),
    repo,
  );
}

function getRun(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const run = repo.runs.find((r) => r.id === ctx.int('run_id'));
  if (!run) throw notFound();
  run.polls++;
  const auto = ctx.settings.autoCompleteRuns;
  if (run.status !== 'completed') {
    if (auto && run.polls >= auto.afterPolls) completeRun(ctx.state.now(), run, auto.conclusion);
    else if (run.status === 'queued' && auto) {
      run.status = 'in_progress';
      run.updated_at = ctx.state.now();
    }
  }
  return { status: 200, body: ctx.render.workflowRun(repo, run) };
}

/** GitHub accepts a cancel with 202 and answers 409 once the run has completed; here it ends at once. */
function cancelRun(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const run = repo.runs.find((r) => r.id === ctx.int('run_id'));
  if (!run) throw notFound();
  if (run.status === 'completed') throw new ApiError(409, 'Cannot cancel a workflow run that is completed.');
  completeRun(ctx.state.now(), run, 'cancelled');
  return { status: 202, body: {} };
}

export const actionRoutes = {
  'actions/list-repo-workflows': listWorkflows,
  'actions/get-workflow': getWorkflow,
  'actions/create-workflow-dispatch': dispatch,
  'actions/list-workflow-runs-for-repo': listRunsForRepo,
  'actions/list-workflow-runs': listRunsForWorkflow,
  'actions/get-workflow-run': getRun,
  'actions/cancel-workflow-run': cancelRun,
};
