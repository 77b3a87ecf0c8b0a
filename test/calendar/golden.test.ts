// The feeds rendered in child processes under different TZ values must be the same bytes (the
// process's zone must not leak in) and match the golden files. UPDATE_GOLDEN=1 rewrites them.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './fixture-feeds.ts';

const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
/** Golden files are stored with LF (the repository's .gitattributes says eol=lf); CRLF is checked apart. */
const GOLDEN = [
  'fixtures/maintenance.ics',
  'fixtures/freezes.ics',
  'fixtures/env/staging.ics',
  'fixtures/service/edge.ics',
  'examples/maintenance.ics',
];

const run = promisify(execFile);

async function render(tz: string): Promise<{ stdout: string; feeds: Record<string, string> }> {
  const script = resolve(ROOT, 'test/calendar/render-feeds.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout, feeds: JSON.parse(stdout) as Record<string, string> };
}

describe('feeds rendered under different process time zones', () => {
  const rendered = new Map<string, Awaited<ReturnType<typeof render>>>();
  beforeAll(async () => {
    // In parallel: each child pays tsx's start-up.
    const results = await Promise.all(ZONES.map(render));
    ZONES.forEach((tz, i) => rendered.set(tz, results[i]!));
  }, 120_000);

  it('checks that the child processes really ran in those zones', () => {
    const offsets = ZONES.map((tz) =>
      spawnSync(
        process.execPath,
        ['-e', 'process.stdout.write(String(new Date(2027,0,1).getTimezoneOffset()))'],
        {
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        },
      ).stdout.trim(),
    );
    expect(offsets).toEqual(['0', '300', '-330', '-825']);
  });

  it.each(ZONES.slice(1))('TZ=%s gives the same bytes as TZ=UTC', (tz) => {
    expect(rendered.get(tz)!.stdout).toBe(rendered.get('UTC')!.stdout);
  });

  it.each(GOLDEN)('%s matches its golden file', (name) => {
    const actual = rendered.get('America/New_York')!.feeds[name]!.replace(/\r\n/g, '\n');
    const file = resolve(FIXTURES, 'golden', name);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
