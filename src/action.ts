// Entry of action.yml: read the inputs once into settings, pick the mode, report its outcome. Every
// decision happens in the modes and the pure modules they call.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { createMaintenanceRepo } from './github/octokit.ts';
import type { MaintenanceRepo } from './github/port.ts';
import { builtInTemplatesDir, readTemplateFolder } from './notices/template-loader.ts';
import { runIntake, VALIDATE_WORKFLOW } from './modes/intake.ts';
import { publishSite } from './modes/publish.ts';
import { executeFromWorkspace } from './modes/execute-setup.ts';
import { runFromWorkspace } from './modes/run-setup.ts';
import { CHECK_NAME, runValidate } from './modes/validate.ts';
import { createConditionalIssues, createMemberReader } from './github/members.ts';
import { createPagesReader } from './github/pages.ts';
import { runHub } from './modes/hub.ts';

const MODES = ['validate', 'publish', 'run', 'execute', 'intake', 'hub'] as const;
type Mode = (typeof MODES)[number];
const isMode = (name: string): name is Mode => (MODES as readonly string[]).includes(name);

interface ActionSettings {
  mode: Mode;
  token: string;
  checkName: string;
  owner: string;
  repo: string;
  apiUrl?: string;
  runUrl?: string;
  eventName: string;
  eventPath: string;
  workspace: string;
  serverUrl: string;
  out: string;
  dir: string;
  baseUrl?: string;
  validateWorkflow: string;
  /** mode hub: the token that reads the member repositories (a GitHub App installation token). */
  repositoriesToken?: string;
}

