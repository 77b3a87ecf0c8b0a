// The pull request that last changed each request file, read from git history in one call: merge
// commits say "Merge pull request #N", squash merges end their subject with "(#N)".
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';

/** The pull request a first-parent commit merged, from its subject; undefined for a direct commit. */
export function pullNumberOfSubject(subject: string): number | undefined {
  const number = /^Merge pull request #(\d+)/.exec(subject)?.[1] ?? /\(#(\d+)\)\s*$/.exec(subject)?.[1];
  return number === undefined ? undefined : Number(number);
}

export function pullRequestsOfFiles(dir: string, paths: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  let top: string;
  let log: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    log = execFileSync('git', ['log', '--first-parent', '--name-only', '--format=%x00%s', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return found; // not a git repository: no links
  }
  const wanted = new Map(paths.map((p) => [relative(top, resolve(dir, p)).split('\\').join('/'), p]));
  // Newest first: the first commit naming a file is the last one that changed it.
  for (const entry of log.split('\u0000').slice(1)) {
    const [subject = '', ...names] = entry.split('\n');
    const number = pullNumberOfSubject(subject);
    for (const name of names) {
      const path = wanted.get(name.trim());
      if (path === undefined || found.has(path)) continue;
      if (number !== undefined) found.set(path, number);
      else found.set(path, NaN); // changed directly on the branch: no pull request to link
    }
  }
  for (const [path, number] of found) if (Number.isNaN(number)) found.delete(path);
  return found;
}
