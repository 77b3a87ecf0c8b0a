// Wires `mode: run` on a runner: the default branch's checkout (requests, policy, CODEOWNERS,
// templates), the services' credentials from the environment, what steps may see of it, then one
// tick and, in the first days of a month, the report issue.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { CODEOWNERS_LOCATIONS } from '../approvals/codeowners.ts';
import { executeMaintenance } from '../execute/engine.ts';
import type { MaintenanceRepo } from '../github/port.ts';
import { loadTemplates } from '../notices/template-loader.ts';
import { CREDENTIAL_NAMES, credentialsFrom } from '../outbound/credentials.ts';
import { createOutbound } from '../outbound/port.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { pullRequestsOfFiles } from '../workspace/pull-links.ts';

import { ensureMonthlyReport } from './monthly-report.ts';
import { runTick, type TickReport } from './run.ts';

export interface RunSetup {
  workspace: string;
  dir: string;
  repo: { owner: string; name: string };
  serverUrl: string;
  runUrl?: string;
  defaultRef: string;
  /** The running workflow's file, for the report's scheduler health. */
  workflowFile?: string;
  env: Record<string, string | undefined>;
  now: () => number;
  log: (message: string) => void;
}

/** Never handed to steps: the runner's own tokens and maint's inputs. */
const RUNNER_SECRETS =
  /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_.*|ACTIONS_RESULTS_URL|ACTIONS_CACHE_URL|GITHUB_TOKEN)$/;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|WEBHOOK|AUTH/i;

/** What steps see: the workflow step's environment without maint's own tokens and credentials. */
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
      secrets.push(value);
      continue;
    }
    if (SECRET_NAME.test(name)) secrets.push(value);
    out[name] = value;
  }
  return { env: out, secrets: secrets.filter((s) => s.length >= 4) };
}

export async function runFromWorkspace(github: MaintenanceRepo, setup: RunSetup): Promise<TickReport> {
  const now = setup.now();
  const { policy } = loadPolicy(undefined, setup.workspace, now);
  const files = readRequests([setup.dir], setup.workspace);
  const codeownersPath = CODEOWNERS_LOCATIONS.map((p) => join(setup.workspace, p)).find((p) => existsSync(p));
  const templates = loadTemplates({
    root: setup.workspace,
    ...(policy.notices.templatesDir ? { userDir: policy.notices.templatesDir } : {}),
  }).source;
  const secret = (name: string) => setup.env[name] || undefined;
  const { env, secrets } = stepEnvironment(setup.env);
  const requestPaths = new Map(
    files.flatMap((f) => (f.request ? [[resolve(setup.workspace, f.path), f.id] as const] : [])),
  );
  const pulls = pullRequestsOfFiles(resolve(setup.workspace, setup.dir), [...requestPaths.keys()]);
  const pullRequests = new Map([...pulls].map(([path, number]) => [requestPaths.get(path)!, number]));

  const report = await runTick(
    {
      github,
      outbound: createOutbound({
        policy,
        credentials: credentialsFrom(secret),
        http: { logger: { info: setup.log, warn: setup.log } },
      }),
      execute: executeMaintenance,
      now: setup.now,
      log: setup.log,
    },
    {
      files,
      policy,
      templates,
      codeowners: codeownersPath ? readFileSync(codeownersPath, 'utf8') : null,
      pullRequests,

      repo: setup.repo,
      serverUrl: setup.serverUrl,
      ...(setup.runUrl ? { runUrl: setup.runUrl } : {}),
      defaultRef: setup.defaultRef,
      workspace: setup.workspace,
      stepEnv: env,
      secrets,
      secret,
    },
  );
  try {
    const made = await ensureMonthlyReport(github, {
      files,
      policy,
      now,
      facts: async () => {
        const activity = await github.repositoryActivity();
        // The newest scheduled run is this one; the report is about the one before.
        const runs = setup.workflowFile ? await github.scheduledRuns(setup.workflowFile, 2) : [];
        const previous = runs[1]?.createdAt;
        return {
          isPublic: activity.isPublic,
          ...(activity.pushedAt ? { lastActivityAt: Date.parse(activity.pushedAt) } : {}),
          ...(previous ? { previousRunAt: Date.parse(previous) } : {}),
        };
      },
    });
    if (made !== undefined) setup.log(`opened the monthly report #${made}`);
  } catch (error) {
    report.problems.push(`monthly report: ${error instanceof Error ? error.message : String(error)}`);
  }
  return report;
}
