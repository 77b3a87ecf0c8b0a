// Runs the bundled action (dist/index.js) as a child process, the way the GitHub runner does:
// inputs as INPUT_* variables, the event payload in a file named by GITHUB_EVENT_PATH, outputs and
// the job summary written to the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };

const ACTION_MAIN = resolve('dist/index.js');

/**
 * The Node that runs the action: MAINT_TEST_NODE when set (.ci/run sets Node 24, the runtime
 * action.yml names), else the one running the tests.
 */
export const ACTION_NODE = process.env.MAINT_TEST_NODE || process.execPath;

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Milliseconds from spawning to exit. */
  elapsedMs: number;
  /** Peak resident memory of the action's process, when measured (`measureMemory`). */
  maxRssKiB?: number;
  /** GITHUB_WORKSPACE of the run. */
  workspace: string;
}

export interface ActionOptions {
  apiUrl: string;
  repository: string;
  eventName: string;
  payload: unknown;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  workspace?: string;
  /** Options for node itself, before the action's file (the benchmark preloads a reporter). */
  nodeArgs?: string[];
  /** Run under GNU time to measure the peak resident memory (for benchmarks). */
  measureMemory?: boolean;
  /** Start the action in a process group (and session) of its own, as a job's step runs apart. */
  detached?: boolean;
}

/** `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core writes them. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export async function runAction(options: ActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'maint-action-'));
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0]!,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'maintenance',
    GITHUB_ACTOR: 'github-actions[bot]',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKSPACE: options.workspace ?? dir,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = performance.now();
  // The action lives apart from the workspace, as on a runner.
  const nodeArgs = options.nodeArgs ?? [];
  const rssPath = join(dir, 'rss');
  const [command, args] = options.measureMemory
    ? ['/usr/bin/time', ['-f', '%M', '-o', rssPath, ACTION_NODE, ...nodeArgs, ACTION_MAIN]]
    : [ACTION_NODE, [...nodeArgs, ACTION_MAIN]];
  const child = spawn(command, args, {
    env,
    cwd: options.workspace ?? process.cwd(),
    ...(options.detached ? { detached: true } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    elapsedMs: performance.now() - started,
    ...(options.measureMemory
      ? { maxRssKiB: Number(readFileSync(rssPath, 'utf8').trim().split('\n').pop()) }
      : {}),
    workspace: options.workspace ?? dir,
  };
}

type Example = { name: string; examples: Record<string, unknown>[] };

/** A real webhook payload of GitHub's documentation (@octokit/webhooks-examples), by event and action. */
export function webhookExample(event: string, action?: string): Record<string, unknown> {
  const found = (examples as Example[]).find((e) => e.name === event);
  const example = found?.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no example for ${event}${action ? `.${action}` : ''}`);
  return structuredClone(example);
}

interface PullRequestEventOptions {
  repository: string;
  number: number;
  /** The head the event describes; the action checks it against the files GitHub lists. */
  headSha: string;
  baseSha: string;
  author: string;
  forkOwner?: string;
}

/** A pull_request / pull_request_target payload re-pointed at the test repository. */
export function pullRequestEvent(action: string, options: PullRequestEventOptions): Record<string, unknown> {
  const payload = webhookExample('pull_request', action);
  const [owner, name] = options.repository.split('/') as [string, string];
  const pr = payload.pull_request as Record<string, Record<string, unknown>> & {
    number: number;
    user: { login: string };
  };
  const repository = {
    ...(payload.repository as object),
    name,
    full_name: options.repository,
    owner: { login: owner },
  };
  pr.number = options.number;
  payload.number = options.number;
  pr.user = { ...pr.user, login: options.author };
  pr.head = {
    ...pr.head,
    sha: options.headSha,
    repo: {
      ...repository,
      full_name: options.forkOwner ? `${options.forkOwner}/${name}` : options.repository,
      fork: !!options.forkOwner,
    },
  };
  pr.base = { ...pr.base, sha: options.baseSha, repo: repository };
  payload.repository = repository;
  return payload;
}

/** A workflow_run payload for a run triggered by a review on a (fork) pull request. */
export function workflowRunEvent(options: {
  repository: string;
  headSha: string;
  headBranch: string;
  headOwner: string;
}) {
  const payload = webhookExample('workflow_run');
  const run = payload.workflow_run as Record<string, unknown>;
  const [owner, name] = options.repository.split('/') as [string, string];
  run.head_sha = options.headSha;
  run.head_branch = options.headBranch;
  run.event = 'pull_request_review';
  run.pull_requests = []; // empty for fork pull requests
  run.head_repository = {
    ...(run.head_repository as object),
    full_name: `${options.headOwner}/${name}`,
    owner: { login: options.headOwner },
  };
  payload.repository = {
    ...(payload.repository as object),
    name,
    full_name: options.repository,
    owner: { login: owner },
  };
  return payload;
}
