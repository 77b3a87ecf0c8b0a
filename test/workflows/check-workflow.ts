// The safety rules for GitHub workflow files, as a function that lists what a workflow breaks.
import { parse } from 'yaml';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { permissions?: unknown; steps?: Step[] };

export function workflowProblems(text: string): string[] {
  const problems: string[] = [];
  const workflow = parse(text) as { on?: unknown; permissions?: unknown; jobs?: Record<string, Job> };
  const jobs = Object.entries(workflow.jobs ?? {});
  const steps = jobs.flatMap(([, job]) => job.steps ?? []);

  if (!isEmptyMapping(workflow.permissions)) problems.push('top-level permissions must be {}');
  for (const [name, job] of jobs)
    if (job.permissions === undefined) problems.push(`job ${name} grants no permissions`);

  for (const line of text.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
    const ref = /uses:\s*['"]?([^\s'"]+)/.exec(line)?.[1] ?? '';
    if (ref.startsWith('./')) continue;
    if (ref.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref)) problems.push(`${ref} is not pinned to a digest`);
      continue;
    }
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref))
      problems.push(`${ref} is not pinned to a full commit SHA`);
    else if (!/#\s*v\d/.test(line)) problems.push(`${ref} has no # vX version comment`);
  }

  for (const step of steps.filter((s) => s.uses?.startsWith('actions/checkout@')))
    if (step.with?.['persist-credentials'] !== false)
      problems.push('checkout without persist-credentials: false');

  for (const step of steps.filter((s) => typeof s.run === 'string'))
    if (/\$\{\{/.test(step.run!)) problems.push(`\${{ }} inside run: ${step.run!.split('\n')[0]}`);

  const on = workflow.on;
  const triggers = typeof on === 'object' && on !== null ? Object.keys(on) : [String(on)];
  if (triggers.some((t) => t === 'pull_request_target' || t === 'workflow_run')) {
    for (const step of steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      if (/head|pull|merge|workflow_run/.test(String(step.with?.ref ?? '')))
        problems.push(`checkout of the pull request under ${triggers.join('/')}`);
    }
  }
  return problems;
}

function isEmptyMapping(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
