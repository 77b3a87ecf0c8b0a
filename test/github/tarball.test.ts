// Reading a repository tarball as it streams in: the same files as from the whole archive, only
// those asked for, with the root folder stripped and oversized files reported instead of read.
import { describe, expect, it } from 'vitest';
import { readTarball } from '../../src/github/tarball.ts';
import { tarball } from '../harness/tarball.ts';

const tree = new Map<string, Buffer>([
  ['.github/maintenance-policy.yaml', Buffer.from('version: 1\n')],
  ['maintenance/2027/db.yaml', Buffer.from('title: Database\n')],
  ['maintenance/2027/huge.yaml', Buffer.alloc(1024 * 1024 + 1, 'a')],
  ...Array.from(
    { length: 300 },
    (_, i) => [`src/file-${i}.ts`, Buffer.from(`export const n = ${i};\n`)] as const,
  ),
]);
const archive = tarball(tree, {
  root: 'acme-app-0123456',
  commitSha: '0123456'.padEnd(40, '0'),
  mtime: new Date(0),
});
const wanted = (path: string) => path.startsWith('maintenance/') || path.startsWith('.github/');

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    await Promise.resolve();
    yield new Uint8Array(data.subarray(i, i + size));
  }
}

describe('readTarball', () => {
  it('keeps only the files asked for, without the root folder', async () => {
    const files = await readTarball(archive, wanted);
    expect([...files.keys()].sort()).toEqual([
      '.github/maintenance-policy.yaml',
      'maintenance/2027/db.yaml',
      'maintenance/2027/huge.yaml',
    ]);
    expect(files.get('maintenance/2027/db.yaml')).toEqual({ text: 'title: Database\n' });
    expect(files.get('maintenance/2027/huge.yaml')).toEqual({ tooBig: 1024 * 1024 + 1 });
  });

  it.each([1, 997, 65_536])('reads the same from a stream in chunks of %i bytes', async (size) => {
    const whole = await readTarball(archive, wanted);
    expect(await readTarball(chunks(archive, size), wanted)).toEqual(whole);
  });

  it('a stream that fails rejects, rather than answering with part of the files', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(archive.subarray(0, 1000));
      throw new Error('connection reset');
    }
    await expect(readTarball(broken(), wanted)).rejects.toThrow('connection reset');
  });

  it('an archive cut short rejects', async () => {
    await expect(readTarball(chunks(archive.subarray(0, archive.length - 10), 4096), wanted)).rejects.toThrow(
      /unexpected end/,
    );
  });
});
