// `maint publish` end to end on disk: the documented files, byte-identical rebuilds, SEQUENCE and
// pull request links from git history, cancellations kept, notices, and never half a site.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { requestYaml } from '../helpers/requests.ts';

const NOW = ['--now', '2027-01-04T00:00:00Z'];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'maint-publish-'));
  cpSync('maintenance', join(dir, 'maintenance'), { recursive: true });
  return dir;
}

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return out;
}

function events(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    status: String(v.getFirstPropertyValue('status')),
    sequence: Number(v.getFirstPropertyValue('sequence') ?? 0),
    description: String(v.getFirstPropertyValue('description') ?? ''),
  }));
}

describe('maint publish', () => {
  it('writes the feeds, the page and the notices; a second run is byte-identical', async () => {
    const dir = workspace();
    const first = await cli(['publish', ...NOW, '--repo', 'acme/ops'], { cwd: dir });
    expect(first.code).toBe(0);
    const site = filesOf(join(dir, 'site'));
    for (const path of [
      'maintenance.ics',
      'freezes.ics',
      'env/production.ics',
      'env/staging.ics',
      'service/api.ics',
      'index.html',
      'schedule.json',
    ])
      expect(site.has(path), path).toBe(true);
    expect(site.has('notices/orders-schema-migration/announcement.md')).toBe(true);
    expect(site.has('notices/orders-schema-migration/announcement.slack.json')).toBe(true);
    expect(site.has('notices/search-reindex/cancellation.email.txt')).toBe(true);
    expect([...site.keys()].some((p) => p.startsWith('notices/edge-certificate-renewal/'))).toBe(false); // past
    expect(first.stdout).toContain(`Open ${join(dir, 'site', 'index.html')}`);

    await cli(['publish', ...NOW, '--repo', 'acme/ops'], { cwd: dir });
    expect(filesOf(join(dir, 'site'))).toEqual(site);
  });

  it('keeps a cancelled request in the feeds, marked for calendars that ignore STATUS', async () => {
    const dir = workspace();
    await cli(['publish', ...NOW, '--repo', 'acme/ops'], { cwd: dir });
    const cancelled = events(readFileSync(join(dir, 'site/maintenance.ics'), 'utf8')).find((e) =>
      e.uid.startsWith('search-reindex@'),
    )!;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', uid: 'search-reindex@acme.ops.maint' });
    expect(cancelled.summary).toMatch(/^\[CANCELLED\] \[PRODUCTION\] Maintenance: /);
  });

  it('SEQUENCE counts the commits that changed times or status; the description of the last PR links it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-publish-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    mkdirSync(join(dir, 'maintenance'));
    const file = join(dir, 'maintenance/db.yaml');
    writeFileSync(file, requestYaml({ start: '2027-01-17T02:00', services: '[db]' }));
    git('add', '.');
    git('commit', '-qm', 'Add the db request (#3)');
    writeFileSync(file, requestYaml({ start: '2027-01-17T02:00', services: '[db]', description: 'Edited' }));
    git('commit', '-qam', 'Describe it better (#4)');
    const sequence = async () => {
      await cli(['publish', ...NOW, '--repo', 'acme/ops'], { cwd: dir });
      return events(readFileSync(join(dir, 'site/maintenance.ics'), 'utf8')).find((e) =>
        e.uid.startsWith('db@'),
      )!;
    };
    expect(await sequence()).toMatchObject({ sequence: 0 });
    writeFileSync(file, requestYaml({ start: '2027-01-24T02:00', services: '[db]', description: 'Edited' }));
    git('commit', '-qam', 'Move it a week (#5)');
    const moved = await sequence();
    expect(moved.sequence).toBe(1);
    expect(moved.description).toContain('https://github.com/acme/ops/pull/5');
    writeFileSync(
      file,
      requestYaml({
        start: '2027-01-24T02:00',
        services: '[db]',
        description: 'Edited',
        status: 'cancelled',
      }),
    );
    git('commit', '-qam', 'Cancel it (#6)');
    expect(await sequence()).toMatchObject({ sequence: 2, status: 'CANCELLED' });
  });

  it('refuses to replace a folder it did not write, and writes nothing when a template is broken', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/keep.md'), 'precious');
    const refused = await cli(['publish', ...NOW, '--out', 'docs'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('docs: is not a folder maint wrote');
    expect(readFileSync(join(dir, 'docs/keep.md'), 'utf8')).toBe('precious');

    await cli(['publish', ...NOW], { cwd: dir });
    const before = filesOf(join(dir, 'site'));
    mkdirSync(join(dir, '.github/maint/templates/notices'), { recursive: true });
    writeFileSync(
      join(dir, '.github/maint/templates/notices/announcement.slack.hbs'),
      'Title\n\n{{md title}}\n',
    );
    const broken = await cli(['publish', ...NOW], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('.github/maint/templates/notices/announcement.slack.hbs');
    expect(filesOf(join(dir, 'site'))).toEqual(before);
    expect(existsSync(join(dir, `site.tmp-${process.pid}`))).toBe(false);
  });
});
