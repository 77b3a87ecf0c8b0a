// Text in a request that would change meaning where it is shown: control characters (a terminal
// obeys ESC sequences, backspace rewrites what was printed), bidi controls (text that reads
// differently from what it says) and line breaks in one-line fields (a title spilling into a
// notice's body). Each is an error at its field, but for bidi marks in multi-line text (a warning).
import type { FieldPath, Finding } from './types.ts';
import { describeCharacter, firstHiddenCharacter, isBidi, isLineBreak } from './visible-text.ts';

/** Fields shown on one line: headers, subjects, calendar summaries, link texts. */
const ONE_LINE_FIELDS = new Set(['title', 'name']);

function fieldName(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function textProblems(document: unknown): Finding[] {
  const findings: Finding[] = [];
  const stack: { value: unknown; path: FieldPath }[] = [{ value: document, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const last = path[path.length - 1];
      const oneLine = typeof last === 'string' && ONE_LINE_FIELDS.has(last);
      const hidden = firstHiddenCharacter(value, !oneLine);
      if (!hidden) continue;
      const what = describeCharacter(hidden.character);
      const where = `at character ${hidden.index + 1}`;
      // Bidi marks have their uses in right-to-left prose (they are dropped where it is shown);
      // in a title, and any control character anywhere, they are refused.
      const severity = oneLine || !isBidi(hidden.character) ? 'error' : 'warning';
      const message =
        oneLine && isLineBreak(hidden.character)
          ? `\`${fieldName(path)}\` must be one line; it has a ${what} ${where}: keep it short and put details in \`description\``
          : `\`${fieldName(path)}\` contains ${what} ${where}, which changes how the text is shown (in terminals, notices, calendars): remove it`;
      findings.push({ rule: 'schema', severity, message, path });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: [...path, key] });
    }
  }
  // The walk is depth-first from the end; report in the file's order.
  return findings.reverse();
}
