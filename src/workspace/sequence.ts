// SEQUENCE of each request's calendar event, read from git: how many commits after the one that added
// the file changed its timing (times, zone, recurrence, status, environment: timingSignature).
// Rebuilding from scratch gives the same numbers; an edit of the text alone does not raise them.
import { execFileSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigurationError } from '../errors.ts';
import { parseRequest, requestIdFromPath } from '../model/request.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { MAX_FILE_BYTES } from '../model/yaml-source.ts';
import { timingSignature } from './local.ts';

type SequencedRequest = Pick<
  MaintenanceRequest,
  'id' | 'file' | 'startsAt' | 'endsAt' | 'zone' | 'series' | 'status' | 'environment'
>;

/** One committed version of a request file: the commit and the file's path (from the top) there. */
interface Version {
  commit: string;
  path: string;
}

function git(dir: string, args: string[], input?: string): Buffer {
  return execFileSync('git', args, {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 1024 * MAX_FILE_BYTES,
    ...(input !== undefined ? { input } : {}),
  });
}

/**
 * The versions of a file on the first-parent line of HEAD, oldest first.
 * - `--first-parent`: what the branch itself saw, one version per merge (or per squashed or rebased
 *   commit), not every work-in-progress commit of a pull request; `--follow` alone also loses the
 *   commits before a move made on a merged branch.
 * - `--follow` keeps the history across a move to another folder (maintenance/2026 -> 2027), but
 *   git's rename detection also pairs files with similar content: history under another file name
 *   belongs to another request id, so it stops there.
 */
function versionsOf(dir: string, file: string, id: string): Version[] {
  const out = git(dir, [
    'log',
    '--follow',
    '--first-parent',
    '--format=%x1e%H',
    '--name-status',
    '-z',
    '--',
    file,
  ]).toString('utf8');
  const newestFirst: Version[] = [];
  for (const record of out.split('\x1e').slice(1)) {
    // `<hash>\0\n<status>\0<path>\0` or, for a rename, `...<status>\0<old>\0<new>\0`.
    const [commit, rawStatus, first, second] = record.split('\0');
    const status = rawStatus?.trim();
    if (!commit || !status || !first) continue;
    const renamed = /^[RC]/.test(status) && second !== undefined && second !== '';
    const path = renamed ? second! : first;
    if (requestIdFromPath(path) !== id) break;
    if (!status.startsWith('D')) newestFirst.push({ commit, path });
    if (renamed && requestIdFromPath(first) !== id) break;
  }
  return newestFirst.reverse();
}

/** The text of each `<commit>:<path>` in one `git cat-file --batch`; undefined when missing or too big. */
function readBlobs(dir: string, specs: string[]): (string | undefined)[] {
  if (specs.length === 0) return [];
  const out = git(dir, ['cat-file', '--batch'], specs.map((spec) => `${spec}\n`).join(''));
  const texts: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const lineEnd = out.indexOf(0x0a, at);
    const header = out.subarray(at, lineEnd).toString('utf8');
    at = lineEnd + 1;
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) {
      texts.push(undefined); // `<spec> missing`, or not a blob: no content follows
      continue;
    }
    const size = Number(match[1]);
    texts.push(size > MAX_FILE_BYTES ? undefined : out.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return texts;
}

/** How often the signature changes along the versions (unreadable versions are skipped). */
function changes(signatures: readonly (string | undefined)[]): number {
  let count = 0;
  let previous: string | undefined;
  for (const signature of signatures) {
    if (signature === undefined) continue;
    if (previous !== undefined && signature !== previous) count++;
    previous = signature;
  }
  return count;
}

/**
 * SEQUENCE per request id. A file outside git, or not committed yet, has 0. A working-tree version
 * whose timing differs from its last commit counts as one more change (a local preview of an edit).
 * A shallow clone would restart every count at 0, so it is refused: check out with fetch-depth 0.
 */
export function gitSequences(dir: string, requests: readonly SequencedRequest[]): Map<string, number> {
  const sequences = new Map(requests.map((request) => [request.id, 0]));
  let top: string;
  try {
    const [toplevel, shallow] = git(dir, ['rev-parse', '--show-toplevel', '--is-shallow-repository'])
      .toString('utf8')
      .split('\n');
    if (shallow === 'true') {
      throw new ConfigurationError(
        resolve(dir),
        'is a shallow git clone, so the calendar SEQUENCE of changed maintenance would restart at 0 and calendars would ignore the change: check out the full history (actions/checkout with `fetch-depth: 0`)',
      );
    }
    top = toplevel!;
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    return sequences; // not a git work tree, or no git
  }

  const histories = requests.map((request) => {
    const absolute = resolve(dir, request.file);
    const inTop = relative(top, absolute);
    if (inTop.startsWith('..') || isAbsolute(inTop)) return [];
    try {
      return versionsOf(dir, absolute, request.id).filter((v) => !v.path.includes('\n'));
    } catch {
      return []; // no commits yet
    }
  });
  const texts = readBlobs(
    dir,
    histories.flat().map((version) => `${version.commit}:${version.path}`),
  );

  let next = 0;
  requests.forEach((request, index) => {
    const history = histories[index]!;
    const signatures = history.map((version) => {
      const text = texts[next++];
      const parsed = text === undefined ? undefined : parseRequest({ path: version.path, text }).request;
      return parsed ? timingSignature(parsed) : undefined;
    });
    if (!signatures.some((s) => s !== undefined)) return;
    sequences.set(request.id, changes([...signatures, timingSignature(request)]));
  });
  return sequences;
}

/**
 * The SEQUENCE of one request at a time, read from git when asked (a tick e-mails few events), or why
 * it cannot be known: a shallow clone, whose numbers would disagree with the feeds'.
 */
export function gitSequenceOf(dir: string): (request: SequencedRequest) => number | { problem: string } {
  return (request) => {
    try {
      return gitSequences(dir, [request]).get(request.id) ?? 0;
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  };
}
