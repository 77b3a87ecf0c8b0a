// The release workflow's decisions and the release pull request's content, run on a throw-away git
// repository of this source: pending changesets ask for the release pull request; `npm run
// version-packages` makes its content (version, CHANGELOG.md, lock file, dist/); the merged version
// is released once, with its changelog section as the notes.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ThrowawayRepo } from './throwaway-repo.ts';

const RELEASE = join(ROOT, 'scripts/release.mjs');

/** `node scripts/release.mjs plan` as GITHUB_OUTPUT lines, read back. */
function plan(repo: ThrowawayRepo): Record<string, string> {
  const run = repo.run(process.execPath, [RELEASE, 'plan']);
  expect(run.code, run.stderr).toBe(0);
  return Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=') as [string, string]),
  );
}

const changesets = (repo: ThrowawayRepo) =>
  readdirSync(join(repo.dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');

let released: ThrowawayRepo;

beforeAll(() => {
  // The state after a release of 1.2.2: tagged, in the changelog, no changeset pending.
  released = ThrowawayRepo.create('1.2.2');
  for (const file of changesets(released)) rmSync(join(released.dir, '.changeset', file));
  released.write('CHANGELOG.md', '# maint\n\n## 1.2.2\n\n### Patch Changes\n\n- Earlier fix.\n');
  released.commitAll('Release maint');
  released.git('tag', 'v1.2.2');
}, 60_000);

describe('release plan', () => {
  it('a released version with nothing pending: nothing to do', () => {
    expect(plan(released)).toEqual({ version: '1.2.2', major: '1', release: 'false', 'release-pr': 'false' });
  });

  it('a version without a CHANGELOG.md section is not released (it came from no release pull request)', () => {
    const repo = released.clone();
    repo.git('tag', '-d', 'v1.2.2');
    repo.write('CHANGELOG.md', '# maint\n');
    repo.commitAll('no changelog section');
    const run = repo.run(process.execPath, [RELEASE, 'plan']);
    expect(run.stdout).toContain('release=false');
    expect(run.stderr).toContain('1.2.2 has no section in CHANGELOG.md');
  });

  it('pending changesets: the release pull request, whose merge is then released once', () => {
    const repo = released.clone();
    repo.write('.changeset/calm-owls-sing.md', "---\n'maint': minor\n---\n\n`maint validate` says more.\n");
    const added = repo.commitAll('A change, with its changeset');
    expect(plan(repo)).toMatchObject({ version: '1.2.2', release: 'false', 'release-pr': 'true' });

    // What the release pull request's commit holds (changesets/action runs this script).
    const version = repo.run('npm', ['run', 'version-packages']);
    expect(version.code, version.stderr).toBe(0);
    expect(changesets(repo)).toEqual([]);
    expect(JSON.parse(repo.read('package.json')).version).toBe('1.3.0');
    const lock = JSON.parse(repo.read('package-lock.json'));
    expect([lock.version, lock.packages[''].version]).toEqual(['1.3.0', '1.3.0']);
    const changelog = repo.read('CHANGELOG.md');
    expect(changelog).toMatch(
      /^# maint\n\n## 1\.3\.0\n\n### Minor Changes\n\n- [0-9a-f]{7}: `maint validate` says more\.\n/,
    );
    expect(changelog).toContain('## 1.2.2');
    expect(repo.run(process.execPath, ['dist/cli.js', '--version']).stdout.trim()).toBe(
      '1.3.0 (unreleased build)',
    );
    expect(repo.run(join(ROOT, 'node_modules/.bin/prettier'), ['--check', 'CHANGELOG.md']).code).toBe(0);
    expect(added.startsWith(/- ([0-9a-f]{7}):/.exec(changelog)![1]!)).toBe(true);

    // Merged: released, once.
    const merged = repo.commitAll('Release maint');
    expect(plan(repo)).toEqual({ version: '1.3.0', major: '1', release: 'true', 'release-pr': 'false' });
    const notes = repo.run(process.execPath, [RELEASE, 'notes', '1.3.0', merged]);
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toMatch(/^### Minor Changes\n\n- [0-9a-f]{7}: `maint validate` says more\.\n/);
    expect(notes.stdout).not.toContain('Earlier fix');
    expect(notes.stdout).toContain(`- uses: maint-dev/maint@${merged} # v1.3.0`);
    expect(notes.stdout).toContain('npx maint@1.3.0 validate');
    repo.git('tag', 'v1.3.0');
    expect(plan(repo)).toMatchObject({ release: 'false', 'release-pr': 'false' });
  }, 120_000);

  it.each([
    [['notes', '9.9.9', 'a'.repeat(40)], 'CHANGELOG.md has no section "## 9.9.9"'],
    [['notes', '1.2.2', 'main'], 'expected the release commit, got main'],
    [['publish'], 'usage: node scripts/release.mjs plan|notes|sync-lock|check-package'],
  ])('refuses %j', (args, message) => {
    const run = released.run(process.execPath, [RELEASE, ...args]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
  });
});
