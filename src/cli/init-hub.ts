// `maint init --hub`: set a repository up as a hub over many repositories: its configuration
// (.github/maint-hub.yaml, with the schema editors complete it from), the default policy (the hub's
// calendar name, time zone, windows on the timeline, freezes and conflict rules) and the scheduled
// workflow that builds and deploys it. Existing files are kept unless --force.
import { resolve } from 'node:path';
import hubSchema from '../../schema/hub.schema.json' with { type: 'json' };
import { BUILD } from '../build-info.ts';
import { HUB_CONFIG_PATH, HUB_CONFIG_YAML } from '../hub/config.ts';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { SCHEMAS } from '../model/schema-check.ts';
import { actionPin } from './action-pin.ts';
import { EXIT, type CliIO } from './io.ts';
import { hubWorkflows } from './workflow-templates.ts';
import { writeScaffold } from './write-files.ts';

export async function runInitHub(
  options: { dir: string; force?: boolean; action?: string },
  io: CliIO,
): Promise<number> {
  const root = resolve(io.cwd, options.dir);
  const action = actionPin(options.action, io.build ?? BUILD);
  const files: [string, string][] = [
    [HUB_CONFIG_PATH, `# yaml-language-server: $schema=maint/schema/hub.schema.json\n${HUB_CONFIG_YAML}`],
    ['.github/maint/schema/hub.schema.json', `${JSON.stringify(hubSchema, null, 2)}\n`],
    [
      DEFAULT_POLICY_PATH,
      `# yaml-language-server: $schema=maint/schema/policy.schema.json\n${DEFAULT_POLICY_YAML}`,
    ],
    ['.github/maint/schema/policy.schema.json', `${JSON.stringify(SCHEMAS.policy, null, 2)}\n`],
    ...hubWorkflows(action).map(([name, text]): [string, string] => [`.github/workflows/${name}`, text]),
  ];
  writeScaffold(root, files, options.force === true, io);
  io.out(
    [
      '',
      `Next: list the member repositories in ${HUB_CONFIG_PATH} (by name, or by topic), then create a`,
      'GitHub App with repository permissions Contents: read and Metadata: read, install it on the members,',
      'and store its client ID as the secret MAINT_HUB_APP_CLIENT_ID and a private key as the secret',
      'MAINT_HUB_APP_PRIVATE_KEY. Enable GitHub Pages (source: GitHub Actions). Members may name this hub',
      `in their policy (conflicts: { hub: OWNER/REPO }) to check their requests against it.`,
    ].join('\n'),
  );
  return EXIT.ok;
}
