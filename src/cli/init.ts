// `maint init`: write the default policy, the schemas editors use, a CODEOWNERS example and the
// workflows into a repository. Existing files are kept unless --force.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { CODEOWNERS_LOCATIONS } from '../approvals/codeowners.ts';
import { SCHEMAS } from '../model/schema-check.ts';
import { EXIT, type CliIO } from './io.ts';
import { consumerWorkflows } from './workflow-templates.ts';

export interface InitOptions {
  dir: string;
  force?: boolean;
  action: string;
}

export const CODEOWNERS_EXAMPLE = `# Who must approve maintenance requests (GitHub reads the last matching line).
# Replace the teams with your own; a team needs write access to the repository.
/maintenance/                        @org/platform-owners
/maintenance/**/*database*           @org/dba-team @org/platform-owners
# The policy and this file are guarded too: changing them needs their owners' approval.
/.github/maintenance-policy.yaml     @org/platform-owners
/.github/CODEOWNERS                  @org/platform-owners
`;

export function runInit(options: InitOptions, io: CliIO): number {
  const root = resolve(io.cwd, options.dir);
  const files: [string, string][] = [
    [
      DEFAULT_POLICY_PATH,
      `# yaml-language-server: $schema=maint/schema/policy.schema.json\n${DEFAULT_POLICY_YAML}`,
    ],
    ['.github/maint/schema/request.schema.json', `${JSON.stringify(SCHEMAS.request, null, 2)}\n`],
    ['.github/maint/schema/policy.schema.json', `${JSON.stringify(SCHEMAS.policy, null, 2)}\n`],
    ...consumerWorkflows(options.action).map(([name, text]): [string, string] => [
      `.github/workflows/${name}`,
      text,
    ]),
  ];
  if (!CODEOWNERS_LOCATIONS.some((p) => existsSync(resolve(root, p))))
    files.push(['.github/CODEOWNERS', CODEOWNERS_EXAMPLE]);
  files.push(['maintenance/.gitkeep', '']);
  for (const [path, text] of files) {
    const absolute = resolve(root, path);
    if (existsSync(absolute) && !options.force) {
      io.out(`kept     ${path} (exists; --force replaces it)`);
      continue;
    }
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    io.out(`wrote    ${path}`);
  }
  io.out(
    '\nNext: edit the policy and CODEOWNERS, then add a request with `maint new` and open a pull request.',
  );
  io.out(
    "Before steps run: in Settings → Environments, create `maintenance` (the scheduler's secrets) and one " +
      "environment per policy environment (the steps' secrets), each admitting only the default branch.",
  );
  return EXIT.ok;
}
