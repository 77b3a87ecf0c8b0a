// The scheduler's and the execute job's workflows, as this repository runs them and as `maint init`
// writes them: the scheduler only on the default branch, in the `maintenance` environment; the execute
// job on the dispatched commit, in the request's environment, one per occurrence, with the inputs the
// scheduler sends, a timeout that fits the longest maintenance, and none of the scheduler's secrets.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { consumerWorkflows } from '../../src/cli/workflow-templates.ts';
import { RELEASE_BUILD } from '../helpers/cli.ts';

import { planEffects } from '../../src/lifecycle/effects.ts';
import { planTick } from '../../src/lifecycle/plan.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { CREDENTIAL_NAMES } from '../../src/outbound/credentials.ts';
import { requestFile } from '../helpers/requests.ts';

/** The pin a release's `maint init` writes. */
const DEFAULT_ACTION_REF = `${RELEASE_BUILD.repository}@${RELEASE_BUILD.releaseCommit} # v${RELEASE_BUILD.version}`;

type Step = { uses?: string; with?: Record<string, unknown> };
type Job = {
  if?: string;
  environment?: unknown;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  steps?: Step[];
};
type Workflow = {
  'run-name'?: string;
  on: Record<string, { inputs?: Record<string, unknown>; workflows?: string[]; types?: string[] } | null>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
};

const init = Object.fromEntries(consumerWorkflows(DEFAULT_ACTION_REF));
const copies = (file: string): [string, string][] => [
  [`.github/workflows/${file}`, readFileSync(`.github/workflows/${file}`, 'utf8')],
  [`maint init: ${file}`, init[file]!],
];

const schedulerSecrets = [
  'MAINT_TOKEN',
  ...Object.values(CREDENTIAL_NAMES).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))),
];

describe.each(copies('maintenance-run.yml'))('the scheduler: %s', (_name, text) => {
  const workflow = parse(text) as Workflow;
  const tick = workflow.jobs.tick!;

  it('runs only on the default branch, in the maintenance environment, without a deployment per tick', () => {
    expect(tick.if).toBe(
      "github.event_name == 'schedule' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch)",
    );
    expect(tick.environment).toBe('maintenance');
  });

  it('ticks on its schedule and as soon as an execute run ends, one at a time, briefly', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch', 'workflow_run']);
    expect(workflow.on.workflow_run).toEqual({ workflows: ['maintenance-execute'], types: ['completed'] });
    expect(workflow.concurrency).toEqual({ group: 'maintenance-run', 'cancel-in-progress': false });
    expect(tick['timeout-minutes']).toBeLessThanOrEqual(15);
  });

  it('may dispatch and read provenance, and nothing more', () => {
    expect(tick.permissions).toEqual({
      contents: 'read',
      issues: 'write',
      actions: 'write',
      'pull-requests': 'read',
      checks: 'read',
    });
  });
});

describe.each(copies('maintenance-execute.yml'))('the execute job: %s', (_name, text) => {
  const workflow = parse(text) as Workflow;
  const jobs = Object.entries(workflow.jobs);

  it('takes exactly the inputs the scheduler dispatches, and is named after its occurrence', () => {
    const file = requestFile('deploy', {
      environment: 'development',
      start: '2027-01-04T00:00',
      steps: '[{name: a, run: x}]',
    });
    const now = Date.parse('2027-01-04T00:05:00Z');
    const plan = planTick({ requests: [file], states: {}, policy: defaultPolicy(), now });
    const blob = 'b'.repeat(40);
    const [occurrence] = planEffects({
      now,
      plan,
      states: {
        deploy: {
          state: 'announced',
          done: ['announce'],
          provenance: {
            ok: true,
            blob,
            sha: 'a'.repeat(40),
            pull: 1,
            commit: 'c'.repeat(40),
            checked: '2027-01-03T00:00:00Z',
          },
        },
      },
      blobs: new Map([['deploy', blob]]),
      provenance: new Map([
        [
          'deploy',
          { decision: { ok: true, blob, sha: 'a'.repeat(40), pull: 1, commit: 'c'.repeat(40) }, comment: '' },
        ],
      ]),
      manual: new Map(),
      executions: new Map(),
      policy: defaultPolicy(),
    });
    const dispatch = occurrence!.effects.find((e) => e.kind === 'dispatch');
    const sent = [...Object.keys(dispatch && 'inputs' in dispatch ? dispatch.inputs : {}), 'issue'].sort();
    expect(Object.keys(workflow.on.workflow_dispatch?.inputs ?? {}).sort()).toEqual(sent);
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    expect(workflow['run-name']).toBe('maintenance ${{ inputs.occurrence }}');
  });

  it('runs one execution per occurrence, never cancelling one in progress', () => {
    expect(workflow.concurrency).toEqual({
      group: 'maintenance-execute-${{ inputs.occurrence }}',
      'cancel-in-progress': false,
    });
  });

  it.each(jobs)(
    'job %s: on the default branch, in the request environment, on the dispatched commit',
    (_job, job) => {
      expect(job.if).toMatch(
        /^github\.ref == format\('refs\/heads\/\{0\}', github\.event\.repository\.default_branch\) && /,
      );
      expect(job.environment).toBe('${{ inputs.environment }}');
      const checkout = job.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!;
      expect(checkout.with).toEqual({ ref: '${{ inputs.sha }}', 'persist-credentials': false });
      const action = job.steps!.find((s) => s.with?.mode === 'execute')!;
      expect(action.with).toMatchObject({ token: '${{ github.token }}', sha: '${{ inputs.sha }}' });
    },
  );

  it('has actions: write only in the job for workflow steps', () => {
    for (const [name, job] of jobs) {
      const workflows = job.if!.endsWith("inputs.workflows == 'true'");
      expect(job.permissions, name).toEqual({
        contents: 'read',
        issues: 'write',
        'pull-requests': 'read',
        checks: 'read',
        ...(workflows ? { actions: 'write' } : {}),
      });
    }
    expect(jobs.map(([, job]) => job.if!.endsWith("inputs.workflows == 'true'")).sort()).toEqual([
      false,
      true,
    ]);
  });

  it('has a timeout that fits the longest maintenance the policy allows, within a hosted job', () => {
    const longest = Math.max(...Object.values(defaultPolicy().maxDuration).map((d) => d ?? 0));
    expect(longest).toBe(6 * 3_600_000);
    for (const [, job] of jobs) {
      expect(job['timeout-minutes']! * 60_000).toBeGreaterThanOrEqual(longest);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(360);
    }
  });

  it("holds none of the scheduler's secrets", () => {
    for (const name of schedulerSecrets) expect(text).not.toMatch(new RegExp(`secrets\\.${name}\\b`));
    expect([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).toEqual(
      expect.arrayContaining(['MAINT_MEMBERS_TOKEN']),
    );
  });
});
