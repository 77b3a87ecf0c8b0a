// Reading our ICS text at the byte and line level, for the tests that check what no parser shows:
// line endings, folding, which property lines exist.

/** Content lines with folding undone (RFC 5545 3.1). */
export function unfold(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line !== '');
}

/** The unfolded lines of each VEVENT (without its BEGIN/END), in order; VALARMs only when asked. */
export function vevents(text: string, withAlarms = false): string[][] {
  const events: string[][] = [];
  let current: string[] | undefined;
  let depth = 0;
  for (const line of unfold(text)) {
    if (line === 'BEGIN:VEVENT') {
      current = [];
      depth = 0;
    } else if (line === 'END:VEVENT' && current) {
      events.push(current);
      current = undefined;
    } else if (current) {
      if (line.startsWith('BEGIN:')) depth++;
      if (depth === 0 || withAlarms) current.push(line);
      if (line.startsWith('END:')) depth--;
    }
  }
  return events;
}

/** The property name of a content line: up to the first `;` or `:`. */
export function propertyName(line: string): string {
  return /^[A-Za-z0-9-]+/.exec(line)?.[0].toUpperCase() ?? line;
}

export function property(lines: readonly string[], name: string): string | undefined {
  return lines.find((line) => propertyName(line) === name);
}

/** The physical lines of a feed as bytes, split at CRLF. */
export function physicalLines(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 2;
    }
  }
  lines.push(bytes.subarray(start));
  return lines;
}
