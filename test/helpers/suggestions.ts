// What GitHub's "Commit suggestion" does with a review comment: the lines it was made on
// (`start_line`..`line`) replaced by the lines of its ```suggestion block.

export interface SuggestionComment {
  line: number;
  /** The first line of a multi-line comment (null or absent for one line). */
  start_line?: number | null;
  startLine?: number;
  body: string;
}

export function suggestedLines(body: string): string[] {
  const rows = body.split('\n');
  const open = rows.findIndex((l) => /^`{3,}suggestion$/.test(l));
  if (open < 0) throw new Error('no suggestion block in the comment');
  const fence = rows[open]!.replace('suggestion', '');
  const close = rows.indexOf(fence, open + 1);
  if (close < 0) throw new Error('the suggestion block is not closed');
  return rows.slice(open + 1, close);
}

export function commitSuggestion(text: string, comment: SuggestionComment): string {
  const lines = text.split('\n');
  const first = comment.start_line ?? comment.startLine ?? comment.line;
  lines.splice(first - 1, comment.line - first + 1, ...suggestedLines(comment.body));
  return lines.join('\n');
}
