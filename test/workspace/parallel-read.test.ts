import { describe, expect, it } from 'vitest';
import { findRequestFiles, readRequests } from '../../src/workspace/local.ts';
import {
  PARALLEL_FROM_FILES,
  readFilesInParallel,
  slices,
  threadsFor,
} from '../../src/workspace/parallel-read.ts';

describe('reading request files on several threads', () => {
  it.each([
    ['a small folder stays on one thread', 10, undefined, 4, 1],
    ['a large folder uses the cores', PARALLEL_FROM_FILES, undefined, 2, 2],
    ['at most four threads by default', 50_000, undefined, 16, 4],
    ['--jobs is obeyed', 10, 3, 2, 3],
    ['never more threads than files', 2, 8, 8, 2],
    ['at least one thread, even for no files', 0, 4, 4, 1],
  ])('%s', (_, files, requested, cores, expected) => {
    expect(threadsFor(files, requested, cores)).toBe(expected);
  });

  it('slices keep every item once, in order, in near-equal parts', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const parts = slices(items, 3);
    expect(parts.flat()).toEqual(items);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 4]);
    expect(slices([1], 3).flat()).toEqual([1]);
  });

  it('without a bundle to start threads from, it reads on this thread what readRequests reads', async () => {
    const dirs = ['test/fixtures/requests/invalid'];
    const parallel = await readFilesInParallel(findRequestFiles(dirs, '.'), '.', { threads: 4 });
    const serial = readRequests(dirs, '.');
    expect(parallel.map((p) => [p.path, p.findings, p.request])).toEqual(
      serial.map((p) => [p.path, p.findings, p.request]),
    );
  });
});