function readSettings(env: NodeJS.ProcessEnv): ActionSettings {
  const mode = core.getInput('mode', { required: true });
  if (!isMode(mode)) throw new Error(`input mode: expected ${MODES.join(', ')}, not "${mode}"`);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new Error('GITHUB_REPOSITORY is not set: run maint as a GitHub Action');
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    mode,
    token: core.getInput('token', { required: true }),
    checkName: core.getInput('check-name') || CHECK_NAME,
    owner,
    repo,
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    ...(env.GITHUB_RUN_ID ? { runUrl: `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH ?? '',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    serverUrl: server,
    out: core.getInput('out') || 'site',
    dir: core.getInput('dir') || 'maintenance',
    ...(core.getInput('base-url') ? { baseUrl: core.getInput('base-url') } : {}),
    validateWorkflow: core.getInput('validate-workflow') || VALIDATE_WORKFLOW,
    ...(core.getInput('repositories-token')
      ? { repositoriesToken: core.getInput('repositories-token') }
      : {}),
  };
}

/** `owner/repo/.github/workflows/maintenance-run.yml@refs/heads/main` -> `maintenance-run.yml`. */
function workflowFile(ref: string | undefined): string | undefined {
  return ref ? /\/([^/@]+\.ya?ml)@/.exec(ref)?.[1] : undefined;
}

/**
 * The default branch, from the event (GitHub writes it into every payload but `schedule`'s; scheduled
 * runs happen only on the default branch, so there it is the run's own branch).
 */
function defaultBranchOf(eventName: string, payload: Record<string, unknown>): string {
  const named = (payload as { repository?: { default_branch?: string } }).repository?.default_branch;
  if (named) return named;
  if (eventName === 'schedule' && process.env.GITHUB_REF_NAME) return process.env.GITHUB_REF_NAME;
  throw new Error(
    `the ${eventName || 'unknown'} event names no default branch: run maint on schedule, workflow_dispatch or workflow_run`,
  );
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  core.setSecret(settings.token);
  const repo = createMaintenanceRepo({
    token: settings.token,
    owner: settings.owner,
    repo: settings.repo,
    ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}),
    log: (message) => core.warning(message),
  });
  if (settings.mode === 'hub') return runHubMode(settings, repo);
  const payload = JSON.parse(readFileSync(settings.eventPath, 'utf8')) as Record<string, unknown>;
  if (settings.mode === 'validate') {
    const outcome = await runValidate(
      { repo, now: () => Date.now(), log: (message) => core.info(message) },
      {
        checkName: settings.checkName,
        ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
        templates: readTemplateFolder(builtInTemplatesDir(), 'templates'),
      },
      { name: settings.eventName, payload },
    );
    core.setOutput('valid', String(outcome.valid));
    core.setOutput('approved', String(outcome.approved));
    core.setOutput('missing-approvals', JSON.stringify(outcome.missingApprovals));
    core.setOutput('conclusion', outcome.conclusion);
    await core.summary.addRaw(outcome.summary, true).write();
    if (!outcome.valid)
      core.setFailed(`maintenance requests have errors: see ${outcome.commentUrl ?? 'the check run'}`);
    return;
  }
  if (settings.mode === 'intake') {
    await intake(repo, settings, payload);
    return;
  }
  if (settings.mode === 'publish') {
    const outcome = await publishSite(
      {
        root: settings.workspace,
        dir: settings.dir,
        out: settings.out,
        now: Date.now(),
        repo: { owner: settings.owner, name: settings.repo },
        serverUrl: settings.serverUrl,
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      },
      repo,
    );
    for (const skipped of outcome.skipped)
      core.warning(`${skipped.path} left out of the site: ${skipped.reason}`);
    for (const warning of outcome.warnings) core.warning(warning);
    core.setOutput('site', outcome.out);
    core.setOutput('url', outcome.baseUrl ?? '');
    await core.summary
      .addRaw(
        `Published ${outcome.files} files to \`${outcome.out}/\`: ${outcome.feeds} calendar feeds, the schedule page, ${outcome.schemas} JSON Schemas and ${outcome.notices} notices.${outcome.baseUrl ? ` Subscribe at ${outcome.baseUrl}` : ''}`,
        true,
      )
      .write();
    return;
  }
  const defaultRef = defaultBranchOf(settings.eventName, payload);
  if (settings.mode === 'execute') {
    const input = (name: string) => core.getInput(name, { required: true });
    const membersToken = core.getInput('members-token');
    if (membersToken) core.setSecret(membersToken);
    // Team membership is read with its own token; everything else with the job's.
    const members = membersToken
      ? createMaintenanceRepo({
          token: membersToken,
          owner: settings.owner,
          repo: settings.repo,
          ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}),
        })
      : undefined;
    const outcome = await executeFromWorkspace(
      members ? { ...repo, teamMembers: members.teamMembers } : repo,
      {
        workspace: settings.workspace,
        dir: settings.dir,
        inputs: {
          request: input('request'),
          occurrence: input('occurrence'),
          sha: input('sha'),
          environment: input('environment'),
          issue: input('issue'),
          workflows: core.getInput('workflows') || 'false',
        },
        defaultRef,
        ref: process.env.GITHUB_REF ?? '',
        run: Number(process.env.GITHUB_RUN_ID ?? 0),
        attempt: Number(process.env.GITHUB_RUN_ATTEMPT ?? 1),
        ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
        checkName: settings.checkName,
        env: process.env,
        now: () => Date.now(),
        log: (message) => core.info(message),
      },
    );
    core.setOutput('outcome', outcome.admitted ? (outcome.outcome ?? '') : 'refused');
    await core.summary
      .addRaw(
        `### maint execute

${outcome.admitted ? `Outcome: **${outcome.outcome}**. ` : '**Refused**: '}${outcome.reason}`,
        true,
      )
      .write();
    if (!outcome.admitted) core.setFailed(`maint execute refused: ${outcome.reason}`);
    else if (outcome.outcome !== 'completed')
      core.setFailed(`maint execute: ${outcome.outcome}: ${outcome.reason}`);
    return;
  }
  const report = await runFromWorkspace(repo, {
    workspace: settings.workspace,
    dir: settings.dir,
    repo: { owner: settings.owner, name: settings.repo },
    serverUrl: settings.serverUrl,
    ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
    defaultRef,
    ref: process.env.GITHUB_REF ?? '',
    head: process.env.GITHUB_SHA || defaultRef,
    checkName: settings.checkName,
    ...(workflowFile(process.env.GITHUB_WORKFLOW_REF)
      ? { workflowFile: workflowFile(process.env.GITHUB_WORKFLOW_REF)! }
      : {}),
    env: process.env,
    now: () => Date.now(),
    log: (message) => core.info(message),
  });
  for (const action of report.actions)
    core.info(`${action.id}: ${action.action}${action.done ? '' : ' (nothing to do)'}`);
  const lines = report.actions.map((a) => `- \`${a.id}\`: ${a.action}`);
  await core.summary
    .addRaw(`### maint run\n\n${lines.length > 0 ? lines.join('\n') : 'Nothing was due.'}`, true)
    .addRaw(
      report.problems.length > 0
        ? `\n\n**Problems**\n\n${report.problems.map((p) => `- ${p}`).join('\n')}\n`
        : '',
      true,
    )
    .write();
  core.setOutput('actions', JSON.stringify(report.actions));
  if (report.problems.length > 0)
    core.setFailed(`maint run: ${report.problems.length} problem(s): ${report.problems[0]}`);
}

