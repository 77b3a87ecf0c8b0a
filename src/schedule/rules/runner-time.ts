// Rule `runner-time`: automated work that lasts longer than one job may run on a GitHub-hosted runner
// (6 h) would be stopped mid-work: a warning to run the execute job on a self-hosted runner.
import type { Finding } from '../../model/types.ts';
import { HOUR, formatDuration } from '../time.ts';
import type { Rule } from './rule.ts';

/** GitHub stops a job on a hosted runner after 6 hours; self-hosted runners allow 5 days. */
export const HOSTED_RUNNER_JOB_LIMIT_MS = 6 * HOUR;

export const runnerTimeRule: Rule = {
  id: 'runner-time',
  bypassable: false,
  check(request): Finding[] {
    if (!request.steps?.length || request.durationMs <= HOSTED_RUNNER_JOB_LIMIT_MS) return [];
    return [
      {
        rule: 'runner-time',
        severity: 'warning',
        message: `lasts ${formatDuration(request.durationMs)}, longer than the ${formatDuration(HOSTED_RUNNER_JOB_LIMIT_MS)} a job may run on a GitHub-hosted runner, which would stop its steps mid-work: run maintenance-execute.yml on a self-hosted runner (set its job's \`runs-on\` to the runner's labels; such jobs may run up to 5 days), or split the work into requests of at most ${formatDuration(HOSTED_RUNNER_JOB_LIMIT_MS)}`,
        path: [request.end !== undefined ? 'end' : 'duration'],
      },
    ];
  },
};
