// Writes a built site to disk all at once: into a temporary folder beside the target, then swapped
// in, so a failure never leaves half a site. Refuses to replace a folder maint did not write.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigurationError } from '../errors.ts';

/** Marks a folder as maint's output, so a later publish may replace it. */
export const SITE_MARKER = '.maint-site';

/**
 * `files` may be produced one at a time, and a file's text given in pieces (a hub's feeds are), so a
 * large site need not be in memory whole.
 */
export function writeSite(out: string, files: Iterable<readonly [string, string | Iterable<string>]>): void {
  const target = resolve(out);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new ConfigurationError(out, 'is a file, not a site folder');
    if (readdirSync(target).length > 0 && !existsSync(join(target, SITE_MARKER)))
      throw new ConfigurationError(
        out,
        `is not a folder maint wrote (no ${SITE_MARKER}): remove it or choose another --out`,
      );
  }
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, text] of files) {
      const file = resolve(staging, path);
      if (!file.startsWith(`${staging}/`)) throw new Error(`refusing to write outside the site: ${path}`);
      mkdirSync(dirname(file), { recursive: true });
      if (typeof text === 'string') writeFileSync(file, text);
      else writePieces(file, text);
    }
    writeFileSync(
      join(staging, SITE_MARKER),
      'Written by maint publish; replaced as a whole on each publish.\n',
    );
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Writes the pieces in order, gathered into writes of about a megabyte. */
function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    let batch: string[] = [];
    let size = 0;
    const flush = () => {
      writeSync(fd, batch.join(''));
      batch = [];
      size = 0;
    };
    for (const piece of pieces) {
      batch.push(piece);
      size += piece.length;
      if (size >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
}