async function intake(
  repo: MaintenanceRepo,
  settings: ActionSettings,
  payload: Record<string, unknown>,
): Promise<void> {
  const event = payload as { repository?: { default_branch?: string } };
  const outcome = await runIntake(
    { repo, now: () => Date.now(), log: (message) => core.info(message) },
    {
      defaultBranch: event.repository?.default_branch ?? 'main',
      validateWorkflow: settings.validateWorkflow,
    },
    { name: settings.eventName, payload },
  );
  core.setOutput('result', outcome.result);
  core.setOutput('pull-request', outcome.pullRequest === undefined ? '' : String(outcome.pullRequest));
  await core.summary
    .addRaw(
      `### maint intake\n\nIssue #${outcome.issue}: ${outcome.result}${outcome.reason ? ` (${outcome.reason})` : ''}${outcome.pullRequest ? `, pull request #${outcome.pullRequest}` : ''}${outcome.path ? `, \`${outcome.path}\`` : ''}.`,
      true,
    )
    .write();
  for (const problem of outcome.problems) core.warning(problem);
  if (outcome.problems.length > 0) core.setFailed(`maint intake: ${outcome.problems[0]}`);
}

/** mode hub: the organisation's schedule from the members (read with repositories-token), issues in the hub. */
async function runHubMode(settings: ActionSettings, repo: MaintenanceRepo): Promise<void> {
  if (settings.repositoriesToken) core.setSecret(settings.repositoriesToken);
  const api = settings.apiUrl ? { baseUrl: settings.apiUrl } : {};
  const log = (message: string) => core.warning(message);
  const outcome = await runHub(
    {
      reader: createMemberReader({ token: settings.repositoriesToken ?? settings.token, ...api, log }),
      pages: createPagesReader(),
      issues: {
        list: createConditionalIssues({
          token: settings.token,
          owner: settings.owner,
          repo: settings.repo,
          ...api,
          log,
        }),
        tracker: repo,
      },
      now: () => Date.now(),
      log: (message) => core.info(message),
    },
    {
      workspace: settings.workspace,
      out: settings.out,
      hub: { owner: settings.owner, name: settings.repo },
      serverUrl: settings.serverUrl,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      // A manual run also finds repositories that gained the member topic since the last listing.
      relist: settings.eventName === 'workflow_dispatch',
    },
  );
  for (const member of outcome.failed) core.warning(`${member.repository} not read: ${member.problem}`);
  core.setOutput('site', outcome.out);
  core.setOutput('url', outcome.url);
  core.setOutput(
    'conflicts',
    JSON.stringify(outcome.conflicts.map((c) => ({ severity: c.severity, a: c.a.uid, b: c.b.uid }))),
  );
  await core.summary.addRaw(outcome.summary, true).write();
}

try {
  await main();
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
