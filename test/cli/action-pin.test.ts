// The pin `maint init` writes: the commit of the release it ships in, or the one --action names,
// always a full SHA with its version as a comment; anything that could resolve to nothing is refused.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildInfo } from '../../src/build-info.ts';
import { describeBuild } from '../../src/build-info.ts';
import { actionPin } from '../../src/cli/action-pin.ts';
import { UsageError } from '../../src/errors.ts';
import { cli, RELEASE_BUILD } from '../helpers/cli.ts';

const SHA = RELEASE_BUILD.releaseCommit!;
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';
const UNRELEASED: BuildInfo = { version: '1.2.3', repository: 'maint-dev/maint' };

describe('actionPin', () => {
  it.each<[string, string | undefined, BuildInfo, string]>([
    ['the release itself', undefined, RELEASE_BUILD, `maint-dev/maint@${SHA} # v1.2.3`],
    ['a mirror of the release', 'my-org/maint', RELEASE_BUILD, `my-org/maint@${SHA} # v1.2.3`],
    ["the release's own tag", 'my-org/maint@v1.2.3', RELEASE_BUILD, `my-org/maint@${SHA} # v1.2.3`],
    [
      "the release's commit, no comment",
      `my-org/maint@${SHA}`,
      RELEASE_BUILD,
      `my-org/maint@${SHA} # v1.2.3`,
    ],
    ['a vetted commit', `my-org/maint@${OTHER} # v1.3.0`, RELEASE_BUILD, `my-org/maint@${OTHER} # v1.3.0`],
    [
      'a vetted commit, unreleased',
      `my-org/maint@${OTHER} # v1.3.0`,
      UNRELEASED,
      `my-org/maint@${OTHER} # v1.3.0`,
    ],
    [
      'an upper-case SHA',
      `o/m@${OTHER.toUpperCase()}  #  v2.0.0-rc.1`,
      UNRELEASED,
      `o/m@${OTHER} # v2.0.0-rc.1`,
    ],
  ])('%s', (_name, requested, build, pin) => {
    expect(actionPin(requested, build)).toBe(pin);
  });

  it.each<[string, string | undefined, BuildInfo, string]>([
    ['an unreleased build, by default', undefined, UNRELEASED, 'this maint (1.2.3) is an unreleased build'],
    [
      'an unreleased build, a repository',
      'my-org/maint',
      UNRELEASED,
      "--action 'my-org/maint@<40-hex commit> # vX.Y.Z'",
    ],
    [
      'an unreleased build, its tag',
      'maint-dev/maint@v1.2.3',
      UNRELEASED,
      'this unreleased build knows no release',
    ],
    [
      'another tag',
      'maint-dev/maint@v1.3.0',
      RELEASE_BUILD,
      'knows only the commit of its own release v1.2.3',
    ],
    ['the major tag', 'maint-dev/maint@v1', RELEASE_BUILD, 'v1 can move'],
    [
      'a branch',
      'maint-dev/maint@main',
      RELEASE_BUILD,
      'git ls-remote https://github.com/maint-dev/maint main',
    ],
    ['a short SHA', 'maint-dev/maint@0123456', RELEASE_BUILD, 'a short SHA is not a pin'],
    [
      'a commit of unknown version',
      `maint-dev/maint@${OTHER}`,
      RELEASE_BUILD,
      'add the version of fedcba987654',
    ],
    ['a comment that is no version', `o/m@${OTHER} # latest`, RELEASE_BUILD, 'the comment is the version'],
    ['no owner', 'maint', RELEASE_BUILD, 'expected owner/name'],
    ['an empty ref', 'o/m@', RELEASE_BUILD, 'expected owner/name'],
    ['a newline', `o/m@${OTHER}\nrun: x`, RELEASE_BUILD, 'expected owner/name'],
  ])('refuses %s', (_name, requested, build, message) => {
    expect(() => actionPin(requested, build)).toThrow(UsageError);
    expect(() => actionPin(requested, build)).toThrow(message);
  });
});

describe('maint --version', () => {
  it.each<[BuildInfo, string]>([
    [RELEASE_BUILD, `1.2.3 (maint-dev/maint@${SHA})`],
    [UNRELEASED, '1.2.3 (unreleased build)'],
  ])('says which build it is: %j', async (build, said) => {
    expect(describeBuild(build)).toBe(said);
    expect((await cli(['--version'], { build })).stdout).toBe(said);
  });
});

describe('maint init', () => {
  const workflowPins = (dir: string) =>
    readdirSync(join(dir, '.github/workflows')).flatMap((file) =>
      [
        ...readFileSync(join(dir, '.github/workflows', file), 'utf8').matchAll(/uses: (\S*maint@\S+ # \S+)/g),
      ].map((m) => m[1]),
    );

  it('of a release pins every workflow to its commit, with the version as the comment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-pin-'));
    const { code, stdout } = await cli(['init', '--dir', dir]);
    expect(code).toBe(0);
    const pins = workflowPins(dir);
    expect(pins.length).toBeGreaterThanOrEqual(3);
    expect(new Set(pins)).toEqual(new Set([`maint-dev/maint@${SHA} # v1.2.3`]));
    expect(stdout).toContain(`uses: maint-dev/maint@${SHA} # v1.2.3`);
  });

  it('--action owner/name keeps the release commit for a mirror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-pin-'));
    expect((await cli(['init', '--dir', dir, '--action', 'my-org/maint'])).code).toBe(0);
    expect(new Set(workflowPins(dir))).toEqual(new Set([`my-org/maint@${SHA} # v1.2.3`]));
  });

  it('of an unreleased build says so, exits 2 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-pin-'));
    const { code, stderr } = await cli(['init', '--dir', dir], { build: UNRELEASED });
    expect(code).toBe(2);
    expect(stderr).toContain('maint: this maint (1.2.3) is an unreleased build');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('of an unreleased build writes a pin to the full SHA --action names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-pin-'));
    const action = `my-org/maint@${OTHER} # v1.3.0`;
    expect((await cli(['init', '--dir', dir, '--action', action], { build: UNRELEASED })).code).toBe(0);
    expect(new Set(workflowPins(dir))).toEqual(new Set([action]));
    expect(existsSync(join(dir, '.github/maintenance-policy.yaml'))).toBe(true);
  });
});
