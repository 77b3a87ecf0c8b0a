// Reads the files maint needs out of a repository tarball (GitHub's archive of one commit) as it
// streams in: only paths the caller includes are kept, without the archive's `{owner}-{repo}-{sha}/`
// root folder, so a large repository never sits in memory whole.
import { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import type { FileContent } from './port.ts';
import { LINK_REFUSAL } from '../model/unreadable.ts';
import { decodeUtf8 } from '../model/utf8.ts';

/** Bigger files are not read into memory; they are reported as too big. */
const MAX_ENTRY_BYTES = 1024 * 1024;

export async function readTarball(
  archive: Buffer | AsyncIterable<Uint8Array>,
  include: (path: string) => boolean,
): Promise<Map<string, FileContent>> {
  const files = new Map<string, FileContent>();
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.split('/').slice(1).join('/');
        if (entry.type === 'SymbolicLink' && include(path)) files.set(path, { notFile: LINK_REFUSAL });
        if (entry.type !== 'File' || !include(path)) {
          entry.resume();
          return;
        }
        if (entry.size > MAX_ENTRY_BYTES) {
          files.set(path, { tooBig: entry.size });
          entry.resume();
          return;
        }
        const parts: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => parts.push(chunk));
        entry.on('end', () => files.set(path, decodeUtf8(Buffer.concat(parts))));
      },
    });
    parser.on('end', () => resolve());
    parser.on('error', reject);
    if (Buffer.isBuffer(archive)) {
      parser.end(archive);
      return;
    }
    const source = Readable.from(archive, { objectMode: false });
    source.on('error', reject);
    source.pipe(parser);
  });
  return files;
}
