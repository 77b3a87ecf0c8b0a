// gitSequenceOf: the scheduler's one-request-at-a-time SEQUENCE for e-mailed events, the same number
// gitSequences gives the feeds, and a reason instead of a wrong number in a shallow clone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRequests } from '../../src/workspace/local.ts';
import { gitSequenceOf, gitSequences } from '../../src/workspace/sequence.ts';
import { requestYaml } from '../helpers/requests.ts';

const scratch = mkdtempSync(join(tmpdir(), 'maint-sequence-of-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function commit(dir: string, start: string, message: string): void {
  writeFileSync(join(dir, 'maintenance/deploy.yaml'), `${requestYaml({ start })}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

describe('gitSequenceOf', () => {
  const repo = join(scratch, 'repo');
  mkdirSync(join(repo, 'maintenance'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  commit(repo, '2027-01-17T02:00', 'Add deploy');
  commit(repo, '2027-01-24T02:00', 'Move deploy a week');
  commit(repo, '2027-01-31T02:00', 'Move deploy again');

  const requestsIn = (dir: string) =>
    readRequests(['maintenance'], dir).flatMap((p) =>
      p.request ? [{ ...p.request, file: resolve(dir, p.request.file) }] : [],
    );

  it('gives the feeds’ SEQUENCE', () => {
    const [request] = requestsIn(repo);
    expect(gitSequenceOf(repo)(request!)).toBe(2);
    expect(gitSequences(repo, [request!]).get('deploy')).toBe(2);
  });

  it('says why in a shallow clone instead of a number the feeds would contradict', () => {
    const shallow = join(scratch, 'shallow');
    git(scratch, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    const [request] = requestsIn(shallow);
    expect(gitSequenceOf(shallow)(request!)).toEqual({ problem: expect.stringMatching(/fetch-depth: 0/) });
  });
});
