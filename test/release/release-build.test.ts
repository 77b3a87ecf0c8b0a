// The version embedding, run as the release workflow runs it, on a throw-away git repository holding
// this source: a release build (MAINT_RELEASE_TAG) embeds the commit of its tag, so the CLI it makes
// pins that commit; a build of anything else says it is unreleased and refuses to pin.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ThrowawayRepo, type Run } from './throwaway-repo.ts';

const VERSION = '1.2.3';
type Kind = 'release' | 'plain';

let repo: ThrowawayRepo;
let tagCommit: string;
/** Each build's output and its dist/, copied out of the repository. */
const builds = {} as Record<Kind, Run & { dist: string }>;

/** `npm run build` in the throw-away repository, with or without MAINT_RELEASE_TAG. */
const build = (on: ThrowawayRepo, tag?: string) =>
  on.run(process.execPath, ['scripts/build.mjs'], { MAINT_RELEASE_TAG: tag });

function maint(kind: Kind, args: string[]): Run {
  const run = spawnSync(process.execPath, [join(builds[kind].dist, 'cli.js'), ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `maint init` into an empty folder: what it said, and every pin of maint in the workflows. */
function init(kind: Kind, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'maint-init-'));
  const run = maint(kind, ['init', '--dir', dir, ...args]);
  const workflows = join(dir, '.github/workflows');
  const pins = existsSync(workflows)
    ? readdirSync(workflows).flatMap((f) =>
        [...readFileSync(join(workflows, f), 'utf8').matchAll(/^\s*- uses: (\S*\/maint@.*)$/gm)].map(
          (m) => m[1],
        ),
      )
    : [];
  return { ...run, pins, files: readdirSync(dir) };
}

beforeAll(() => {
  repo = ThrowawayRepo.create(VERSION);
  repo.git('tag', `v${VERSION}`);
  tagCommit = repo.git('rev-parse', 'HEAD');
  // As the release workflow does: the tag built with MAINT_RELEASE_TAG, and as every build is.
  for (const [kind, tag] of [
    ['release', `v${VERSION}`],
    ['plain', undefined],
  ] as const) {
    const dist = mkdtempSync(join(tmpdir(), `maint-dist-${kind}-`));
    builds[kind] = { ...build(repo, tag), dist };
    if (builds[kind].code === 0) cpSync(join(repo.dir, 'dist'), dist, { recursive: true });
  }
}, 120_000);

describe('a release build (MAINT_RELEASE_TAG) of the tagged commit', () => {
  it('embeds the commit of the tag: maint init pins it, with the version as the comment', () => {
    expect(builds.release.code, builds.release.stderr).toBe(0);
    expect(builds.release.stdout).toContain(
      `release build of v${VERSION}: maint init pins maint-dev/maint@${tagCommit}`,
    );
    expect(maint('release', ['--version']).stdout.trim()).toBe(`${VERSION} (maint-dev/maint@${tagCommit})`);

    const written = init('release');
    expect(written.code, written.stderr).toBe(0);
    expect(written.pins.length).toBeGreaterThanOrEqual(3);
    expect(new Set(written.pins)).toEqual(new Set([`maint-dev/maint@${tagCommit} # v${VERSION}`]));
  });

  it.each(['my-org/maint', `my-org/maint@v${VERSION}`])(
    '--action %s: the same commit in a mirror',
    (action) => {
      expect(new Set(init('release', ['--action', action]).pins)).toEqual(
        new Set([`my-org/maint@${tagCommit} # v${VERSION}`]),
      );
    },
  );

  it('--action of another tag is refused: only its own release is known', () => {
    const other = init('release', ['--action', 'my-org/maint@v9.0.0']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`knows only the commit of its own release v${VERSION}`);
    expect(other.files).toEqual([]);
  });

  it('differs from the plain build only in the CLI, by the embedded commit; the action is the same', () => {
    const read = (kind: Kind, file: string) => readFileSync(join(builds[kind].dist, file));
    expect(read('release', 'index.js').equals(read('plain', 'index.js'))).toBe(true);
    const release = read('release', 'cli.js').toString();
    expect(release).not.toBe(read('plain', 'cli.js').toString());
    expect(release.replace(`,\n  releaseCommit: "${tagCommit}"`, '')).toBe(
      read('plain', 'cli.js').toString(),
    );
  });

  it('is what `npm publish` accepts (prepublishOnly), and the plain build is not', () => {
    const check = (kind: Kind) => {
      rmSync(join(repo.dir, 'dist'), { recursive: true, force: true });
      cpSync(builds[kind].dist, join(repo.dir, 'dist'), { recursive: true });
      return repo.run(process.execPath, [join(ROOT, 'scripts/release.mjs'), 'check-package']);
    };
    const release = check('release');
    expect(release.code, release.stderr).toBe(0);
    expect(release.stdout).toContain(`dist/cli.js is the release build of v${VERSION} (${tagCommit})`);
    const plain = check('plain');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(`dist/cli.js says "${VERSION} (unreleased build)"`);
    expect(plain.stderr).toContain(`MAINT_RELEASE_TAG=v${VERSION} npm run build`);
  });
});

describe('a build that is not of a release', () => {
  it('says it is unreleased, and maint init refuses to write a pin unless --action names a full SHA', () => {
    expect(builds.plain.code, builds.plain.stderr).toBe(0);
    expect(builds.plain.stdout).toContain(`unreleased build of ${VERSION}`);
    expect(maint('plain', ['--version']).stdout.trim()).toBe(`${VERSION} (unreleased build)`);

    const refused = init('plain');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`this maint (${VERSION}) is an unreleased build`);
    expect(refused.files).toEqual([]);

    const vetted = `my-org/maint@${tagCommit} # v${VERSION}`;
    const given = init('plain', ['--action', vetted]);
    expect(given.code, given.stderr).toBe(0);
    expect(new Set(given.pins)).toEqual(new Set([vetted]));
  });

  it.each<[string, string, (repo: ThrowawayRepo) => void, string]>([
    [
      'a tag of another version',
      'v1.2.4',
      () => {},
      "MAINT_RELEASE_TAG=v1.2.4 is not package.json's version 1.2.3",
    ],
    [
      'a tag that does not exist yet',
      'v1.2.3',
      (r) => r.git('tag', '-d', 'v1.2.3'),
      'this repository has no tag v1.2.3',
    ],
    [
      'a commit after the tag',
      'v1.2.3',
      (r) => {
        r.write('src/later.ts', 'export {};\n');
        r.commitAll('later');
      },
      'but the checkout is at',
    ],
    [
      'the tagged commit with changes',
      'v1.2.3',
      (r) => writeFileSync(join(r.dir, 'src/build-info.ts'), '// changed\n', { flag: 'a' }),
      'the checkout has changes',
    ],
  ])('is refused as a release build: %s', (_name, tag, arrange, message) => {
    const copy = repo.clone();
    arrange(copy);
    const built = build(copy, tag);
    expect(built.code).toBe(1);
    expect(built.stderr).toContain(message);
    expect(existsSync(join(copy.dir, 'dist'))).toBe(false);
  });
});
