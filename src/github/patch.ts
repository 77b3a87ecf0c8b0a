// Rebuilds a changed file from its base version and the unified patch GitHub lists with the pull
// request's files, so validating a one-file PR need not fetch the file again. The result counts only
// when its git blob SHA equals the one GitHub lists for the head: any doubt (a base that moved since
// the merge base, a patch GitHub left out or cut short) means reading the file instead.
import { createHash } from 'node:crypto';

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NO_NEWLINE = '\\ No newline at end of file';

/** The SHA git gives the bytes of this text as a blob (`git hash-object`). */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Lines with their endings: the last may have none. */
function linesOf(text: string): string[] {
  return text === '' ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

const strip = (line: string) => (line.endsWith('\n') ? line.slice(0, -1) : line);

/** Applies a unified patch to `base`; undefined when the patch does not fit it exactly. */
export function applyPatch(base: string, patch: string): string | undefined {
  const old = linesOf(base);
  const out: string[] = [];
  let at = 0; // next unread line of `old`
  const rows = patch.split('\n');
  let row = 0;
  while (row < rows.length) {
    const header = HUNK.exec(rows[row]!);
    if (!header) return rows[row] === '' && row === rows.length - 1 ? finish() : undefined;
    row++;
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    // A hunk that removes nothing starts after its line number; otherwise at it.
    const oldStart = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    if (oldStart < at || oldStart > old.length) return undefined;
    out.push(...old.slice(at, oldStart));
    at = oldStart;
    // Which side the last line belonged to, for a following "No newline" marker.
    let last: 'old' | 'new' | 'both' | undefined;
    while (row < rows.length && !HUNK.test(rows[row]!)) {
      const line = rows[row]!;
      row++;
      if (line === NO_NEWLINE) {
        if (last === 'new' || last === 'both') out[out.length - 1] = strip(out[out.length - 1]!);
        if (last === 'old' || last === 'both') {
          if (old[at - 1]!.endsWith('\n')) return undefined;
        }
        continue;
      }
      const kind = line[0];
      const content = line.slice(1);
      if (kind === '+') {
        out.push(`${content}\n`);
        last = 'new';
      } else if (kind === '-' || kind === ' ') {
        if (at >= old.length || strip(old[at]!) !== content) return undefined;
        if (kind === ' ') out.push(`${content}\n`);
        at++;
        last = kind === ' ' ? 'both' : 'old';
      } else if (line === '' && row === rows.length) {
        break;
      } else {
        return undefined;
      }
    }
  }
  return finish();

  function finish(): string {
    out.push(...old.slice(at));
    return out.join('');
  }
}

/**
 * The head version of a changed file, rebuilt from its base version and GitHub's patch, or undefined
 * when that cannot be proven right (the caller then reads the file).
 */
export function headFromPatch(
  base: string | undefined,
  file: { sha?: string; patch?: string },
): string | undefined {
  if (base === undefined || file.sha === undefined) return undefined;
  // No patch: an unchanged rename, or a diff GitHub left out; the SHA tells which.
  const rebuilt = file.patch === undefined ? base : applyPatch(base, file.patch);
  return rebuilt !== undefined && gitBlobSha(rebuilt) === file.sha ? rebuilt : undefined;
}

/**
 * The head-side lines each hunk of a unified patch shows (added and context lines), as 1-based
 * inclusive ranges: the only lines GitHub lets a review comment, and so a suggestion, be placed on.
 */
export function headLinesOfHunks(patch: string): { first: number; last: number }[] {
  const ranges: { first: number; last: number }[] = [];
  for (const row of patch.split('\n')) {
    const header = HUNK.exec(row);
    if (!header) continue;
    const first = Number(header[3]);
    const count = header[4] === undefined ? 1 : Number(header[4]);
    if (count > 0) ranges.push({ first, last: first + count - 1 });
  }
  return ranges;
}
