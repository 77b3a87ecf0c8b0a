// executeMaintenance end to end with real scripts: what runs, in which order, what is skipped, when the
// rollback runs, the window's end as a hard limit, the hooks before each item, and interrupted runs.
// Each script appends a line to ran.log in a scratch directory, and so does beforeEach, which proves
// both what ran and that the hook came first. `http:` checks reach a local server the policy allows.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  executeMaintenance,
  workOf,
  type ExecutionContext,
  type MaintenanceWork,
} from '../../src/execute/engine.ts';
import type { ExecutionReport } from '../../src/execute/report.ts';
import type { WorkflowPort } from '../../src/execute/workflow-step.ts';
import type { WorkflowRunInfo } from '../../src/github/port.ts';
import { parseRequest } from '../../src/model/request.ts';
import type { CheckDocument, StepDocument } from '../../src/model/types.ts';
import { isoUtc } from '../../src/schedule/time.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'maint-engine-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noWorkflows: WorkflowPort = {
  dispatchWorkflow: () => Promise.reject(new Error('no workflows here')),
  workflowRun: () => Promise.reject(new Error('no workflows here')),
  cancelWorkflowRun: () => Promise.reject(new Error('no workflows here')),
};

function context(extra: Partial<ExecutionContext> = {}): ExecutionContext {
  return {
    deadline: Date.now() + 60_000,
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    secrets: [],
    workflows: noWorkflows,
    defaultRef: 'main',
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    beforeEach: (item) => appendFile(join(dir, 'ran.log'), `before ${item.key}\n`),
    graceMs: 200,
    ...extra,
  };
}

/** A step or check that logs its name, then runs `then` (default: passes). */
function item(name: string, then = 'true', timeout?: string): StepDocument & CheckDocument {
  return { name, run: `echo ${name} >> ran.log; ${then}`, ...(timeout ? { timeout } : {}) };
}

function work(parts: Partial<MaintenanceWork>): MaintenanceWork {
  return { checksBefore: [], steps: [], checksAfter: [], rollbackSteps: [], ...parts };
}

/** What ran, without the hook's lines. */
async function ran(): Promise<string[]> {
  const log = await readFile(join(dir, 'ran.log'), 'utf8').catch(() => '');
  return log.split('\n').filter((line) => line !== '' && !line.startsWith('before '));
}

function statuses(report: ExecutionReport): string[] {
  return report.items.map((i) => `${i.key} ${i.status}`);
}

