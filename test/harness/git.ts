// The test server's git: commits as whole trees (path -> bytes), git-compatible blob shas, history walks
// (ancestors, merge base, newest-first logs) and tree diffs with exact-rename detection.
import { createHash } from 'node:crypto';
import { lineDiff } from './diff.ts';

export interface Signature {
  name: string;
  email: string;
  /** ISO 8601. */
  date: string;
  /** The GitHub account linked to the email, if any. */
  login?: string;
}

export interface CommitRecord {
  sha: string;
  tree: Map<string, Buffer>;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
}

export type FileStatus = 'added' | 'modified' | 'removed' | 'renamed';

export interface FileChange {
  filename: string;
  status: FileStatus;
  previous_filename?: string;
  additions: number;
  deletions: number;
  changes: number;
  /** Blob sha of the new content (of the old content for removals). */
  sha: string;
  patch?: string;
}

export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function treeSha(tree: Map<string, Buffer>): string {
  const hash = createHash('sha1');
  for (const path of [...tree.keys()].sort()) hash.update(`${path}\0${blobSha(tree.get(path) as Buffer)}\n`);
  return hash.digest('hex');
}

export function commitSha(c: Omit<CommitRecord, 'sha'>): string {
  return createHash('sha1')
    .update(
      [
        `tree ${treeSha(c.tree)}`,
        ...c.parents.map((p) => `parent ${p}`),
        `author ${c.author.name} <${c.author.email}> ${c.author.date}`,
        `committer ${c.committer.name} <${c.committer.email}> ${c.committer.date}`,
        '',
        c.message,
      ].join('\n'),
    )
    .digest('hex');
}

export class CommitStore {
  readonly commits = new Map<string, CommitRecord>();

  add(commit: CommitRecord): CommitRecord {
    this.commits.set(commit.sha, commit);
    return commit;
  }

  get(sha: string): CommitRecord | undefined {
    return this.commits.get(sha);
  }

  /** A full sha from a full or abbreviated (>= 7 characters) one. */
  expand(prefix: string): string | undefined {
    if (!/^[0-9a-f]{7,40}$/.test(prefix)) return undefined;
    if (this.commits.has(prefix)) return prefix;
    const hits = [...this.commits.keys()].filter((sha) => sha.startsWith(prefix));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Every commit reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      if (seen.has(current)) continue;
      const commit = this.commits.get(current);
      if (!commit) continue;
      seen.add(current);
      stack.push(...commit.parents);
    }
    return seen;
  }

  /** The best common ancestor: the newest commit reachable from both (by committer date, then walk order). */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const common = this.log(b).filter((c) => fromA.has(c.sha));
    return common[0]?.sha;
  }

  /** Commits reachable from `head` and not from `exclude`, newest first (committer date, then topology). */
  log(head: string, exclude?: string): CommitRecord[] {
    const hidden = exclude ? this.ancestors(exclude) : new Set<string>();
    const out: CommitRecord[] = [];
    const seen = new Set<string>();
    const queue: CommitRecord[] = [];
    const push = (sha: string): void => {
      const commit = this.commits.get(sha);
      if (!commit || seen.has(sha) || hidden.has(sha)) return;
      seen.add(sha);
      queue.push(commit);
    };
    push(head);
    while (queue.length > 0) {
      queue.sort((x, y) => Date.parse(y.committer.date) - Date.parse(x.committer.date));
      const next = queue.shift() as CommitRecord;
      out.push(next);
      next.parents.forEach(push);
    }
    return out;
  }
}

/** Changes from tree `before` to tree `after`; a removed and an added file with the same bytes are a rename. */
export function diffTrees(before: Map<string, Buffer>, after: Map<string, Buffer>): FileChange[] {
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const added = [...after.keys()].filter((p) => !before.has(p));
  const renamedFrom = new Map<string, string>();
  const removedByBlob = new Map<string, string[]>();
  for (const path of removed) {
    const sha = blobSha(before.get(path) as Buffer);
    removedByBlob.set(sha, [...(removedByBlob.get(sha) ?? []), path]);
  }
  for (const path of added) {
    const candidates = removedByBlob.get(blobSha(after.get(path) as Buffer));
    const from = candidates?.shift();
    if (from !== undefined) renamedFrom.set(path, from);
  }
  const renamedAway = new Set(renamedFrom.values());
  const changes: FileChange[] = [];
  const paths = new Set([...before.keys(), ...after.keys()]);
  for (const path of [...paths].sort()) {
    const old = before.get(path);
    const next = after.get(path);
    if (old && next) {
      if (old.equals(next)) continue;
      changes.push(change(path, 'modified', old, next));
    } else if (next) {
      const from = renamedFrom.get(path);
      if (from !== undefined) {
        changes.push({ ...change(path, 'renamed', next, next), previous_filename: from });
      } else changes.push(change(path, 'added', Buffer.alloc(0), next));
    } else if (old && !renamedAway.has(path)) {
      changes.push(change(path, 'removed', old, Buffer.alloc(0)));
    }
  }
  return changes;
}

function change(filename: string, status: FileStatus, old: Buffer, next: Buffer): FileChange {
  const diff = lineDiff(old, next);
  const result: FileChange = {
    filename,
    status,
    additions: diff.additions,
    deletions: diff.deletions,
    changes: diff.additions + diff.deletions,
    sha: blobSha(status === 'removed' ? old : next),
  };
  if (diff.patch !== undefined) result.patch = diff.patch;
  return result;
}
