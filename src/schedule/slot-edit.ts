// The edit that moves a request file to another start: `start` (and `end`, moved by the same amount)
// rewritten in the file's own way of writing time (local time read in `timezone`, or an offset, in
// the same style, separator, precision and quoting), every other byte of the file left as it was.
// Pure: text and instants in, text out.
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { lineStarts } from '../model/line-starts.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { localAt, offsetAt, resolveLocal } from './time.ts';

export type MovedField = 'start' | 'end';

/** One value replaced: `from`..`to` are offsets into the original text. */
export interface ValueEdit {
  field: MovedField;
  from: number;
  to: number;
  /** The new source of the value, quoting included. */
  source: string;
  /** The date-time it now says, as written inside the quotes. */
  written: string;
}

export interface SlotEdit {
  /** The whole file with the edits applied. */
  text: string;
  /** In file order. */
  edits: ValueEdit[];
}

export type SlotEditResult = { edit: SlotEdit } | { problem: string };

const WRITTEN =
  /^(\s*)(\d{4}-\d{2}-\d{2})([T ])(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?(\s*)$/;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An offset in minutes written as the original was: Z, +01, +0100 or +01:00 (the last when unsure). */
function offsetLike(style: string | undefined, minutes: number): string {
  if (style === 'Z' && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hours = pad2(Math.floor(Math.abs(minutes) / 60));
  const rest = pad2(Math.abs(minutes) % 60);
  if (style !== undefined && /^[+-]\d{2}$/.test(style) && rest === '00') return `${sign}${hours}`;
  if (style !== undefined && /^[+-]\d{4}$/.test(style)) return `${sign}${hours}${rest}`;
  return `${sign}${hours}:${rest}`;
}

/**
 * `instant` written the way `original` was: the same separator, seconds and fraction, an offset
 * (in its style) only when the original had one. A local time that happens twice in the zone (the
 * hour clocks go back) gets the offset too, or it would not say which of the two it is.
 */
export function writeLike(original: string, instant: number, zone: string): string | undefined {
  const match = WRITTEN.exec(original);
  if (!match) return undefined;
  const [, lead, , separator, , seconds, fraction, offset, trail] = match;
  const local = localAt(instant, zone);
  const date = `${local.year}-${pad2(local.month)}-${pad2(local.day)}`;
  const clock = `${pad2(local.hour)}:${pad2(local.minute)}`;
  const precision = `${seconds !== undefined ? `:${pad2(local.second)}` : ''}${
    fraction !== undefined ? `.${'0'.repeat(fraction.length - 1)}` : ''
  }`;
  const minutes = offsetAt(instant, zone);
  const needsOffset = offset !== undefined || resolveLocal(local, zone).kind !== 'exact';
  const suffix = needsOffset ? offsetLike(offset, minutes) : '';
  return `${lead}${date}${separator}${clock}${precision}${suffix}${trail}`;
}

/** The value's new source in the quoting it was written with (block scalars become plain). */
function quoted(node: Scalar, written: string, old: string): string {
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return `'${written}'`;
    case 'QUOTE_DOUBLE':
      return `"${written}"`;
    default:
      // A block scalar's source ends with its line break, which the plain value keeps.
      return old.endsWith('\n') ? `${written.trim()}\n` : written.trim();
  }
}

/**
 * The request file moved to start at `startsAt`; `end`, when written, moves by the same amount
 * (the duration stays). A problem when the file does not hold `start` as a plain date-time value.
 */
export function moveRequestText(
  text: string,
  request: Pick<MaintenanceRequest, 'zone' | 'startsAt' | 'endsAt'>,
  startsAt: number,
): SlotEditResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { problem: 'the file is not one YAML mapping' };
  const targets: { field: MovedField; instant: number }[] = [
    { field: 'start', instant: startsAt },
    { field: 'end', instant: startsAt + (request.endsAt - request.startsAt) },
  ];
  const edits: ValueEdit[] = [];
  for (const { field, instant } of targets) {
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === field);
    if (!pair) {
      if (field === 'start') return { problem: 'the file has no `start`' };
      continue;
    }
    const node = pair.value;
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range)
      return { problem: `\`${field}\` is not written as a date-time value (an alias or a tag)` };
    const [from, to] = node.range;
    const old = text.slice(from, to);
    const written = writeLike(node.value, instant, request.zone);
    if (written === undefined) return { problem: `\`${field}\` is not a date-time maint can rewrite` };
    edits.push({ field, from, to, source: quoted(node, written, old), written: written.trim() });
  }
  edits.sort((a, b) => a.from - b.from);
  return { edit: { text: applyEdits(text, edits, 0, text.length), edits } };
}

function applyEdits(text: string, edits: readonly ValueEdit[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const edit of edits) {
    if (edit.from < from || edit.to > to) continue;
    out += text.slice(at, edit.from) + edit.source;
    at = edit.to;
  }
  return out + text.slice(at, to);
}

/** The 1-based lines an edit's original value spans. */
export function linesOf(text: string, edit: Pick<ValueEdit, 'from' | 'to'>): { first: number; last: number } {
  const starts = lineStarts(text);
  const lineAt = (offset: number) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
    return line + 1;
  };
  // A value's source may end with its line break (block scalars): that break belongs to its last line.
  const end = Math.max(edit.from, edit.to - 1);
  return { first: lineAt(edit.from), last: lineAt(end) };
}

/**
 * Lines `first`..`last` (1-based, inclusive) of the original text as the edits inside them make
 * them, without line breaks: what a suggestion on those lines holds.
 */
export function editedLines(
  text: string,
  edits: readonly ValueEdit[],
  first: number,
  last: number,
): string[] {
  const starts = lineStarts(text);
  const from = starts[first - 1] ?? text.length;
  const to = starts[last] ?? text.length;
  const inside = edits.filter((e) => e.from >= from && e.to <= to);
  // The last line's break is not part of the lines a suggestion replaces.
  return applyEdits(text, inside, from, to)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''));
}
