import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { requestYaml } from '../helpers/requests.ts';

const NOW = ['--now', '2027-01-04T00:00:00Z'];

describe('maint validate', () => {
  it('the bundled examples pass, with a plain-language schedule', async () => {
    const { code, stdout } = await cli(['validate', ...NOW]);
    expect(code).toBe(0);
    expect(stdout).toContain('When: Sunday 24 January 2027, 04:00-07:00 CET (03:00-06:00 UTC), 3 h');
    expect(stdout).toContain('Repeats: every week on Sunday');
    expect(stdout).toMatch(/START \(UTC\)\s+DURATION\s+ENVIRONMENT/);
    expect(stdout).toMatch(/10 files, 0 errors, \d+ warnings$/);
  });

  it('--format json prints the documented object', async () => {
    const { code, stdout } = await cli([
      'validate',
      'test/fixtures/requests/invalid/window-outside.yaml',
      ...NOW,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['files', 'summary']);
    expect(report.files[0]).toEqual({
      path: 'test/fixtures/requests/invalid/window-outside.yaml',
      id: 'window-outside',
      errors: [
        {
          rule: 'window',
          message: expect.stringContaining('outside the production windows'),
          line: 7,
          column: 8,
        },
      ],
      warnings: [
        { rule: 'avoid-hours', message: expect.stringContaining('peak business hours'), line: 7, column: 8 },
      ],
    });
    expect(report.summary).toEqual({ files: 1, errors: 1, warnings: 1 });
  });

  it('--format github prints annotations with escaped data and properties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    mkdirSync(join(dir, 'team:a,b'));
    writeFileSync(join(dir, 'team:a,b/late.yaml'), requestYaml({ start: '2027-01-19T10:00' }));
    const { stdout } = await cli(['validate', 'team:a,b', ...NOW, '--format', 'github'], { cwd: dir });
    const line = stdout.split('\n').find((l) => l.includes('title=maint window'));
    // Properties escape , and : ; the message (data) escapes only % CR LF.
    expect(line).toBe(
      '::error file=team%3Aa%2Cb/late.yaml,line=6,col=8,title=maint window::starts Tuesday 19 January 2027, 10:00 UTC, outside the production windows: Sunday primary (Sun 02:00-06:00 UTC); Wednesday secondary (Wed 02:00-04:00 UTC); move it into one',
    );
  });

  it.each([
    ['an unknown flag', ['validate', '--colour'], /unknown option '--colour'/],
    ['a bad --now', ['validate', '--now', 'tomorrow'], /--now tomorrow: expected an ISO 8601 instant/],
    ['a bad --format', ['validate', '--format', 'xml'], /Allowed choices are text, json, github/],
    ['a missing path', ['validate', 'nowhere/'], /nowhere\/: no such file or folder/],
    ['a missing policy', ['validate', '--policy', 'nope.yaml'], /nope\.yaml: no such policy file/],
    ['a bad --base', ['validate', '--base', 'no-such-ref', ...NOW], /--base no-such-ref: not a commit/],
  ])('exit 2 for %s', async (_name, argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exit 2 for an unreadable policy, naming file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    writeFileSync(join(dir, 'policy.yaml'), 'environments:\n  production:\n    windows: yes\n');
    const { code, stderr } = await cli(['validate', '--policy', 'policy.yaml', '--dir', '.', ...NOW], {
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'policy.yaml: line 3, column 14: `environments.production.windows` must be a list',
    );
  });

  it('--base applies notice only to requests added or re-timed since the ref', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    // Medium impact 6 days ahead: too little notice, but it was already merged at the base...
    writeFileSync(join(dir, 'old.yaml'), requestYaml({ impact: 'medium', start: '2027-01-10T02:00' }));
    writeFileSync(
      join(dir, 'moved.yaml'),
      requestYaml({ impact: 'medium', start: '2027-01-31T02:00', services: '[db]' }),
    );
    git('add', '.');
    git('commit', '-qm', 'base');
    // ...then its description changes (no notice needed), one is moved closer, one is added.
    writeFileSync(
      join(dir, 'old.yaml'),
      requestYaml({ impact: 'medium', start: '2027-01-10T02:00', description: 'Edited' }),
    );
    writeFileSync(
      join(dir, 'moved.yaml'),
      requestYaml({ impact: 'medium', start: '2027-01-06T02:00', services: '[db]' }),
    );
    writeFileSync(
      join(dir, 'new.yaml'),
      requestYaml({ impact: 'medium', start: '2027-01-10T02:00', services: '[web]', duration: '30m' }),
    );
    const { stdout } = await cli(['validate', '.', '--base', 'HEAD', ...NOW, '--format', 'json'], {
      cwd: dir,
    });
    const notice = JSON.parse(stdout).files.map((f: { id: string; errors: { rule: string }[] }) => [
      f.id,
      f.errors.some((e) => e.rule === 'notice'),
    ]);
    expect(notice).toEqual([
      ['moved', true],
      ['new', true],
      ['old', false],
    ]);
  });

  it('checks conflicts against the whole folder even when one file is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    cpSync('test/fixtures/requests/scheduled', join(dir, 'maintenance'), { recursive: true });
    writeFileSync(
      join(dir, 'new.yaml'),
      requestYaml({ services: '[fixture-db]', start: '2027-01-24T03:00' }),
    );
    const { code, stdout } = await cli(['validate', 'new.yaml', ...NOW], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toContain('overlaps `sched-db-upgrade`');
  });

  it('--format json keeps every overlapping request of a crowded slot in `overlaps`, as pretty JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    mkdirSync(join(dir, 'maintenance'));
    for (let i = 0; i < 6; i++)
      writeFileSync(
        join(dir, 'maintenance', `job-${i}.yaml`),
        requestYaml({ start: '2027-06-13T02:00', duration: '30m', services: `[svc-${i}]` }),
      );
    const { code, stdout } = await cli(['validate', ...NOW, '--format', 'json'], { cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    // Written a file at a time, yet the same text as printing the whole object.
    expect(stdout).toBe(JSON.stringify(report, null, 2));
    const [first] = report.files;
    expect(first.warnings).toEqual([
      {
        rule: 'conflict',
        message:
          'overlaps 5 other requests in production on Sunday 13 June 2027, 02:00-02:30 UTC: `job-1`, `job-2`, `job-3` and 2 more; check they do not depend on each other',
        line: 6,
        column: 8,
        overlaps: {
          environment: 'production',
          slots: [
            {
              start: '2027-06-13T02:00:00Z',
              end: '2027-06-13T02:30:00Z',
              requests: ['job-1', 'job-2', 'job-3', 'job-4', 'job-5'],
            },
          ],
        },
      },
    ]);
    expect(first.errors).toEqual([
      expect.objectContaining({
        rule: 'concurrency',
        overlaps: {
          environment: 'production',
          slots: [
            {
              start: '2027-06-13T02:00:00Z',
              end: '2027-06-13T02:30:00Z',
              requests: ['job-1', 'job-2', 'job-3', 'job-4', 'job-5'],
              peak: { at: '2027-06-13T02:00:00Z', running: 6, limit: 2 },
            },
          ],
        },
      }),
    ]);
    expect(report.summary).toEqual({ files: 6, errors: 6, warnings: 6 });
  });

  it('--format json of an empty folder is the same text as printing the whole object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    mkdirSync(join(dir, 'maintenance'));
    const { stdout } = await cli(['validate', ...NOW, '--format', 'json'], { cwd: dir });
    expect(stdout).toBe(
      JSON.stringify({ files: [], summary: { files: 0, errors: 0, warnings: 0 } }, null, 2),
    );
  });
});
