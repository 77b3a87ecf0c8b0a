// gitSequences in throw-away git repositories: which commits raise SEQUENCE, which do not, and that
// a rebuild from a fresh clone gives the same numbers.
import * as childProcess from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { gitSequences } from '../../src/workspace/sequence.ts';
import { readRequests } from '../../src/workspace/local.ts';
import { FIXTURES } from './fixture-feeds.ts';

vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof childProcess>();
  return { ...original, execFileSync: vi.fn(original.execFileSync) };
});

const execFileSync = childProcess.execFileSync as unknown as ReturnType<typeof vi.fn> &
  typeof childProcess.execFileSync;

const ID = 'ledger-host-move';
const scratch = mkdtempSync(join(tmpdir(), 'maint-sequence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function newRepo(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(path, next);
}

function sequences(dir: string): Map<string, number> {
  const requests = readRequests(['maintenance'], dir).flatMap((parse) =>
    parse.request ? [parse.request] : [],
  );
  return gitSequences(dir, requests);
}

describe('gitSequences', () => {
  let repo: string;
  const file = `maintenance/2027/${ID}.yaml`;
  const history: [string, number][] = [];

  beforeAll(() => {
    repo = newRepo('history');
    mkdirSync(join(repo, 'maintenance/2027'), { recursive: true });
    cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), join(repo, file));
    commitAll(repo, 'add');
    history.push(['added', sequences(repo).get(ID)!]);
    edit(repo, file, 'Crosses the switch', 'Still crosses the switch');
    commitAll(repo, 'description');
    history.push(['description edited', sequences(repo).get(ID)!]);
    edit(repo, file, 'start: 2027-03-28T01:00', 'start: 2027-04-04T01:00');
    commitAll(repo, 'start');
    history.push(['start moved', sequences(repo).get(ID)!]);
    edit(repo, file, 'requester: frank', 'requester: frank\nstatus: cancelled');
    commitAll(repo, 'cancel');
    history.push(['cancelled', sequences(repo).get(ID)!]);
  });

  it('counts the commits that changed times or status, not the first one or text edits', () => {
    expect(history).toEqual([
      ['added', 0],
      ['description edited', 0],
      ['start moved', 1],
      ['cancelled', 2],
    ]);
  });

  it('gives the same numbers when rebuilt from a fresh clone', () => {
    const clone = join(scratch, 'clone');
    git(scratch, 'clone', '-q', repo, clone);
    expect(sequences(clone)).toEqual(sequences(repo));
  });

  it('follows the file into another folder (same id), and not into another id', () => {
    const moved = newRepo('moved');
    cpSync(join(repo, '.git'), join(moved, '.git'), { recursive: true });
    git(moved, 'checkout', '-q', '-f', 'main');
    mkdirSync(join(moved, 'maintenance/2028'), { recursive: true });
    git(moved, 'mv', file, `maintenance/2028/${ID}.yaml`);
    commitAll(moved, 'move to 2028');
    expect(sequences(moved).get(ID)).toBe(2);
    // Renamed to another id: another request (another UID), whose history starts here.
    git(moved, 'mv', `maintenance/2028/${ID}.yaml`, 'maintenance/2028/ledger-host-move-again.yaml');
    commitAll(moved, 'rename');
    expect(sequences(moved).get('ledger-host-move-again')).toBe(0);
  });

  it('counts one change per merge on the main line, not each commit of the pull request', () => {
    const merged = newRepo('merged');
    mkdirSync(join(merged, 'maintenance'), { recursive: true });
    cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), join(merged, `maintenance/${ID}.yaml`));
    commitAll(merged, 'add');
    git(merged, 'checkout', '-q', '-b', 'reschedule');
    edit(merged, `maintenance/${ID}.yaml`, 'duration: 3h', 'duration: 2h');
    commitAll(merged, 'shorter');
    edit(merged, `maintenance/${ID}.yaml`, 'duration: 2h', 'duration: 150m');
    commitAll(merged, 'a bit longer');
    git(merged, 'checkout', '-q', 'main');
    git(merged, 'merge', '-q', '--no-ff', '-m', 'Merge reschedule', 'reschedule');
    expect(sequences(merged).get(ID)).toBe(1);
  });

  it('counts an uncommitted change of timing as one more (a local preview)', () => {
    const local = newRepo('local');
    mkdirSync(join(local, 'maintenance'), { recursive: true });
    cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), join(local, `maintenance/${ID}.yaml`));
    commitAll(local, 'add');
    edit(local, `maintenance/${ID}.yaml`, 'duration: 3h', 'duration: 2h');
    expect(sequences(local).get(ID)).toBe(1);
  });

  it('is 0 outside git and for files not committed yet', () => {
    const plain = join(scratch, 'plain');
    mkdirSync(join(plain, 'maintenance'), { recursive: true });
    cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), join(plain, `maintenance/${ID}.yaml`));
    expect(sequences(plain)).toEqual(new Map([[ID, 0]]));
    const fresh = newRepo('fresh');
    mkdirSync(join(fresh, 'maintenance'), { recursive: true });
    cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), join(fresh, `maintenance/${ID}.yaml`));
    expect(sequences(fresh)).toEqual(new Map([[ID, 0]]));
  });

  it('refuses a shallow clone, which would restart every SEQUENCE at 0', () => {
    const shallow = join(scratch, 'shallow');
    git(scratch, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    expect(() => sequences(shallow)).toThrow(ConfigurationError);
    expect(() => sequences(shallow)).toThrow(/fetch-depth: 0/);
  });

  it('asks git once per file plus twice in all', () => {
    const many = newRepo('many');
    const ids = ['one', 'two', 'three', 'four'];
    for (const id of ids) {
      const path = join(many, `maintenance/${id}.yaml`);
      mkdirSync(dirname(path), { recursive: true });
      cpSync(join(FIXTURES, 'requests', `${ID}.yaml`), path);
    }
    commitAll(many, 'add');
    renameSync(join(many, 'maintenance/four.yaml'), join(many, 'maintenance/five.yaml'));
    commitAll(many, 'rename');
    const requests = readRequests(['maintenance'], many).flatMap((p) => (p.request ? [p.request] : []));
    execFileSync.mockClear();
    expect(gitSequences(many, requests).size).toBe(4);
    const calls = execFileSync.mock.calls.map((call) => (call[1] as string[])[0]);
    expect(calls).toEqual(['rev-parse', 'log', 'log', 'log', 'log', 'cat-file']);
  });
});
