// Rebuilding a head file from its base and GitHub's patch, with patches from git itself and from the
// test server's differ; the blob SHA is checked against git's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, gitBlobSha, headFromPatch } from '../../src/github/patch.ts';
import { lineDiff } from '../harness/diff.ts';

const patchOf = (before: string, after: string) => lineDiff(Buffer.from(before), Buffer.from(after)).patch;

const cases: [string, string, string][] = [
  ['a new file', '', 'title: Patch\nimpact: low\n'],
  ['a new file without a final newline', '', 'title: Patch\nimpact: low'],
  ['one changed line', 'a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 20\nc: 3\n'],
  [
    'changes far apart (two hunks)',
    Array.from({ length: 30 }, (_, i) => `line${i}: x`).join('\n') + '\n',
    Array.from({ length: 30 }, (_, i) => `line${i}: ${i === 2 || i === 27 ? 'y' : 'x'}`).join('\n') + '\n',
  ],
  ['lines inserted at the start and the end', 'b: 2\n', 'a: 1\nb: 2\nc: 3\n'],
  ['a final newline added', 'a: 1\nb: 2', 'a: 1\nb: 2\n'],
  ['a final newline removed', 'a: 1\nb: 2\n', 'a: 1\nb: 2'],
  ['an unchanged last line without newline', 'a: 1\nb: 2\nc: 3', 'a: 9\nb: 2\nc: 3'],
  ['Windows line endings', 'a: 1\r\nb: 2\r\n', 'a: 1\r\nb: 3\r\n'],
  ['everything removed', 'a: 1\n', ''],
];

describe('rebuilding a head file from the base and the patch', () => {
  it.each(cases)('%s', (_, before, after) => {
    const patch = patchOf(before, after)!;
    expect(applyPatch(before, patch)).toBe(after);
    expect(headFromPatch(before, { sha: gitBlobSha(after), patch })).toBe(after);
  });

  it.each(cases)('%s, with the patch git itself writes', (_, before, after) => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-patch-'));
    writeFileSync(join(dir, 'before'), before);
    writeFileSync(join(dir, 'after'), after);
    let diff = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', 'before', 'after'], {
        cwd: dir,
        encoding: 'utf8',
      });
    } catch (error) {
      diff = (error as { stdout: string }).stdout; // exit 1: the files differ
    }
    // GitHub's `patch` is git's diff from the first hunk on, without the final newline.
    const patch = diff.slice(diff.indexOf('@@')).replace(/\n$/, '');
    expect(patch).toMatch(/^@@ /);
    expect(headFromPatch(before, { sha: gitBlobSha(after), patch })).toBe(after);
  });

  it('computes the blob SHA git computes', () => {
    for (const [, , after] of cases)
      expect(gitBlobSha(after)).toBe(
        execFileSync('git', ['hash-object', '--stdin'], { input: after, encoding: 'utf8' }).trim(),
      );
  });

  it('reads the hunk headers git shortens for one-line ranges', () => {
    expect(applyPatch('a\n', '@@ -1 +1 @@\n-a\n+b')).toBe('b\n');
    expect(applyPatch('', '@@ -0,0 +1 @@\n+only')).toBe('only\n');
  });

  it.each([
    ['a context line that differs', 'a\nb\nc\n', '@@ -1,3 +1,3 @@\n a\n-B\n+x\n c'],
    ['a removed line that is not there', 'a\n', '@@ -1,2 +1,1 @@\n a\n-b'],
    ['hunks out of order', 'a\nb\nc\nd\n', '@@ -3,1 +3,1 @@\n-c\n+C\n@@ -1,1 +1,1 @@\n-a\n+A'],
    ['a hunk past the end', 'a\n', '@@ -5,1 +5,1 @@\n-e\n+E'],
    ['text that is not a patch', 'a\n', 'Binary files differ'],
    ['a line of unknown kind', 'a\n', '@@ -1,1 +1,1 @@\n?a'],
  ])('refuses %s', (_, base, patch) => {
    expect(applyPatch(base, patch)).toBeUndefined();
  });

  it('trusts nothing but the SHA: a base that moved since the merge base is read instead', () => {
    const mergeBase = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n';
    const head = mergeBase.replace('b: 2', 'b: 20');
    const movedBase = mergeBase.replace('h: 8', 'h: 80');
    const file = { sha: gitBlobSha(head), patch: patchOf(mergeBase, head)! };
    // The patch applies cleanly to the moved base, yet the result is not the head.
    expect(applyPatch(movedBase, file.patch)).toBe(head.replace('h: 8', 'h: 80'));
    expect(headFromPatch(movedBase, file)).toBeUndefined();
    expect(headFromPatch(mergeBase, file)).toBe(head);
  });

  it('an unchanged rename has no patch: the base is the head when the SHA says so', () => {
    expect(headFromPatch('a: 1\n', { sha: gitBlobSha('a: 1\n') })).toBe('a: 1\n');
    expect(headFromPatch('a: 1\n', { sha: gitBlobSha('a: 2\n') })).toBeUndefined();
    expect(headFromPatch(undefined, { sha: gitBlobSha(''), patch: '' })).toBeUndefined();
    expect(headFromPatch('a\n', { patch: '@@ -1 +1 @@\n-a\n+b' })).toBeUndefined();
  });
});
