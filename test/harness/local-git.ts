// A real git repository for end-to-end tests, mirrored into the test server under the same commit
// SHAs: the action's checkout (a git worktree at a commit) and the API's history name the same
// commits, so `git rev-parse HEAD` in the workspace and the `sha` of a dispatch can be compared.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GitHubServer } from './github-server.ts';
import type { Signature } from './git.ts';

export class LocalGit {
  /** Each commit a minute after the last, so that history has one order (the API sorts by date). */
  private clock = Date.now() - 24 * 3_600_000;

  private constructor(readonly dir: string) {}

  static init(defaultBranch = 'main'): LocalGit {
    const dir = mkdtempSync(join(tmpdir(), 'maint-git-'));
    const git = new LocalGit(dir);
    git.run(['init', '--quiet', `--initial-branch=${defaultBranch}`]);
    git.run(['config', 'user.name', 'octocat']);
    git.run(['config', 'user.email', 'octocat@users.noreply.github.com']);
    git.run(['config', 'commit.gpgsign', 'false']);
    return git;
  }

  run(args: readonly string[], dated = false): string {
    const date = dated ? new Date((this.clock += 60_000)).toISOString() : undefined;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.dir,
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
    }).trim();
  }

  /** Writes (or deletes, null) files on a branch and commits them; returns the commit. */
  commit(branch: string, files: Record<string, string | null>, message: string, author = 'octocat'): string {
    this.switchTo(branch);
    for (const [path, content] of Object.entries(files)) {
      const absolute = join(this.dir, path);
      if (content === null) rmSync(absolute, { force: true });
      else {
        mkdirSync(dirname(absolute), { recursive: true });
        writeFileSync(absolute, content);
      }
    }
    this.run(['add', '-A']);
    this.run(
      [
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        message,
        `--author=${author} <${author}@users.noreply.github.com>`,
      ],
      true,
    );
    return this.head();
  }

  /** Merges `from` into `into` with a merge commit (or one squashed commit); returns it. */
  merge(from: string, into: string, message: string, squash = false): string {
    this.switchTo(into);
    if (squash) {
      this.run(['merge', '--quiet', '--squash', from]);
      this.run(['commit', '--quiet', '-m', message], true);
    } else this.run(['merge', '--quiet', '--no-ff', '-m', message, from], true);
    return this.head();
  }

  head(): string {
    return this.run(['rev-parse', 'HEAD']);
  }

  private switchTo(branch: string): void {
    const exists = this.run(['branch', '--list', branch]) !== '';
    const current = this.run(['branch', '--show-current']);
    if (current === branch) return;
    this.run(exists ? ['switch', '--quiet', branch] : ['switch', '--quiet', '-c', branch]);
  }

  /** A checkout of exactly this commit in a directory of its own, as actions/checkout leaves it. */
  checkout(sha: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'maint-checkout-'));
    rmSync(dir, { recursive: true });
    this.run(['worktree', 'add', '--quiet', '--detach', dir, sha]);
    return dir;
  }

  /** Copies every commit and branch into the server's repository (same SHAs, same trees). */
  mirror(server: GitHubServer, fullName: string): void {
    const log = this.run([
      'log',
      '--all',
      '--reverse',
      '--topo-order',
      '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B%x01',
    ]);
    for (const entry of log
      .split('\x01')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [sha, parents, name, email, authored, committed, message] = entry.split('\x00') as string[];
      if (server.state.git.get(sha!)) continue;
      const login = name!;
      const signature = (date: string): Signature => ({ name: name!, email: email!, date: utc(date), login });
      server.seed.importCommit(fullName, {
        sha: sha!,
        parents: parents ? parents.split(' ') : [],
        tree: this.tree(sha!),
        message: message!.trim(),
        author: signature(authored!),
        committer: signature(committed!),
      });
    }
    for (const line of this.run([
      'for-each-ref',
      '--format=%(refname:short) %(objectname)',
      'refs/heads',
    ]).split('\n')) {
      const [branch, sha] = line.split(' ');
      if (branch && sha) server.seed.branch(fullName, branch, sha);
    }
  }

  private tree(sha: string): Map<string, Buffer> {
    const tree = new Map<string, Buffer>();
    const listing = this.run(['ls-tree', '-r', '-z', sha]);
    for (const entry of listing.split('\0').filter(Boolean)) {
      const [meta, path] = entry.split('\t') as [string, string];
      const blob = meta.split(' ')[2]!;
      tree.set(
        path,
        execFileSync('git', ['cat-file', 'blob', blob], {
          cwd: this.dir,
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      );
    }
    return tree;
  }
}

/** Git's ISO dates carry the local offset; the server keeps UTC seconds like GitHub. */
function utc(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
