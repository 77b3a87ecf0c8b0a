// `maint init`: write the default policy, the schemas editors use, a CODEOWNERS example, the
// workflows and the request issue form into a repository. Existing files are kept unless --force.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { CODEOWNERS_LOCATIONS } from '../approvals/codeowners.ts';
import { SCHEMAS } from '../model/schema-check.ts';
import { BUILD } from '../build-info.ts';
import { actionPin } from './action-pin.ts';
import { askTeams, parseTeamsOption, placeholdersLeft, policyWithTeams } from './init-teams.ts';
import { EXIT, type CliIO } from './io.ts';
import { writeIssueForm } from './init-issue-form.ts';
import { consumerWorkflows } from './workflow-templates.ts';
import { writeScaffold } from './write-files.ts';
import { runInitHub } from './init-hub.ts';

export interface InitOptions {
  dir: string;
  force?: boolean;
  /** `--action`: which action and commit the workflows use (see action-pin.ts); default this release. */
  action?: string;
  /** The organisation's approver teams, e.g. `medium=acme/eng-leads,high=acme/cto`. */
  teams?: string;
  /** Set the repository up as a hub over many repositories instead (init-hub.ts). */
  hub?: boolean;
}

export const CODEOWNERS_EXAMPLE = `# Who must approve maintenance requests (GitHub reads the last matching line).
# Replace the teams with your own; a team needs write access to the repository.
/maintenance/                        @org/platform-owners
/maintenance/**/*database*           @org/dba-team @org/platform-owners
# The policy and this file are guarded too: changing them needs their owners' approval.
/.github/maintenance-policy.yaml     @org/platform-owners
/.github/CODEOWNERS                  @org/platform-owners
`;

export async function runInit(options: InitOptions, io: CliIO): Promise<number> {
  if (options.hub) return runInitHub(options, io);
  const root = resolve(io.cwd, options.dir);
  // Before anything is written: a build that cannot pin the action refuses here.
  const action = actionPin(options.action, io.build ?? BUILD);
  const writesPolicy = options.force || !existsSync(resolve(root, DEFAULT_POLICY_PATH));
  // The real teams: from --teams, else asked on a terminal when the policy is going to be written.
  const teams =
    options.teams !== undefined
      ? parseTeamsOption(options.teams)
      : writesPolicy && io.ask
        ? await askTeams(io.ask, io.out)
        : {};
  const files: [string, string][] = [
    [
      DEFAULT_POLICY_PATH,
      `# yaml-language-server: $schema=maint/schema/policy.schema.json\n${policyWithTeams(DEFAULT_POLICY_YAML, teams)}`,
    ],
    ['.github/maint/schema/request.schema.json', `${JSON.stringify(SCHEMAS.request, null, 2)}\n`],
    ['.github/maint/schema/policy.schema.json', `${JSON.stringify(SCHEMAS.policy, null, 2)}\n`],
    ...consumerWorkflows(action).map(([name, text]): [string, string] => [`.github/workflows/${name}`, text]),
  ];
  if (!CODEOWNERS_LOCATIONS.some((p) => existsSync(resolve(root, p))))
    files.push(['.github/CODEOWNERS', CODEOWNERS_EXAMPLE]);
  files.push(['maintenance/.gitkeep', '']);
  const written = writeScaffold(root, files, options.force === true, io);
  if ([...written].some((path) => path.startsWith('.github/workflows/')))
    io.out(`\nThe workflows pin the action as \`uses: ${action}\``);
  if (options.teams !== undefined && !writesPolicy)
    io.out(
      `\n--teams was not applied: ${DEFAULT_POLICY_PATH} exists and is kept (--force writes it with them).`,
    );
  const left = placeholdersLeft(teams);
  if (writesPolicy && left.length > 0)
    io.out(
      `\nThe policy still names placeholder teams for ${left.join(', ')}: no organisation has them, so those ` +
        'requests could never be approved. Put your teams in its `approvals`, or run again with ' +
        '--force --teams medium=ORG/TEAM,high=ORG/TEAM,emergency=ORG/TEAM.',
    );
  writeIssueForm(root, options.force, io);
  io.out(
    '\nNext: edit the policy and CODEOWNERS, then add a request with `maint new` and open a pull request.',
  );
  io.out(
    "Before steps run: in Settings → Environments, create `maintenance` (the scheduler's secrets) and one " +
      "environment per policy environment (the steps' secrets), each admitting only the default branch.",
  );
  return EXIT.ok;
}
