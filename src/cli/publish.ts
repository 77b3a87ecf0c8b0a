// `maint publish`: the calendar feeds, the schedule page and the notices of a requests folder,
// written as a whole into the site folder.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import { publishSite } from '../modes/publish.ts';
import { EXIT, type CliIO } from './io.ts';
import { instantOption } from './options.ts';

export interface PublishOptions {
  dir: string;
  out: string;
  policy?: string;
  now?: string;
  repo?: string;
  baseUrl?: string;
}

/** owner/name from --repo, GITHUB_REPOSITORY, or the origin remote's URL. */
export function repositoryOf(option: string | undefined, env: CliIO['env'], cwd: string) {
  const text = option ?? env.GITHUB_REPOSITORY ?? originRepository(cwd);
  if (text === undefined) return undefined;
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(text);
  if (!match) throw new UsageError(`--repo ${text}: expected OWNER/NAME`);
  return { owner: match[1]!, name: match[2]! };
}

function originRepository(cwd: string): string | undefined {
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?\s*$/.exec(url)?.[1];
  } catch {
    return undefined;
  }
}

export async function runPublish(options: PublishOptions, io: CliIO): Promise<number> {
  if (options.baseUrl !== undefined && !/^https:\/\//.test(options.baseUrl))
    throw new UsageError(`--base-url ${options.baseUrl}: must be an https URL`);
  const repo = repositoryOf(options.repo, io.env, io.cwd);
  const outcome = await publishSite({
    root: io.cwd,
    dir: options.dir,
    out: options.out,
    now: instantOption('--now', options.now, io.now),
    serverUrl: io.env.GITHUB_SERVER_URL ?? 'https://github.com',
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    ...(repo ? { repo } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  for (const skipped of outcome.skipped) io.err(`skipped ${skipped.path}: ${skipped.reason}`);
  io.out(
    `Published ${outcome.files} files to ${options.out}/: ${outcome.feeds} calendar feeds, the schedule page, ${outcome.schemas} JSON Schemas and ${outcome.notices} notices.`,
  );
  io.out(
    `Open ${resolve(io.cwd, options.out, 'index.html')} in a browser${outcome.baseUrl ? `; once deployed: ${outcome.baseUrl}` : ''}.`,
  );
  return EXIT.ok;
}

export function registerPublishCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description('write the calendar feeds, the schedule page and the notices into a site folder')
    .option('--dir <folder>', 'requests folder', 'maintenance')
    .option('--out <folder>', 'site folder (replaced as a whole)', 'site')
    .option('--policy <file>', 'policy file')
    .option('--now <iso>', 'the current time (default: the clock)')
    .option(
      '--repo <owner/name>',
      'repository, for event UIDs and links (default: GITHUB_REPOSITORY or the origin remote)',
    )
    .option(
      '--base-url <url>',
      'https address the site is served from (default: policy calendar.url, else GitHub Pages)',
    )
    .action(async (options: PublishOptions) => setExit(await runPublish(options, io)));
}
