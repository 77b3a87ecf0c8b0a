// Entry of action.yml: read the inputs once into settings, pick the mode, report its outcome. Every
// decision happens in the modes and the pure modules they call.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { createMaintenanceRepo } from './github/octokit.ts';
import { builtInTemplatesDir, readTemplateFolder } from './notices/template-loader.ts';
import { publishSite } from './modes/publish.ts';
import { runFromWorkspace } from './modes/run-setup.ts';
import { CHECK_NAME, runValidate } from './modes/validate.ts';
import { createConditionalIssues, createMemberReader } from './github/members.ts';
import { createPagesReader } from './github/pages.ts';
import type { MaintenanceRepo } from './github/port.ts';
import { runHub } from './modes/hub.ts';

type Mode = 'validate' | 'publish' | 'run' | 'hub';

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
  /** mode hub: the token that reads the member repositories (a GitHub App installation token). */
  membersToken?: string;
}

function readSettings(env: NodeJS.ProcessEnv): ActionSettings {
  const mode = core.getInput('mode', { required: true });
  if (mode !== 'validate' && mode !== 'publish' && mode !== 'run' && mode !== 'hub')
    throw new Error(`input mode: expected validate, publish, run or hub, not "${mode}"`);
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
    ...(core.getInput('members-token') ? { membersToken: core.getInput('members-token') } : {}),
  };
}

/** `owner/repo/.github/workflows/maintenance-run.yml@refs/heads/main` -> `maintenance-run.yml`. */
function workflowFile(ref: string | undefined): string | undefined {
  return ref ? /\/([^/@]+\.ya?ml)@/.exec(ref)?.[1] : undefined;
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
  const event = payload as { repository?: { default_branch?: string } };
  const report = await runFromWorkspace(repo, {
    workspace: settings.workspace,
    dir: settings.dir,
    repo: { owner: settings.owner, name: settings.repo },
    serverUrl: settings.serverUrl,
    ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
    defaultRef: event.repository?.default_branch ?? process.env.GITHUB_REF_NAME ?? 'main',
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

/** mode hub: the organisation's schedule from the members (read with members-token), issues in the hub. */
async function runHubMode(settings: ActionSettings, repo: MaintenanceRepo): Promise<void> {
  if (settings.membersToken) core.setSecret(settings.membersToken);
  const api = settings.apiUrl ? { baseUrl: settings.apiUrl } : {};
  const log = (message: string) => core.warning(message);
  const outcome = await runHub(
    {
      reader: createMemberReader({ token: settings.membersToken ?? settings.token, ...api, log }),
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
