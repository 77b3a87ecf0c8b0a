// Line diffs for the files of a pull request or comparison: addition/deletion counts and a unified patch
// with three lines of context, as GitHub's `patch` field shows them.

export interface LineDiff {
  additions: number;
  deletions: number;
  /** Absent for binary files, as on GitHub. */
  patch?: string;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

const CONTEXT = 3;
// Beyond this many cells the middle part is shown as a whole replacement rather than an exact diff.
const MAX_CELLS = 4_000_000;

export function lineDiff(before: Buffer, after: Buffer): LineDiff {
  if (before.includes(0) || after.includes(0)) return { additions: 0, deletions: 0 };
  const a = splitLines(before.toString('utf8'));
  const b = splitLines(after.toString('utf8'));
  const ops = editScript(a, b);
  const additions = ops.filter((o) => o.kind === '+').length;
  const deletions = ops.filter((o) => o.kind === '-').length;
  if (additions + deletions === 0) return { additions, deletions };
  return { additions, deletions, patch: unifiedHunks(ops) };
}

// A last line without a newline differs from the same line with one: it carries this mark, which
// the patch shows as git does (a line `\ No newline at end of file`). Text files hold no NUL.
const NO_NEWLINE = '\0';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

function patchLine(op: Op): string[] {
  return op.line.endsWith(NO_NEWLINE)
    ? [`${op.kind}${op.line.slice(0, -1)}`, '\\ No newline at end of file']
    : [`${op.kind}${op.line}`];
}

function editScript(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const head: Op[] = a.slice(0, prefix).map((line) => ({ kind: ' ', line }));
  const tail: Op[] = a.slice(a.length - suffix).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  return [...head, ...lcsOps(midA, midB), ...tail];
}

function lcsOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS || a.length === 0 || b.length === 0) {
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] as number) + 1
          : Math.max(table[(i + 1) * width + j] as number, table[i * width + j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string });
      i++;
      j++;
    } else if ((table[(i + 1) * width + j] as number) >= (table[i * width + j + 1] as number)) {
      ops.push({ kind: '-', line: a[i++] as string });
    } else {
      ops.push({ kind: '+', line: b[j++] as string });
    }
  }
  while (i < a.length) ops.push({ kind: '-', line: a[i++] as string });
  while (j < b.length) ops.push({ kind: '+', line: b[j++] as string });
  return ops;
}

function unifiedHunks(ops: Op[]): string {
  const hunks: string[] = [];
  let index = 0;
  // Line numbers before each op, in the old and new file.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  while (index < ops.length) {
    const firstChange = ops.findIndex((op, k) => k >= index && op.kind !== ' ');
    if (firstChange === -1) break;
    const start = Math.max(index, firstChange - CONTEXT);
    let end = firstChange;
    // Extend while the next change is within 2 * CONTEXT unchanged lines.
    for (let k = firstChange; k < ops.length; k++) {
      if ((ops[k] as Op).kind !== ' ') end = k;
      else if (k - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    const slice = ops.slice(start, stop);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? (oldAt[start] as number) - 1 : (oldAt[start] as number);
    const newStart = newCount === 0 ? (newAt[start] as number) - 1 : (newAt[start] as number);
    hunks.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...slice.flatMap(patchLine));
    index = stop;
  }
  return hunks.join('\n');
}
