// A throw-away git repository holding this project's source (as the release workflow checks it out),
// with the dependencies linked in: where the release steps run in the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve('.');

const SOURCE = [
  'src',
  'schema',
  'scripts',
  'templates',
  '.changeset',
  'tsconfig.json',
  '.gitignore',
  '.prettierrc.json',
];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class ThrowawayRepo {
  constructor(readonly dir: string) {}

  /** This source at `version`, committed on main (nothing tagged yet). */
  static create(version: string): ThrowawayRepo {
    const repo = new ThrowawayRepo(mkdtempSync(join(tmpdir(), 'maint-release-')));
    for (const path of SOURCE) cpSync(join(ROOT, path), join(repo.dir, path), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) {
      const json = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
      json.version = version;
      if (json.packages?.['']) json.packages[''].version = version;
      writeFileSync(join(repo.dir, file), `${JSON.stringify(json, null, 2)}\n`);
    }
    repo.git('init', '-q', '-b', 'main');
    repo.commitAll(`maint ${version}`);
    repo.linkNodeModules();
    return repo;
  }

  /** A clone (tags included), for a case that changes the repository. */
  clone(): ThrowawayRepo {
    const copy = new ThrowawayRepo(join(mkdtempSync(join(tmpdir(), 'maint-release-')), 'repo'));
    execFileSync('git', ['clone', '-q', this.dir, copy.dir]);
    copy.linkNodeModules();
    return copy;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  }

  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** A command in the repository; env entries set to undefined are removed. */
  run(command: string, args: string[], env: Record<string, string | undefined> = {}): Run {
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
    const run = spawnSync(command, args, { cwd: this.dir, env: merged, encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  write(path: string, text: string): void {
    writeFileSync(join(this.dir, path), text);
  }

  /** The dependencies, linked in and kept out of git (a link is no folder to `node_modules/`). */
  private linkNodeModules(): void {
    symlinkSync(join(ROOT, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
    writeFileSync(join(this.dir, '.git/info/exclude'), '/node_modules\n');
  }
}