describe('executeMaintenance', () => {
  it.each([
    {
      name: 'all pass: completed',
      work: work({
        checksBefore: [item('pre')],
        steps: [item('s1'), item('s2')],
        checksAfter: [item('post')],
        rollbackSteps: [item('rb')],
      }),
      outcome: 'completed',
      reason: 'The 1 pre-check, 2 steps and 1 post-check passed.',
      ran: ['pre', 's1', 's2', 'post'],
      statuses: ['pre-check:0 passed', 'step:0 passed', 'step:1 passed', 'post-check:0 passed'],
    },
    {
      name: 'a pre-check fails: failed, and no step runs',
      work: work({
        checksBefore: [item('pre', 'exit 1'), item('pre2')],
        steps: [{ name: 'change', run: 'touch changed' }],
        checksAfter: [item('post')],
        rollbackSteps: [item('rb')],
      }),
      outcome: 'failed',
      reason: "Pre-check 1 'pre' failed (exit code 1); no step was run.",
      ran: ['pre'],
      statuses: ['pre-check:0 failed', 'pre-check:1 skipped', 'step:0 skipped', 'post-check:0 skipped'],
    },
    {
      name: 'a step fails: the rest is skipped, the rollback runs, then the post-checks: rolled-back',
      work: work({
        steps: [item('s1'), item('s2', 'exit 3'), item('s3')],
        checksAfter: [item('post')],
        rollbackSteps: [item('rb1'), item('rb2')],
      }),
      outcome: 'rolled-back',
      reason:
        "Step 2 's2' failed (exit code 3), and the remaining step was skipped; " +
        'the 2 rollback steps passed and the post-check passed again.',
      ran: ['s1', 's2', 'rb1', 'rb2', 'post'],
      statuses: [
        'step:0 passed',
        'step:1 failed',
        'step:2 skipped',
        'post-check:0 skipped',
        'rollback:0 passed',
        'rollback:1 passed',
        'post-check-after-rollback:0 passed',
      ],
    },
    {
      name: 'a step times out: rolled back like a failure',
      work: work({ steps: [item('s1', 'sleep 30', '1s')], rollbackSteps: [item('rb')] }),
      outcome: 'rolled-back',
      reason: "Step 1 's1' timed out after 1 s: its processes were stopped; the rollback step passed.",
      ran: ['s1', 'rb'],
      statuses: ['step:0 timed-out', 'rollback:0 passed'],
    },
    {
      name: 'a post-check fails: rollback, post-checks again (reported twice): rolled-back',
      work: work({
        steps: [item('s1')],
        checksAfter: [item('post', 'test -f restored')],
        rollbackSteps: [item('rb', 'touch restored')],
      }),
      outcome: 'rolled-back',
      reason:
        "Post-check 1 'post' failed (exit code 1); the rollback step passed and the post-check passed again.",
      ran: ['s1', 'post', 'rb', 'post'],
      statuses: [
        'step:0 passed',
        'post-check:0 failed',
        'rollback:0 passed',
        'post-check-after-rollback:0 passed',
      ],
    },
    {
      name: 'the rollback fails: failed',
      work: work({
        steps: [item('s1', 'exit 1')],
        checksAfter: [item('post')],
        rollbackSteps: [item('rb1', 'exit 2'), item('rb2')],
      }),
      outcome: 'failed',
      reason:
        "Step 1 's1' failed (exit code 1); " +
        "then rollback step 1 'rb1' failed (exit code 2): it needs a person.",
      ran: ['s1', 'rb1'],
      statuses: [
        'step:0 failed',
        'post-check:0 skipped',
        'rollback:0 failed',
        'rollback:1 skipped',
        'post-check-after-rollback:0 skipped',
      ],
    },
    {
      name: 'the post-checks still fail after the rollback: failed',
      work: work({
        steps: [item('s1')],
        checksAfter: [item('post', 'exit 1')],
        rollbackSteps: [item('rb')],
      }),
      outcome: 'failed',
      reason:
        "Post-check 1 'post' failed (exit code 1); the rollback step passed, " +
        "but then post-check 1 'post' failed (exit code 1): it needs a person.",
      ran: ['s1', 'post', 'rb', 'post'],
      statuses: [
        'step:0 passed',
        'post-check:0 failed',
        'rollback:0 passed',
        'post-check-after-rollback:0 failed',
      ],
    },
    {
      name: 'a step fails and there are no rollback steps: failed',
      work: work({ steps: [item('s1', 'exit 1')] }),
      outcome: 'failed',
      reason: "Step 1 's1' failed (exit code 1); there are no rollback steps: it needs a person.",
      ran: ['s1'],
      statuses: ['step:0 failed'],
    },
  ])('$name', async (row) => {
    const report = await executeMaintenance(row.work, context());
    expect(report.outcome).toBe(row.outcome);
    expect(report.reason).toBe(row.reason);
    expect(report.windowEndReached).toBe(false);
    expect(await ran()).toEqual(row.ran);
    expect(statuses(report)).toEqual(row.statuses);
  });

  it('proves a failed pre-check ran no step: the step would have created a file', async () => {
    await executeMaintenance(
      work({ checksBefore: [item('pre', 'exit 1')], steps: [{ name: 'change', run: 'touch changed' }] }),
      context(),
    );
    await expect(readFile(join(dir, 'changed'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("runs a request file's work as written", async () => {
    const text = await readFile(new URL('../fixtures/execute/cache-flush.yaml', import.meta.url), 'utf8');
    const parsed = parseRequest({ path: 'maintenance/2027/cache-flush.yaml', text });
    expect(parsed.findings).toEqual([]);
    const report = await executeMaintenance(workOf(parsed.request!), context());
    expect(report).toMatchObject({
      outcome: 'completed',
      reason: 'The 1 pre-check, 3 steps and 1 post-check passed.',
    });
    expect(report.items.find((i) => i.key === 'step:2')?.output).toBe(
      'warming home\nwarming search\nwarming account\n',
    );
  });

  it('masks secrets in the output and details it reports', async () => {
    const secret = 'tok-3f9a8b7c6d';
    const report = await executeMaintenance(
      work({ steps: [{ name: 'use token', run: 'echo "using $TOKEN"; exit 4' }] }),
      context({ env: { PATH: process.env.PATH ?? '', TOKEN: secret }, secrets: [secret, 'ab'] }),
    );
    expect(report.items[0]).toMatchObject({ status: 'failed', exitCode: 4, output: 'using ***\n' });
  });
});

describe("the window's end", () => {
  it('stops a step still running at the deadline, skips the rest and rolls back after it', async () => {
    const deadline = Date.now() + 500;
    const started = Date.now();
    const report = await executeMaintenance(
      work({
        steps: [item('s1'), item('s2', 'sleep 30', '10m'), item('s3')],
        checksAfter: [item('post')],
        rollbackSteps: [item('rb', 'sleep 0.3')],
      }),
      context({ deadline }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.outcome).toBe('rolled-back');
    expect(report.windowEndReached).toBe(true);
    expect(report.reason).toBe(
      `The window's end (${isoUtc(deadline)}) was reached during step 2 's2', which was stopped, and the ` +
        'remaining step was skipped; the rollback step passed and the post-check passed again.',
    );
    expect(statuses(report)).toEqual([
      'step:0 passed',
      'step:1 stopped-at-deadline',
      'step:2 skipped',
      'post-check:0 skipped',
      'rollback:0 passed',
      'post-check-after-rollback:0 passed',
    ]);
    expect(report.items[1]?.detail).toBe(
      `stopped at the window's end (${isoUtc(deadline)}): its processes were stopped`,
    );
    expect(await ran()).toEqual(['s1', 's2', 'rb', 'post']);
  });

  it('runs nothing when the window has already ended, and calls no hook', async () => {
    const hooks: string[] = [];
    const deadline = Date.now() - 1;
    const report = await executeMaintenance(
      work({ checksBefore: [item('pre')], steps: [item('s1')], rollbackSteps: [item('rb')] }),
      context({ deadline, beforeEach: async (i) => void hooks.push(i.key) }),
    );
    expect(report).toMatchObject({ outcome: 'failed', windowEndReached: true });
    expect(report.reason).toBe(
      `The window's end (${isoUtc(deadline)}) was reached before pre-check 1 'pre' could start; ` +
        'no step was run.',
    );
    expect(hooks).toEqual([]);
    expect(await ran()).toEqual([]);
  });

  it('cancels a workflow step still running at the deadline, then rolls back with a workflow', async () => {
    let clock = 0;
    const runs = new Map<number, WorkflowRunInfo>();
    const calls: string[] = [];
    const workflows: WorkflowPort = {
      async dispatchWorkflow(workflow, ref, inputs) {
        const id = runs.size + 1;
        calls.push(`dispatch ${workflow}@${ref} ${JSON.stringify(inputs)}`);
        // The deploy never finishes by itself; the rollback workflow completes at once.
        const done = workflow === 'rollback.yml';
        runs.set(id, {
          id,
          status: done ? 'completed' : 'in_progress',
          conclusion: done ? 'success' : null,
          htmlUrl: `https://github.com/acme/app/actions/runs/${id}`,
          createdAt: '',
        });
        return { runId: id, htmlUrl: `https://github.com/acme/app/actions/runs/${id}` };
      },
      workflowRun: async (id) => ({ ...runs.get(id)! }),
      async cancelWorkflowRun(id) {
        calls.push(`cancel ${id}`);
        runs.set(id, { ...runs.get(id)!, status: 'completed', conclusion: 'cancelled' });
        return true;
      },
    };
    const report = await executeMaintenance(
      work({
        steps: [{ name: 'deploy', workflow: 'deploy.yml', inputs: { version: 2 } }],
        rollbackSteps: [{ name: 'undo', workflow: 'rollback.yml', ref: 'stable' }],
      }),
      context({
        deadline: 5000,
        workflows,
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
        pollIntervalMs: 1000,
      }),
    );
    expect(calls).toEqual([
      'dispatch deploy.yml@main {"version":"2"}',
      'cancel 1',
      'dispatch rollback.yml@stable {}',
    ]);
    expect(report.outcome).toBe('rolled-back');
    expect(report.items[0]).toMatchObject({
      key: 'step:0',
      status: 'stopped-at-deadline',
      detail: `stopped at the window's end (${isoUtc(5000)}): run 1 was in_progress; it was cancelled`,
      runUrl: 'https://github.com/acme/app/actions/runs/1',
      durationMs: 5000,
    });
    expect(report.items[1]).toMatchObject({
      key: 'rollback:0',
      status: 'passed',
      detail: 'run 2 concluded success',
    });
  });
});

describe('nothing is ever run twice', () => {
  it('calls beforeEach before each item runs and afterEach after, in order', async () => {
    const calls: string[] = [];
    await executeMaintenance(
      work({ checksBefore: [item('pre')], steps: [item('s1', 'exit 1')], rollbackSteps: [item('rb')] }),
      context({
        beforeEach: async (i) => {
          calls.push(`before ${i.key} ${i.name}`);
          await appendFile(join(dir, 'ran.log'), `before ${i.key}\n`);
        },
        afterEach: async (r) => void calls.push(`after ${r.key} ${r.status}`),
      }),
    );
    expect(calls).toEqual([
      'before pre-check:0 pre',
      'after pre-check:0 passed',
      'before step:0 s1',
      'after step:0 failed',
      'before rollback:0 rb',
      'after rollback:0 passed',
    ]);
    // The hook's line comes before the item's own in the shared log.
    expect(await readFile(join(dir, 'ran.log'), 'utf8')).toBe(
      'before pre-check:0\npre\nbefore step:0\ns1\nbefore rollback:0\nrb\n',
    );
  });

  it('stops without running an item whose beforeEach throws, and runs nothing after it', async () => {
    const report = await executeMaintenance(
      work({ steps: [item('s1'), item('s2'), item('s3')], rollbackSteps: [item('rb')] }),
      context({
        beforeEach: async (i) => {
          if (i.key === 'step:1') throw new Error('the issue could not be updated');
        },
      }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.reason).toBe(
      "Stopped before step 2 's2' (the issue could not be updated); nothing more was run: it needs a person.",
    );
    expect(await ran()).toEqual(['s1']);
    expect(statuses(report)).toEqual(['step:0 passed', 'step:1 skipped']);
  });

  it.each([
    ['only the interrupted step', ['step:1'], "step 2 's2'"],
    ['everything the interrupted run began', ['pre-check:0', 'step:0', 'step:1'], "step 2 's2'"],
  ])('runs nothing again when given %s', async (_name, keys, label) => {
    const hooks: string[] = [];
    const report = await executeMaintenance(
      work({ checksBefore: [item('pre')], steps: [item('s1'), item('s2')], rollbackSteps: [item('rb')] }),
      context({ alreadyStarted: new Set(keys), beforeEach: async (i) => void hooks.push(i.key) }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.reason).toBe(
      `A previous run was interrupted after it began ${label}; nothing was run again: it needs a person to ` +
        'check the system and finish or roll back by hand.',
    );
    expect(statuses(report)).toEqual(['step:1 skipped']);
    expect(hooks).toEqual([]);
    expect(await ran()).toEqual([]);
  });
});

describe('http checks in the work', () => {
  let server: Server;
  let url: string;

  beforeEach(async () => {
    server = createServer((req, res) => {
      res
        .writeHead(req.url === '/ready' ? 200 : 503)
        .end(`not ready: password=${SECRET}\n${'x'.repeat(5000)}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const SECRET = 'pw-9c8b7a6f5e';
  const healthWork = () =>
    work({
      checksBefore: [{ name: 'ready', http: { url: `${url}/ready` } }],
      steps: [item('s1')],
      checksAfter: [{ name: 'healthy', http: { url: `${url}/health` } }],
      rollbackSteps: [item('rb')],
    });

  it('reaches a local server only when the policy lists it in checks.allow_hosts', async () => {
    const refused = await executeMaintenance(healthWork(), context());
    expect(refused.outcome).toBe('failed');
    expect(refused.items[0]).toMatchObject({
      key: 'pre-check:0',
      status: 'failed',
      detail: expect.stringMatching(/refused: host localhost resolves to .*`checks\.allow_hosts`/),
    });
    expect(await ran()).toEqual([]);

    const allowed = await executeMaintenance(
      healthWork(),
      context({ checks: { allowHosts: ['localhost'] }, secrets: [SECRET] }),
    );
    expect(statuses(allowed)).toEqual([
      'pre-check:0 passed',
      'step:0 passed',
      'post-check:0 failed',
      'rollback:0 passed',
      'post-check-after-rollback:0 failed',
    ]);
    const failed = allowed.items.find((i) => i.key === 'post-check:0')!;
    expect(failed).toMatchObject({
      httpStatus: 503,
      detail: expect.stringMatching(/^HTTP 503 in \d+ ms, expected 2xx$/),
    });
    expect(failed.output).toMatch(/^not ready: password=\*\*\* x+…$/);
    expect(failed.output!.length).toBeLessThanOrEqual(200);
  });
});
