// Cutting rendered text to a service's limits without breaking what was escaped: never inside an
// HTML entity (`&amp;`), a backslash escape or a surrogate pair, preferably at a paragraph, line or
// word boundary. Pure.

/** The longest prefix of `text` of at most `max` UTF-16 units that ends at a safe place. */
export function safePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  // A high surrogate at the end would lose its pair.
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
  // An entity or a backslash escape cut in half.
  let prefix = text.slice(0, end).replace(/&#?[a-zA-Z0-9]{0,8}$/, '');
  const slashes = /\\*$/.exec(prefix)?.[0].length ?? 0;
  if (slashes % 2 === 1) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The prefix ending at the last boundary of the preferred kind found in its second half. */
function boundaryPrefix(text: string, max: number): string {
  const prefix = safePrefix(text, max);
  if (prefix.length === text.length) return prefix;
  for (const boundary of ['\n\n', '\n', ' ']) {
    const at = prefix.lastIndexOf(boundary);
    if (at >= max / 2) return prefix.slice(0, at);
  }
  return prefix;
}

/** Splits text into chunks of at most `max` units, at paragraphs, lines or words where it can. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const chunk = boundaryPrefix(rest, max);
    const taken = chunk.length > 0 ? chunk : rest.slice(0, max);
    const trimmed = taken.trim();
    if (trimmed) chunks.push(trimmed);
    rest = rest.slice(taken.length).replace(/^\s+/, '');
  }
  return chunks;
}

/**
 * Packs paragraphs (separated by blank lines) into as few chunks of at most `max` units as it can,
 * keeping paragraphs whole when they fit.
 */
export function packParagraphs(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n{2,}/)) {
    const trimmed = paragraph.trim();
    if (!trimmed) continue;
    if (current && current.length + 2 + trimmed.length <= max) {
      current = `${current}\n\n${trimmed}`;
      continue;
    }
    if (current) chunks.push(current);
    if (trimmed.length <= max) {
      current = trimmed;
    } else {
      const pieces = splitText(trimmed, max);
      current = pieces.pop() ?? '';
      chunks.push(...pieces);
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Text cut to `max` units at a boundary, with `note(cutCount)` appended when anything was cut. */
export function truncateWithNote(text: string, max: number, note: (omitted: number) => string): string {
  if (text.length <= max) return text;
  const suffix = note(text.length);
  const kept = boundaryPrefix(text, Math.max(0, max - suffix.length - 2)).trimEnd();
  return `${kept}\n\n${note(text.length - kept.length)}`;
}

/** One line of at most `max` units, ending with `…` when cut. */
export function truncateLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  return `${safePrefix(line, max - 1).trimEnd()}…`;
}
