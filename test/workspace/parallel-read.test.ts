import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestYaml } from '../helpers/requests.ts';
import { findRequestFiles, readRequests } from '../../src/workspace/local.ts';
import { PARALLEL_FROM_FILES, readFilesInParallel, threadsFor } from '../../src/workspace/parallel-read.ts';

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

  it('without a bundle to start threads from, it reads on this thread what readRequests reads', async () => {
    const dirs = ['test/fixtures/requests/invalid'];
    const parallel = await readFilesInParallel(findRequestFiles(dirs, '.'), '.', { threads: 4 });
    const serial = readRequests(dirs, '.');
    expect(parallel.map((p) => [p.path, p.findings, p.request])).toEqual(
      serial.map((p) => [p.path, p.findings, p.request]),
    );
  });

  it('threads of the bundle (dist/cli.js) taking batches in turn give what one thread reads, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-parallel-'));
    mkdirSync(join(dir, 'maintenance'));
    for (let i = 0; i < 2000; i++) {
      const broken = i % 7 === 0 ? { colour: 'red' } : {};
      writeFileSync(
        join(dir, 'maintenance', `r-${String(i).padStart(4, '0')}.yaml`),
        requestYaml({ title: `Request ${i}`, services: `[svc-${i % 13}]`, ...broken }),
      );
    }
    const files = findRequestFiles(['maintenance'], dir);
    const parallel = await readFilesInParallel(files, dir, {
      workerScript: resolve('dist/cli.js'),
      threads: 3,
    });
    const serial = readRequests(['maintenance'], dir);
    expect(parallel.map((p) => [p.path, p.findings, p.request])).toEqual(
      serial.map((p) => [p.path, p.findings, p.request]),
    );
    // Findings placed later (by the rules) land where one thread would place them.
    const finding = { rule: 'conflict', severity: 'warning', message: 'x', path: ['services'] } as const;
    expect(parallel.map((p) => p.locate(finding))).toEqual(serial.map((p) => p.locate(finding)));
  }, 60_000);
});
