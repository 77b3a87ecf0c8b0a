// Reads requests and the policy from a local checkout (the CLI's world): folders walked at every
// depth, file sizes checked before reading, the policy's holiday file resolved beside it, and git
// asked which requests changed since a base ref.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  type Stats,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { parseHolidays } from '../model/holidays.ts';
import { parsePolicy, withHolidays } from '../model/policy.ts';
import { parseRequest, unreadableRequest, type RequestParse } from '../model/request.ts';
import type { LocatedFinding, MaintenanceRequest, Policy } from '../model/types.ts';
import { LINK_REFUSAL, unreadableMessage, type Unreadable } from '../model/unreadable.ts';
import { decodeUtf8 } from '../model/utf8.ts';
import { MAX_FILE_BYTES, describeSize } from '../model/yaml-source.ts';
import { ConfigurationError, UsageError } from '../errors.ts';

const REQUEST_FILE = /\.ya?ml$/i;

/** What a path is, when it is not a regular file maint may read; undefined for a regular file. */
export function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return LINK_REFUSAL;
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a file: reading it could wait for ever';
  if (stats.isSocket()) return 'is a socket, not a file';
  return 'is a device, not a file';
}

/** lstat, or undefined when nothing is there (a dangling link is still there). */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Request files under the given paths (files as given, folders at every depth), sorted. Paths are
 * returned as the user wrote them (relative to `cwd`), for messages and annotations. Links are
 * never followed but listed (whatever their name), as are pipes and other non-files named like
 * requests, so that reading them reports each one.
 */
export function findRequestFiles(paths: readonly string[], cwd = '.'): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(resolve(cwd, dir), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) found.push(path);
      else if (entry.isDirectory()) walk(path);
      else if (REQUEST_FILE.test(entry.name)) found.push(path);
    }
  };
  for (const path of paths) {
    const stats = lstatOrNothing(resolve(cwd, path));
    if (!stats) throw new UsageError(`${path}: no such file or folder`);
    if (stats.isDirectory()) walk(path);
    else found.push(path);
  }
  return [...new Set(found)];
}

export type LimitedRead = { text: string } | Unreadable;

// O_NOFOLLOW: a link swapped in after the check is still not followed; O_NONBLOCK: a pipe swapped
// in is not waited on. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file's text: never a link, a pipe or a device (checked before opening, so
 * nothing blocks), never more than the size limit, and only valid UTF-8.
 */
export function readLimited(path: string): LimitedRead {
  const before = lstatOrNothing(path);
  if (!before) return { notFile: 'does not exist' };
  const refused = notAFile(before);
  if (refused) return { notFile: refused };
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { notFile: LINK_REFUSAL };
    if (code === 'ENOENT') return { notFile: 'does not exist' };
    return { notFile: `cannot be read (${code ?? String(error)})` };
  }
  try {
    const stats = fstatSync(fd);
    const changed = notAFile(stats);
    if (changed) return { notFile: changed };
    const size = stats.size;
    if (size > MAX_FILE_BYTES) return { tooBig: size };
    // Only the bytes read are kept, so the buffer need not be zeroed first.
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return decodeUtf8(buffer.subarray(0, offset));
  } finally {
    closeSync(fd);
  }
}

export function readRequest(path: string, cwd = '.'): RequestParse {
  const content = readLimited(resolve(cwd, path));
  if ('text' in content) return parseRequest({ path, text: content.text });
  if ('notFile' in content) return unreadableRequest(path, `${path} ${content.notFile}`);
  const at = 'notUtf8' in content ? content.notUtf8 : undefined;
  return unreadableRequest(path, unreadableMessage(content), at?.line, at?.column);
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
    if (lstatOrNothing(conventional)) path = conventional;
  }
  if (path === undefined) return fromText(DEFAULT_POLICY_YAML, 'built-in default', undefined, now);
  const shown = file ?? DEFAULT_POLICY_PATH;
  const content = readLimited(path);
  if ('text' in content) {
    const folder = dirname(path);
    return fromText(content.text, shown, (name) => readSibling(resolve(folder, name)), now);
  }
  if ('notFile' in content && content.notFile === 'does not exist')
    throw new ConfigurationError(shown, 'no such policy file');
  if ('notFile' in content && content.notFile === 'is a folder, not a file')
    throw new ConfigurationError(
      shown,
      `is a folder, not a file: --policy names the policy file itself, such as ${DEFAULT_POLICY_PATH}`,
    );
  if ('tooBig' in content)
    throw new ConfigurationError(shown, `is ${describeSize(content.tooBig)}, over the 1 MiB limit`);
  throw new ConfigurationError(shown, unreadableMessage(content));
}

/** A file the policy names (its holidays), read as carefully as the policy itself. */
function readSibling(path: string): string {
  const content = readLimited(path);
  if ('text' in content) return content.text;
  throw new Error(unreadableMessage(content));
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
    } catch (error) {
      const why = error instanceof Error ? ` (${error.message})` : '';
      throw new ConfigurationError(
        source,
        `holidays.ics names ${policy.holidays.file}, which cannot be read${why}`,
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
