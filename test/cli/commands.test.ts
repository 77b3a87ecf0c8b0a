import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';

const NOW = ['--now', '2027-01-04T00:00:00Z'];

describe('maint next-slot', () => {
  it('prints the earliest valid start in UTC, to the minute', async () => {
    const { code, stdout } = await cli([
      'next-slot',
      '--env',
      'production',
      '--services',
      'orders-db',
      '--duration',
      '2h',
      '--impact',
      'medium',
      ...NOW,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('2027-01-13T02:00:00Z');
  });

  it('avoids the requests in --dir and says which window in json', async () => {
    // The weekly API update holds Sundays 02:00-03:00 on `api`.
    const { stdout } = await cli([
      'next-slot',
      '--env',
      'production',
      '--services',
      'api',
      '--duration',
      '1h',
      '--impact',
      'medium',
      '--after',
      '2027-01-14T00:00:00Z',
      ...NOW,
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout)).toEqual({
      found: true,
      start: '2027-01-17T03:00:00Z',
      end: '2027-01-17T04:00:00Z',
      window: { name: 'Sunday primary', start: '2027-01-17T02:00:00Z', end: '2027-01-17T06:00:00Z' },
    });
  });

  it.each([
    [
      ['next-slot', '--env', 'production', '--services', 'api', '--duration', '1h'],
      /required option '--impact/,
    ],
    [
      ['next-slot', '--env', 'prod', '--services', 'api', '--duration', '1h', '--impact', 'low'],
      /--env prod: not in the policy/,
    ],
    [
      ['next-slot', '--env', 'production', '--services', 'api', '--duration', 'soon', '--impact', 'low'],
      /--duration soon: expected a duration/,
    ],
  ])('exit 2 for bad usage %#', async (argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exit 1 when nothing fits', async () => {
    const { code, stderr } = await cli([
      'next-slot',
      '--env',
      'production',
      '--services',
      'api',
      '--duration',
      '7h',
      '--impact',
      'high',
      ...NOW,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('longer than the 6 h allowed');
  });
});

describe('maint new and init', () => {
  it('init writes the policy, schemas, CODEOWNERS and workflow; new scaffolds a valid request at the next free slot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-init-'));
    const init = await cli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    for (const file of [
      '.github/maintenance-policy.yaml',
      '.github/CODEOWNERS',
      '.github/maint/schema/request.schema.json',
      '.github/workflows/maintenance-validate.yml',
      '.github/workflows/maintenance-execute.yml',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(init.stdout).toContain("create `maintenance` (the scheduler's secrets)");
    expect((await cli(['init'], { cwd: dir })).stdout).toContain('kept     .github/maintenance-policy.yaml');

    const created = await cli(
      [
        'new',
        '--title',
        'Rotate the DB password',
        '--env',
        'production',
        '--services',
        'db',
        '--requester',
        'alice',
        ...NOW,
      ],
      { cwd: dir },
    );
    expect(created.code).toBe(0);
    const file = join(dir, 'maintenance/2027/rotate-the-db-password.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/\.github\/maint\/schema\/request\.schema\.json\n/,
    );
    expect(text).toContain('start: 2027-01-06T02:00');
    const check = await cli(['validate', ...NOW], { cwd: dir });
    expect(check.code).toBe(0);

    // A second one on the same service goes after the first.
    await cli(
      ['new', '--title', 'Second', '--env', 'production', '--services', 'db', '--requester', 'bob', ...NOW],
      { cwd: dir },
    );
    expect(readFileSync(join(dir, 'maintenance/2027/second.yaml'), 'utf8')).toContain(
      'start: 2027-01-06T03:00',
    );
  });

  it('new refuses to write a request that would not pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-new-'));
    const { code, stderr } = await cli(
      [
        'new',
        '--title',
        'Bad',
        '--env',
        'production',
        '--services',
        'db',
        '--requester',
        'alice',
        '--start',
        '2027-01-19T10:00',
        ...NOW,
      ],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('Not written');
    expect(existsSync(join(dir, 'maintenance'))).toBe(false);
  });
});

describe('every command', () => {
  it.each(['validate', 'next-slot', 'new', 'init'])(
    '%s --help exits 0 and describes its options',
    async (command) => {
      const { code, stdout } = await cli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: maint ${command}`);
    },
  );

  // Invalid requests with findings of every kind, checked against a folder of scheduled work.
  const INVALID_AGAINST_SCHEDULED = [
    'validate',
    'test/fixtures/requests/invalid',
    '--dir',
    'test/fixtures/requests/scheduled',
    ...NOW,
    '--format',
    'json',
  ];

  /** Runs the bundle with node options; validation failing (exit 1) still prints its report. */
  const runBundle = (nodeOptions: string[], extra: string[] = []): string => {
    try {
      return execFileSync(
        process.execPath,
        [...nodeOptions, 'dist/cli.js', ...INVALID_AGAINST_SCHEDULED, ...extra],
        {
          encoding: 'utf8',
        },
      );
    } catch (error) {
      return (error as { stdout: string }).stdout;
    }
  };

  it('the bundle (precompiled schema validators) reports exactly what the source does', async () => {
    const fromSource = await cli(INVALID_AGAINST_SCHEDULED);
    expect(fromSource.code).toBe(1);
    expect(JSON.parse(runBundle([]))).toEqual(JSON.parse(fromSource.stdout));
  });

  it('the bundle reads files on several threads (--jobs) and reports exactly what one thread does', () => {
    // Each thread of a profiled process writes its own profile: the count says how many threads ran.
    const run = (jobs: string) => {
      const profiles = mkdtempSync(join(tmpdir(), 'maint-threads-'));
      const stdout = runBundle(['--cpu-prof', `--cpu-prof-dir=${profiles}`], ['--jobs', jobs]);
      return { report: JSON.parse(stdout), threads: readdirSync(profiles).length };
    };
    const one = run('1');
    const three = run('3');
    expect([one.threads, three.threads]).toEqual([1, 3]);
    expect(one.report.summary.errors).toBeGreaterThan(10);
    expect(three.report).toEqual(one.report);
  });

  it('--jobs must be a whole number', async () => {
    const { code, stderr } = await cli(['validate', '--jobs', 'many', ...NOW]);
    expect(code).toBe(2);
    expect(stderr).toContain('--jobs many: expected a whole number from 1 to 64');
  });

  it('the bundled CLI (dist/cli.js) runs the main job on the examples', () => {
    const stdout = execFileSync(process.execPath, ['dist/cli.js', 'validate', ...NOW], { encoding: 'utf8' });
    expect(stdout).toMatch(/10 files, 0 errors/);
  });
});
