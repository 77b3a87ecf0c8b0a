// Characters that change how text is shown rather than what it says: C0/C1 controls (a terminal
// obeys ESC sequences, backspace erases), and the Unicode bidi controls that make text read
// backwards. Finds them, names them, and shows them as visible stand-ins. Pure.

// Character classes as text (a regex literal with controls in it trips the linter).
const BIDI_CLASS = '\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';
const C1_CLASS = '\\u007f-\\u009f';
/** Bidi embeddings, overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E/F, U+061C). */
const BIDI = new RegExp(`[${BIDI_CLASS}]`);
/** Controls and bidi characters, except tab and line breaks. */
const HIDDEN = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${C1_CLASS}${BIDI_CLASS}]`);
/** The same and line breaks. */
const HIDDEN_OR_LINE = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f${C1_CLASS}${BIDI_CLASS}\\u2028\\u2029]`);
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;
/** What `showHidden` replaces: everything above but tabs (and newlines, when kept). */
const INVISIBLE_ALL = new RegExp(`[\\u0000-\\u001f${C1_CLASS}${BIDI_CLASS}\\u2028\\u2029]`, 'g');
const INVISIBLE_BUT_LINES = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${C1_CLASS}${BIDI_CLASS}]`, 'g');

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'BEL',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line break',
  0x0d: 'carriage return',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x85: 'line break (U+0085)',
  0x2028: 'line separator (U+2028)',
  0x2029: 'paragraph separator (U+2029)',
};

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A person's name for one such character: `ESC (U+001B)`, `right-to-left override (U+202E)`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (NAMES[code]) return NAMES[code]!.includes('U+') ? NAMES[code]! : `${NAMES[code]} (${codePoint(ch)})`;
  if (BIDI.test(ch)) return `bidi control ${codePoint(ch)}`;
  return `control character ${codePoint(ch)}`;
}

/** Whether a character is a bidi control. */
export function isBidi(ch: string): boolean {
  return BIDI.test(ch);
}

/** Whether a character found by `firstHiddenCharacter` breaks the line. */
export function isLineBreak(ch: string): boolean {
  return LINE_BREAK.test(ch);
}

/** The first control or bidi character of `text` (line breaks only when `allowLines` is false). */
export function firstHiddenCharacter(
  text: string,
  allowLines: boolean,
): { index: number; character: string } | undefined {
  const match = (allowLines ? HIDDEN : HIDDEN_OR_LINE).exec(text);
  return match ? { index: match.index, character: match[0] } : undefined;
}

/**
 * Shows control characters as visible stand-ins: C0 controls as their Control Pictures (ESC as ␛,
 * NUL as ␀), DEL as ␡, and C1, bidi and line-separator characters as `\uXXXX` (which is also their
 * JSON escape, so JSON stays valid and means the same). Tabs and, when `keepLines`, newlines stay.
 */
export function showHidden(text: string, keepLines = true): string {
  return text.replace(keepLines ? INVISIBLE_BUT_LINES : INVISIBLE_ALL, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The text without control and bidi characters (tabs and newlines stay): for pages and notices. */
export function stripHidden(text: string): string {
  return text.replace(INVISIBLE_BUT_LINES, '');
}

/** A value quoted for a message: one line, controls shown, long text cut with a count. */
export function quoteValue(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return `\`${showHidden(cut, false)}\``;
}
