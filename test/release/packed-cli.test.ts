// The CLI as npm ships it: `npm pack`, the tarball installed into an empty folder (offline: the
// package has no dependencies, dist/cli.js is a bundle), and `maint` run from there as a requester
// would, through its bin link, on the Node of MAINT_TEST_NODE (default: this one).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const NODE = resolve(process.env.MAINT_TEST_NODE || process.execPath);
const NOW = ['--now', '2027-01-04T00:00:00Z'];
const VETTED = `maint-dev/maint@${'c0ffee'.repeat(6)}c0ff # v9.8.7`;

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;
let manifest: Record<string, unknown> & { version: string };
let bin: string;
let repo: string;

function maint(args: string[]) {
  const run = spawnSync(bin, args, {
    cwd: repo,
    encoding: 'utf8',
    // The bin's `#!/usr/bin/env node` finds the Node under test first.
    env: { ...process.env, PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ''}` },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'maint-pack-'));
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { encoding: 'utf8' });
  packed = (JSON.parse(json) as Packed[])[0]!;

  const consumer = mkdtempSync(join(tmpdir(), 'maint-consumer-'));
  writeFileSync(join(consumer, 'package.json'), '{ "private": true }\n');
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(out, packed.filename)],
    { cwd: consumer, encoding: 'utf8' },
  );
  manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/maint/package.json'), 'utf8'));
  bin = join(consumer, 'node_modules/.bin/maint');
  repo = mkdtempSync(join(tmpdir(), 'maint-requester-'));
}, 120_000);

describe('the npm package', () => {
  it('holds only what runs: the CLI bundle, the schemas (with the hub schema, which init --hub writes), the templates and the docs', () => {
    const paths = packed.files.map((f) => f.path);
    const extra = paths.filter(
      (p) =>
        !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/cli\.js|schema\/(request|policy|schedule|hub)\.schema\.json|templates\/.+)$/.test(
          p,
        ),
    );
    expect(extra).toEqual([]);
    for (const needed of [
      'dist/cli.js',
      'schema/request.schema.json',
      'templates/notices/start.slack.hbs',
      'LICENSE',
    ])
      expect(paths).toContain(needed);
  });

  it('is publishable, dependency-free and runs maint', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ maint: 'dist/cli.js' });
    expect(manifest.engines).toEqual({ node: '>=20' });
    const node = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
    expect(Number(/^v(\d+)/.exec(node)![1])).toBeGreaterThanOrEqual(20);
    expect(maint(['--version']).stdout.trim()).toBe(`${manifest.version} (unreleased build)`);
  });
});

describe('maint from the installed package, in an empty repository', () => {
  it('init: refuses an unresolvable pin, then writes the pin --action names', () => {
    const refused = maint(['init']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is an unreleased build');
    expect(existsSync(join(repo, '.github'))).toBe(false);

    const init = maint(['init', '--action', VETTED]);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(repo, '.github/workflows/maintenance-validate.yml'), 'utf8')).toContain(
      `uses: ${VETTED}\n`,
    );
    expect(existsSync(join(repo, '.github/maint/schema/request.schema.json'))).toBe(true);
  });

  it('new, validate and next-slot: a request at the next free slot, valid, and the slot after it', () => {
    const created = maint([
      'new',
      '--title',
      'Rotate keys',
      '--env',
      'production',
      '--services',
      'db',
      '--requester',
      'alice',
      ...NOW,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const request = readFileSync(join(repo, 'maintenance/2027/rotate-keys.yaml'), 'utf8');
    expect(request).toContain('start: 2027-01-06T02:00');

    const valid = maint(['validate', ...NOW]);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/1 files?, 0 errors/);

    const slot = maint([
      'next-slot',
      '--env',
      'production',
      '--services',
      'db',
      '--duration',
      '1h',
      '--impact',
      'low',
      ...NOW,
    ]);
    expect(slot.code, slot.stderr).toBe(0);
    expect(slot.stdout.trim()).toBe('2027-01-06T03:00:00Z');
  });

  it('notices: rendered from the templates the package ships', () => {
    const notice = maint([
      'notices',
      '--id',
      'rotate-keys',
      '--kind',
      'announcement',
      '--channel',
      'markdown',
      ...NOW,
    ]);
    expect(notice.code, notice.stderr).toBe(0);
    expect(notice.stdout).toContain('Rotate keys');
  });

  it('the pre-commit hook: its entry, on the files it matches, fails a bad request with its line', () => {
    const [hook] = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as {
      entry: string;
      files: string;
      language: string;
    }[];
    expect(hook!.language).toBe('node');
    mkdirSync(join(repo, 'maintenance/2027'), { recursive: true });
    const good = 'maintenance/2027/rotate-keys.yaml';
    const bad = 'maintenance/2027/bad.yaml';
    writeFileSync(join(repo, bad), readFileSync(join(repo, good), 'utf8').replace('title:', 'titel:'));
    const staged = [good, bad, '.github/CODEOWNERS', 'README.md'].filter((f) =>
      new RegExp(hook!.files).test(f),
    );
    expect(staged).toEqual([good, bad]);

    const [command, ...args] = hook!.entry.split(' ');
    expect(command).toBe('maint');
    const run = maint([...args, ...staged, ...NOW]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(bad);
    expect(run.stdout).toContain('line 2, col 1: unknown field `titel`; did you mean `title`?');
    expect(maint([...args, good, ...NOW]).code).toBe(0);
  });
});
