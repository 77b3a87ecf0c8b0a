// `maint validate [PATH...]`: check request files against the policy and the other requests.
import { existsSync } from 'node:fs';
import { DEFAULT_REQUESTS_DIR } from '../model/default-policy.ts';
import { resolve } from 'node:path';
import { toGithubCommands, toJson, toText } from '../format/validation.ts';
import { validate } from '../schedule/validate.ts';
import { findRequestFiles, loadPolicy, readRequest, readRequests, retimedSince } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, instantOption } from './options.ts';

export interface ValidateOptions {
  policy?: string;
  now?: string;
  base?: string;
  format: string;
  dir?: string;
}

export const DEFAULT_DIR = DEFAULT_REQUESTS_DIR;

export function runValidate(paths: string[], options: ValidateOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json', 'github'] as const);
  const now = instantOption('--now', options.now, io.now);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  const targets = readRequests(paths.length > 0 ? paths : [DEFAULT_DIR], io.cwd);
  // Conflicts are checked against every request of the folder, not only the files named.
  const otherDir = options.dir ?? (existsSync(resolve(io.cwd, DEFAULT_DIR)) ? DEFAULT_DIR : undefined);
  // Files already read as targets are not read again.
  const read = new Set(targets.map((t) => resolve(io.cwd, t.path)));
  const others = otherDir
    ? findRequestFiles([otherDir], io.cwd)
        .filter((path) => !read.has(resolve(io.cwd, path)))
        .map((path) => readRequest(path, io.cwd))
    : [];
  const retimed = options.base ? retimedSince(options.base, targets, io.cwd) : undefined;
  const report = validate({
    policy,
    now,
    targets,
    others,
    ...(retimed ? { noticeApplies: (r) => retimed.has(r.id) } : {}),
  });
  io.out(
    format === 'json'
      ? toJson(report)
      : format === 'github'
        ? toGithubCommands(report)
        : toText(report, { schedule: true }),
  );
  return report.summary.errors > 0 ? EXIT.failed : EXIT.ok;
}
