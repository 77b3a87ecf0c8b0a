// Writes the files `maint init` (and `init --hub`) scaffold: an existing file is kept unless --force,
// and each one is named as it is written or kept, so a second run says what it left alone.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIO } from './io.ts';

/** Writes `[path, text]` pairs under `root`; returns the paths written (not those kept). */
export function writeScaffold(
  root: string,
  files: readonly (readonly [string, string])[],
  force: boolean,
  io: CliIO,
): Set<string> {
  const written = new Set<string>();
  for (const [path, text] of files) {
    const absolute = resolve(root, path);
    if (existsSync(absolute) && !force) {
      io.out(`kept     ${path} (exists; --force replaces it)`);
      continue;
    }
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    written.add(path);
    io.out(`wrote    ${path}`);
  }
  return written;
}
