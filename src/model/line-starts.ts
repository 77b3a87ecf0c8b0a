// Where the lines of a text start, as offsets: what `yaml`'s LineCounter records while parsing,
// for texts read without it (the quick reading, the slot edit).

/** Offsets where each line starts: 0, then one past every newline. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}
