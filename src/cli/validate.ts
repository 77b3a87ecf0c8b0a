// `maint validate [PATH...]`: check request files against the policy and the other requests.
import { existsSync } from 'node:fs';
import { DEFAULT_REQUESTS_DIR } from '../model/default-policy.ts';
import { resolve } from 'node:path';
import { githubCommandLines, jsonLines, textLines } from '../format/validation.ts';
import { validate } from '../schedule/validate.ts';
import { findRequestFiles, loadPolicy, retimedSince } from '../workspace/local.ts';
import { readFilesInParallel } from '../workspace/parallel-read.ts';
import { EXIT, outLines, type CliIO } from './io.ts';
import { choiceOption, countOption, instantOption } from './options.ts';

export interface ValidateOptions {
  policy?: string;
  now?: string;
  base?: string;
  format: string;
  dir?: string;
  jobs?: string;
}

export const DEFAULT_DIR = DEFAULT_REQUESTS_DIR;

export async function runValidate(paths: string[], options: ValidateOptions, io: CliIO): Promise<number> {
  const format = choiceOption('--format', options.format, ['text', 'json', 'github'] as const);
  const now = instantOption('--now', options.now, io.now);
  const threads = options.jobs === undefined ? undefined : countOption('--jobs', options.jobs);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  const targetPaths = paths.length > 0 ? paths : [DEFAULT_DIR];
  const targetFiles = findRequestFiles(targetPaths, io.cwd);
  // Conflicts are checked against every request of the folder, not only the files named.
  const otherDir = options.dir ?? (existsSync(resolve(io.cwd, DEFAULT_DIR)) ? DEFAULT_DIR : undefined);
  // Files already read as targets are not read again (nor listed again, when the folder is a target).
  const named = new Set(targetFiles.map((path) => resolve(io.cwd, path)));
  const folderIsTarget =
    otherDir !== undefined && targetPaths.some((path) => resolve(io.cwd, path) === resolve(io.cwd, otherDir));
  const otherFiles =
    otherDir && !folderIsTarget
      ? findRequestFiles([otherDir], io.cwd).filter((path) => !named.has(resolve(io.cwd, path)))
      : [];
  const parses = await readFilesInParallel([...targetFiles, ...otherFiles], io.cwd, {
    ...(io.workerScript ? { workerScript: io.workerScript } : {}),
    ...(threads ? { threads } : {}),
  });
  const targets = parses.slice(0, targetFiles.length);
  const others = parses.slice(targetFiles.length);
  const retimed = options.base ? retimedSince(options.base, targets, io.cwd) : undefined;
  const report = validate({
    policy,
    now,
    targets,
    others,
    ...(retimed ? { noticeApplies: (r) => retimed.has(r.id) } : {}),
  });
  outLines(
    io,
    format === 'json'
      ? jsonLines(report)
      : format === 'github'
        ? githubCommandLines(report)
        : textLines(report, { schedule: true }),
  );
  return report.summary.errors > 0 ? EXIT.failed : EXIT.ok;
}
