// Reads requests and the policy from a local checkout (the CLI's world): folders walked at every
// depth, file sizes checked before reading, the policy's holiday file resolved beside it, and git
// asked which requests changed since a base ref.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { parseHolidays } from '../model/holidays.ts';
import { parsePolicy, withHolidays } from '../model/policy.ts';
import { parseRequest, unreadableRequest, type RequestParse } from '../model/request.ts';
import type { LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { MAX_FILE_BYTES, describeSize, oversizeMessage } from '../model/yaml-source.ts';
import { ConfigurationError, UsageError } from '../errors.ts';

const REQUEST_FILE = /\.ya?ml$/i;

/**
 * Request files under the given paths (files as given, folders at every depth), sorted. Paths are
 * returned as the user wrote them (relative to `cwd`), for messages and annotations.
 */
export function findRequestFiles(paths: readonly string[], cwd = '.'): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(resolve(cwd, dir), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && REQUEST_FILE.test(entry.name)) found.push(path);
    }
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    if (!existsSync(absolute)) throw new UsageError(`${path}: no such file or folder`);
    if (statSync(absolute).isDirectory()) walk(path);
    else found.push(path);
  }
  return [...new Set(found)];
}

/** Reads a file's text, refusing (without reading it whole) one over the size limit. */
export function readLimited(path: string): { text: string } | { tooBig: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return { tooBig: size };
    // Only the bytes read are kept, so the buffer need not be zeroed first.
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;

    while (offset < size) {
      const read = readSync(fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return { text: buffer.subarray(0, offset).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

export function readRequest(path: string, cwd = '.'): RequestParse {
  const content = readLimited(resolve(cwd, path));
  if ('tooBig' in content) return unreadableRequest(path, oversizeMessage(content.tooBig));
  return parseRequest({ path, text: content.text });
}

export function readRequests(paths: readonly string[], cwd = '.'): RequestParse[] {
  return findRequestFiles(paths, cwd).map((path) => readRequest(path, cwd));
}

export interface LoadedPolicy {
  policy: Policy;
  /** Where it came from, or `built-in default`. */
  source: string;
  warnings: LocatedFinding[];
}

/**
 * The policy: the file given, else `.github/maintenance-policy.yaml` under `root` when it exists,
 * else the built-in default. Throws ConfigurationError (exit 2) when it cannot be used.
 */
export function loadPolicy(file: string | undefined, root = '.', now = 0): LoadedPolicy {
  let path = file === undefined ? undefined : resolve(root, file);
  if (path === undefined) {
    const conventional = join(root, DEFAULT_POLICY_PATH);
    if (existsSync(conventional)) path = conventional;
  }
  if (path === undefined) return fromText(DEFAULT_POLICY_YAML, 'built-in default', undefined, now);
  const shown = file ?? DEFAULT_POLICY_PATH;
  if (!existsSync(path)) throw new ConfigurationError(shown, 'no such policy file');
  const content = readLimited(path);
  if ('tooBig' in content)
    throw new ConfigurationError(shown, `is ${describeSize(content.tooBig)}, over the 1 MiB limit`);
  const folder = dirname(path);
  return fromText(content.text, shown, (name) => readFileSync(resolve(folder, name), 'utf8'), now);
}

/** Parses policy text and adds its holidays, read through `readSibling`. */
export function fromText(
  text: string,
  source: string,
  readSibling: ((name: string) => string) | undefined,
  now: number,
): LoadedPolicy {
  const parsed = parsePolicy({ path: source, text });
  if (!parsed.policy) {
    throw new ConfigurationError(
      source,
      parsed.findings.map((f) => `line ${f.line}, column ${f.column}: ${f.message}`).join('\n'),
    );
  }
  let policy = parsed.policy;
  if (policy.holidays.file && readSibling) {
    let icsText: string;
    try {
      icsText = readSibling(policy.holidays.file);
    } catch {
      throw new ConfigurationError(
        source,
        `holidays.ics names ${policy.holidays.file}, which cannot be read`,
      );
    }
    const year = new Date(now).getUTCFullYear();
    const holidays = parseHolidays(
      icsText,
      year - 1,
      year + Math.ceil(policy.horizonMs / 31_536_000_000) + 2,
    );
    if ('error' in holidays) throw new ConfigurationError(policy.holidays.file, holidays.error);
    policy = withHolidays(policy, holidays.holidays);
  }
  return { policy, source, warnings: parsed.findings.filter((f) => f.severity === 'warning') };
}

type TimingKey = Pick<
  MaintenanceRequest,
  'startsAt' | 'endsAt' | 'zone' | 'series' | 'status' | 'environment'
>;

export function timingSignature(request: TimingKey): string {
  return JSON.stringify([
    request.startsAt,
    request.endsAt,
    request.zone,
    request.series ?? null,
    request.status,
    request.environment,
  ]);
}

/**
 * Request ids whose timing is new or changed since a git ref: files added since then, or whose
 * times, zone, recurrence, status or environment differ from the ref's version.
 */
export function retimedSince(ref: string, requests: readonly RequestParse[], cwd = '.'): Set<string> {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * MAX_FILE_BYTES,
    });
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new UsageError(`--base ${ref}: not a commit in this git repository`);
  }
  const top = git('rev-parse', '--show-toplevel').trim();
  const changed = new Set<string>();
  for (const file of requests) {
    if (!file.request) continue;
    const inRepo = relative(top, resolve(cwd, file.path)).split('\\').join('/');
    let before: string | undefined;
    try {
      before = git('show', `${ref}:${inRepo}`);
    } catch {
      before = undefined; // not in the base: a new request
    }
    const old = before === undefined ? undefined : parseRequest({ path: file.path, text: before }).request;
    if (!old || timingSignature(old) !== timingSignature(file.request)) changed.add(file.id);
  }
  return changed;
}
