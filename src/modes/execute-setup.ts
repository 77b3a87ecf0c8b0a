// Wires `mode: execute` on a runner: the dispatch's inputs read and checked for form, the checkout
// (its commit, requests, policy and file blobs), and the environment `run:` steps get: the job's own
// environment (the GitHub environment's secrets the workflow maps in) without the runner's tokens and
// maint's inputs. The scheduler's secrets are not in this job at all; should any be mapped in by
// mistake, they are kept from steps too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { ExecuteInputs } from '../execute/admission.ts';
import type { MaintenanceRepo } from '../github/port.ts';
import { parseOccurrenceKey } from '../lifecycle/keys.ts';
import { CREDENTIAL_NAMES } from '../outbound/credentials.ts';
import { gitBlobSha } from '../provenance/blob.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { runExecute, type Checkout, type ExecuteOutcome } from './execute.ts';

export interface ExecuteSetup {
  workspace: string;
  dir: string;
  /** The inputs as the workflow passed them (untrusted text). */
  inputs: Record<'request' | 'occurrence' | 'sha' | 'environment' | 'issue' | 'workflows', string>;
  defaultRef: string;
  ref: string;
  run: number;
  attempt: number;
  runUrl?: string;
  checkName: string;
  env: Record<string, string | undefined>;
  now: () => number;
  log: (message: string) => void;
}

/** The inputs in the form they must have; anything else is refused before any API call. */
export function parseExecuteInputs(raw: ExecuteSetup['inputs']): ExecuteInputs {
  const fail = (name: string, expected: string) => {
    throw new Error(
      `input ${name}: expected ${expected}, not ${JSON.stringify(raw[name as keyof typeof raw])}`,
    );
  };
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(raw.request)) fail('request', 'a request id');
  if (parseOccurrenceKey(raw.occurrence)?.id !== raw.request)
    fail('occurrence', `an occurrence key of ${raw.request}`);
  if (!/^[0-9a-f]{40}$/.test(raw.sha)) fail('sha', 'a full commit SHA');
  if (!/^[A-Za-z0-9_.-]{1,255}$/.test(raw.environment)) fail('environment', 'an environment name');
  if (!/^[1-9]\d{0,9}$/.test(raw.issue)) fail('issue', 'an issue number');
  if (raw.workflows !== 'true' && raw.workflows !== 'false') fail('workflows', 'true or false');
  return {
    request: raw.request,
    occurrence: raw.occurrence,
    sha: raw.sha,
    environment: raw.environment,
    issue: Number(raw.issue),
    workflows: raw.workflows === 'true',
  };
}

/** Never handed to steps: the runner's own tokens and maint's inputs. */
const RUNNER_SECRETS =
  /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_.*|ACTIONS_RESULTS_URL|ACTIONS_CACHE_URL|GITHUB_TOKEN)$/;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|WEBHOOK|AUTH/i;

/** What steps see: the job's environment without maint's own tokens and credentials. */
export function stepEnvironment(env: Record<string, string | undefined>): {
  env: Record<string, string>;
  secrets: string[];
} {
  const credentialNames = new Set<string>(
    Object.values(CREDENTIAL_NAMES).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))),
  );
  const out: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (RUNNER_SECRETS.test(name) || credentialNames.has(name)) {
      // Kept from steps; masked when it is a credential (INPUT_TOKEN, not INPUT_REQUEST).
      if (!name.startsWith('INPUT_') || SECRET_NAME.test(name)) secrets.push(value);
      continue;
    }
    if (SECRET_NAME.test(name)) secrets.push(value);
    out[name] = value;
  }
  return { env: out, secrets: secrets.filter((s) => s.length >= 4) };
}

/** The commit the workspace has checked out, if it is a git checkout. */
function checkedOut(workspace: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: workspace,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export function readCheckout(workspace: string, dir: string, now: number): Checkout {
  const root = resolve(workspace);
  const head = checkedOut(root);
  return {
    root,
    ...(head ? { head } : {}),
    files: readRequests([dir], root),
    policy: loadPolicy(undefined, root, now).policy,
    blobOf: (path) => {
      const absolute = resolve(root, path);
      const inside = relative(root, absolute);
      if (inside.startsWith('..') || inside.startsWith(sep)) return undefined;
      return existsSync(absolute) && statSync(absolute).isFile()
        ? gitBlobSha(readFileSync(absolute))
        : undefined;
    },
  };
}

export async function executeFromWorkspace(
  github: MaintenanceRepo,
  setup: ExecuteSetup,
): Promise<ExecuteOutcome> {
  const inputs = parseExecuteInputs(setup.inputs);
  const { env, secrets } = stepEnvironment(setup.env);
  return runExecute(
    {
      github,
      now: setup.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: setup.log,
    },
    {
      inputs,
      defaultRef: setup.defaultRef,
      ref: setup.ref,
      run: setup.run,
      attempt: setup.attempt,
      ...(setup.runUrl ? { runUrl: setup.runUrl } : {}),
      checkName: setup.checkName,
      checkout: readCheckout(setup.workspace, setup.dir, setup.now()),
      stepEnv: env,
      secrets,
    },
  );
}
