// Wires `mode: run` (the scheduler tick) on a runner: it refuses any ref but the default branch, then
// reads the default branch's checkout (requests and their blobs, policy, CODEOWNERS, templates) and
// the services' credentials from the environment, runs one tick and, in the first days of a month,
// makes the report issue. It runs no work: checks and steps belong to `mode: execute`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { CODEOWNERS_LOCATIONS } from '../approvals/codeowners.ts';
import type { MaintenanceRepo } from '../github/port.ts';
import { loadTemplates } from '../notices/template-loader.ts';
import { credentialsFrom } from '../outbound/credentials.ts';
import { createOutbound } from '../outbound/port.ts';
import { gitBlobSha } from '../provenance/blob.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { pullRequestsOfFiles } from '../workspace/pull-links.ts';
import { gitSequenceOf } from '../workspace/sequence.ts';

import { ensureMonthlyReport } from './monthly-report.ts';
import { runTick, type TickReport } from './run.ts';

export interface RunSetup {
  workspace: string;
  dir: string;
  repo: { owner: string; name: string };
  serverUrl: string;
  runUrl?: string;
  defaultRef: string;
  /** The ref the run is on (GITHUB_REF) and the commit checked out (GITHUB_SHA). */
  ref: string;
  head: string;
  checkName: string;
  /** The running workflow's file, for the report's scheduler health. */
  workflowFile?: string;
  env: Record<string, string | undefined>;
  now: () => number;
  log: (message: string) => void;
}

/** The tick runs only on the default branch, whatever started it. */
export function refuseOtherRefs(ref: string, defaultRef: string, mode: string): void {
  if (ref !== `refs/heads/${defaultRef}`)
    throw new Error(
      `mode: ${mode} runs only on the default branch (refs/heads/${defaultRef}), not on ${ref || 'an unknown ref'}: ` +
        `its requests, policy and workflow must be the reviewed ones. Guard the job with ` +
        `\`if: github.ref == format('refs/heads/{0}', github.event.repository.default_branch)\``,
    );
}

export async function runFromWorkspace(github: MaintenanceRepo, setup: RunSetup): Promise<TickReport> {
  refuseOtherRefs(setup.ref, setup.defaultRef, 'run');
  const now = setup.now();
  const { policy } = loadPolicy(undefined, setup.workspace, now);
  const files = readRequests([setup.dir], setup.workspace);
  const codeownersPath = CODEOWNERS_LOCATIONS.map((p) => join(setup.workspace, p)).find((p) => existsSync(p));
  const templates = loadTemplates({
    root: setup.workspace,
    ...(policy.notices.templatesDir ? { userDir: policy.notices.templatesDir } : {}),
  }).source;
  const secret = (name: string) => setup.env[name] || undefined;
  const blobs = new Map(
    files.flatMap((f) =>
      f.request ? [[f.id, gitBlobSha(readFileSync(resolve(setup.workspace, f.path)))] as const] : [],
    ),
  );
  const requestPaths = new Map(
    files.flatMap((f) => (f.request ? [[resolve(setup.workspace, f.path), f.id] as const] : [])),
  );
  const directory = resolve(setup.workspace, setup.dir);
  const pulls = pullRequestsOfFiles(directory, [...requestPaths.keys()]);
  const sequenceOf = gitSequenceOf(directory);
  const pullRequests = new Map([...pulls].map(([path, number]) => [requestPaths.get(path)!, number]));

  const report = await runTick(
    {
      github,
      outbound: createOutbound({
        policy,
        credentials: credentialsFrom(secret),
        http: { logger: { info: setup.log, warn: setup.log } },
      }),
      now: setup.now,
      log: setup.log,
    },
    {
      files,
      blobs,
      policy,
      templates,
      codeowners: codeownersPath ? readFileSync(codeownersPath, 'utf8') : null,
      pullRequests,

      repo: setup.repo,
      serverUrl: setup.serverUrl,
      ...(setup.runUrl ? { runUrl: setup.runUrl } : {}),
      defaultRef: setup.defaultRef,
      ref: setup.ref,
      head: setup.head,
      checkName: setup.checkName,
      secret,
      // The e-mailed event's SEQUENCE, as the publish mode computes the feeds'.
      eventSequence: (request) => sequenceOf({ ...request, file: resolve(setup.workspace, request.file) }),
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
