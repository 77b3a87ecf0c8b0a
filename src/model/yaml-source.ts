// Parses YAML text into plain data while keeping every node's position, so each finding can name
// its file, line and column. Refuses what would hang or exhaust memory (huge files, alias bombs,
// deep nesting, long lists) and what would be read as something else (tags, duplicate keys).
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type YAMLError,
  type YAMLWarning,
} from 'yaml';
import type { FieldPath, Finding, LocatedFinding, RuleId } from './types.ts';
import { quoteValue } from './visible-text.ts';
import { readPlainYaml } from './yaml-fast.ts';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases are legitimate for repeated steps; thousands only serve to expand the document. */
const MAX_ALIAS_COUNT = 100;
/**
 * A request or policy is a few levels deep; past this only an attack (or a mistake) nests, and the
 * parser's recursion would run out of stack (near 1,000 levels).
 */
export const MAX_NESTING = 32;
/** The longest list a file may hold (services, steps, windows...): bounds memory and the rules' work. */
export const MAX_LIST_ITEMS = 1000;

export interface YamlSource {
  /** Shown in messages; usually relative to the working directory. */
  path: string;
  text: string;
}

export interface ParsedYaml {
  /** Plain data, or undefined when the text could not be read as one YAML mapping. */
  value: Record<string, unknown> | undefined;
  /** Syntax findings (already located). */
  findings: LocatedFinding[];
  /** Places a finding at the line and column of the field it names. */
  locate(finding: Finding): LocatedFinding;
  /** The same knowledge as plain data. */
  positions: SourcePositions;
}

const FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'a field may appear once: remove or rename one of them',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'align the lines of one block at the same indentation',
  MULTIPLE_DOCS: 'keep one document per file: remove the `---` separator and what follows, or split the file',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  BLOCK_AS_IMPLICIT_KEY: 'put a space after the colon, or quote the text',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; quote the value if it contains a colon',
  UNEXPECTED_TOKEN: 'quote values that start with a special character (@, `, %, *, &, !, |, >)',
  BAD_ALIAS: 'define the anchor (&name) before using the alias (*name)',
  TAG_RESOLVE_FAILED:
    'maint reads plain YAML only: remove the tag, and quote the value if it starts with `!` (e.g. `title: "!important"`)',
};

export function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

export function oversizeMessage(bytes: number): string {
  return `file is ${describeSize(bytes)}, over the 1 MiB limit; a request is a few kilobytes: move large scripts or data into files the steps call`;
}

function located(
  rule: RuleId,
  message: string,
  line: number,
  column: number,
  path?: FieldPath,
): LocatedFinding {
  return { rule, severity: 'error', message, line, column, ...(path ? { path } : {}) };
}

/**
 * Where a file's fields are, as plain data: small enough to keep for thousands of files, and able to
 * cross to another thread (a closure cannot). Top-level fields, what the rules point at, are in a
 * table; a deeper path re-parses the text on demand.
 */
export interface SourcePositions {
  text: string;
  /** Offsets where lines start; absent when the file was not read (everything is at 1:1). */
  lineStarts?: number[];
  /** Top-level field names, in order; absent when every path re-parses. */
  fields?: string[];
  /** For each field, the offsets of its key and of its value (-1 when it has none), flat. */
  fieldOffsets?: number[];
}

/** Places findings at the line and column of the fields they name; builds its tables on first use. */
export function locatorFor(positions: SourcePositions): (finding: Finding) => LocatedFinding {
  let locate: ((finding: Finding) => LocatedFinding) | undefined;
  return (finding) => (locate ??= buildLocator(positions))(finding);
}

function buildLocator(positions: SourcePositions): (finding: Finding) => LocatedFinding {
  const { text, lineStarts, fields, fieldOffsets = [] } = positions;
  if (!lineStarts) return (finding) => ({ ...finding, line: 1, column: 1 });
  const lines = new LineCounter();
  for (const start of lineStarts) lines.addNewLine(start);
  const at = (finding: Finding, offset: number): LocatedFinding => {
    const { line, col } = lines.linePos(offset);
    return { ...finding, line, column: col };
  };
  let parsed: Document | undefined;
  const deep = (finding: Finding): LocatedFinding => {
    parsed ??= parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    return at(finding, offsetOf(parsed, finding.path ?? [], finding.atKey === true));
  };
  if (!fields) return deep;
  const table = new Map(fields.map((name, i) => [name, i]));
  const firstKey = fieldOffsets[0] ?? 0;
  return (finding) => {
    const path = finding.path ?? [];
    if (path.length > 1) return deep(finding);
    const index = path.length === 1 ? table.get(String(path[0])) : undefined;
    if (index === undefined) return at(finding, firstKey);
    const key = fieldOffsets[2 * index]!;
    const value = fieldOffsets[2 * index + 1]!;
    return at(finding, finding.atKey || value < 0 ? key : value);
  };
}

/** Reads a YAML file: the quick reading for a plain file (see yaml-fast.ts), else the full one. */
export function parseYaml(source: YamlSource, rule: RuleId = 'schema'): ParsedYaml {
  if (Buffer.byteLength(source.text, 'utf8') <= MAX_FILE_BYTES) {
    const plain = readPlainYaml(source.text, MAX_NESTING, MAX_LIST_ITEMS);
    if (plain) return parsed(plain.value, [], plain.positions);
  }
  return parseYamlFully(source, rule);
}

function parsed(
  value: Record<string, unknown> | undefined,
  findings: LocatedFinding[],
  positions: SourcePositions,
): ParsedYaml {
  return { value, findings, positions, locate: locatorFor(positions) };
}

/** The full reading with `yaml`, which every message, refusal and deep position comes from. */
export function parseYamlFully(source: YamlSource, rule: RuleId = 'schema'): ParsedYaml {
  const bytes = Buffer.byteLength(source.text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    return parsed(undefined, [located(rule, oversizeMessage(bytes), 1, 1)], { text: '' });
  }
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check compares every key with
  // every earlier one, which takes minutes on a mapping of 80,000 keys.
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const { lineStarts } = lineCounter;
  const reparsed: SourcePositions = { text: source.text, lineStarts };
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const at = (message: string, offset: number) => {
    const { line, column } = position(offset);
    return located(rule, message, line, column);
  };
  const syntax = (error: YAMLError | YAMLWarning): LocatedFinding => {
    // yaml reports an unclosed bracket as an indentation problem; the bracket is the real fix.
    const fix = /end with a [\]}]/.test(error.message) ? FIXES.MISSING_CHAR : FIXES[error.code];
    return at(`invalid YAML: ${error.message}${fix ? `; ${fix}` : ''}`, error.pos[0]);
  };

  if (doc.errors.some((e) => /call stack/i.test(e.message))) {
    const deep = deepNestingOffset(source.text, MAX_NESTING);
    return parsed(undefined, [at(nestingMessage(), deep ?? doc.errors[0]!.pos[0])], reparsed);
  }
  if (doc.errors.length > 0)
    return parsed(undefined, syntaxFindings(doc.errors, source.text, syntax, at), reparsed);
  // Warnings are problems too: an unknown tag (`!include`) would otherwise be read as plain text.
  if (doc.warnings.length > 0) return parsed(undefined, doc.warnings.map(syntax), reparsed);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return parsed(
      undefined,
      [located(rule, 'file is empty; a request is a YAML mapping of fields (title, type, ...)', 1, 1)],
      reparsed,
    );
  }
  if (!isMap(doc.contents)) {
    return parsed(
      undefined,
      [
        at(
          'the file must be a YAML mapping of fields (`title: ...`), not a list or a value',
          doc.contents.range?.[0] ?? 0,
        ),
      ],
      reparsed,
    );
  }
  const shape = checkShape(doc.contents);
  if (shape) return parsed(undefined, [at(shape.message, shape.offset)], reparsed);
  const fields: string[] = [];
  const fieldOffsets: number[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const value = (pair.value as { range?: [number, number, number] } | null)?.range?.[0];
    fields.push(String(pair.key.value));
    fieldOffsets.push(pair.key.range?.[0] ?? 0, value ?? -1);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const aliasBomb = /alias/i.test(message);
    const finding = located(
      rule,
      aliasBomb
        ? `refused: YAML aliases (*name) expand beyond ${MAX_ALIAS_COUNT} nodes, which is how "billion laughs" attacks exhaust memory; write the values out`
        : `invalid YAML: ${message}`,
      1,
      1,
    );
    return parsed(undefined, [finding], reparsed);
  }
  return parsed(value as Record<string, unknown>, [], {
    text: source.text,
    lineStarts,
    fields,
    fieldOffsets,
  });
}

function nestingMessage(): string {
  return `refused: values are nested deeper than ${MAX_NESTING} levels; a few levels are enough: flatten the structure`;
}

type Node = { range?: [number, number, number] | null } | null | undefined;
const startOf = (node: Node, fallback: number) => node?.range?.[0] ?? fallback;

/**
 * One pass over the parsed tree, with an explicit stack (no recursion): duplicate keys, nesting
 * deeper than MAX_NESTING and lists longer than MAX_LIST_ITEMS, each at the offending node.
 */
function checkShape(root: Node): { message: string; offset: number } | undefined {
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node) || isScalar(node) || !node) continue;
    if (depth > MAX_NESTING) return { message: nestingMessage(), offset: startOf(node, 0) };
    if (isSeq(node)) {
      if (node.items.length > MAX_LIST_ITEMS)
        return {
          message: `refused: a list of ${node.items.length.toLocaleString('en-US')} items; a list may have at most ${MAX_LIST_ITEMS.toLocaleString('en-US')}`,
          offset: startOf(node, 0),
        };
      for (const item of node.items) stack.push({ node: item as Node, depth: depth + 1 });
    } else if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const key = pair.key as Node;
        if (isScalar(key)) {
          const name = key.value;
          const first = seen.get(name);
          if (first !== undefined)
            return {
              message: `invalid YAML: Map keys must be unique: ${quoteValue(String(name))} appears twice; ${FIXES.DUPLICATE_KEY}`,
              offset: startOf(key, first),
            };
          seen.set(name, startOf(key, 0));
        } else if (key) {
          stack.push({ node: key, depth: depth + 1 });
        }
        stack.push({ node: pair.value as Node, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

const KEY_LINE = /^( *)(?:- +)?([^\s#:][^:#]*?):(?:\s|$)/;

/**
 * Syntax errors as findings, one per line. A key indented more than the field above it makes the
 * parser complain twice about the line above (as a compact mapping and a multi-line key); the fix
 * is on the key's own line.
 */
function syntaxFindings(
  errors: readonly YAMLError[],
  text: string,
  syntax: (error: YAMLError) => LocatedFinding,
  at: (message: string, offset: number) => LocatedFinding,
): LocatedFinding[] {
  const findings: LocatedFinding[] = [];
  const lines = new Set<number>();
  for (const error of errors) {
    let finding = syntax(error);
    if (['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'BAD_INDENT'].includes(error.code)) {
      finding = misindentedKey(text, error.pos[0], at) ?? finding;
    }
    if (lines.has(finding.line)) continue;
    lines.add(finding.line);
    findings.push(finding);
  }
  return findings;
}

/**
 * The finding for a key indented more than the key on the line above it, when that key already has
 * its value (so the deeper key cannot belong to it): looked for at the error's line and the next.
 */
function misindentedKey(
  text: string,
  offset: number,
  at: (message: string, offset: number) => LocatedFinding,
): LocatedFinding | undefined {
  const lineStartOf = (index: number) => text.lastIndexOf('\n', index - 1) + 1;
  const lineAt = (start: number) => {
    const end = text.indexOf('\n', start);
    return text.slice(start, end < 0 ? undefined : end);
  };
  const here = lineStartOf(offset);
  const previous = here === 0 ? -1 : lineStartOf(here - 1);
  const nextBreak = text.indexOf('\n', here);
  const pairs: [number, number][] = [];
  if (previous >= 0) pairs.push([previous, here]);
  if (nextBreak >= 0) pairs.push([here, nextBreak + 1]);
  for (const [aboveStart, belowStart] of pairs) {
    const aboveText = lineAt(aboveStart);
    const above = KEY_LINE.exec(aboveText);
    const below = KEY_LINE.exec(lineAt(belowStart));
    if (!above || !below || below[1]!.length <= above[1]!.length) continue;
    // `key:` alone opens a block the next line may indent into; `key: value` does not.
    const rest = aboveText.slice(above[0].length).replace(/#.*$/, '').trim();
    if (rest === '' || rest === '|' || rest === '>') continue;
    const key = below[2]!.trim();
    return at(
      `invalid YAML: \`${key}:\` is indented more than \`${above[2]!.trim()}:\` on the line above, so YAML reads it as part of that value; start \`${key}:\` at column ${above[1]!.length + 1}, like the other fields of this mapping`,
      belowStart + below[1]!.length,
    );
  }
  return undefined;
}

/**
 * Where nesting first passes `limit` levels, found without parsing (the parser itself ran out of
 * stack): flow brackets, and block levels counted by indentation and `- ` items. Quoted text and
 * comments are skipped. Undefined when the scan finds no such place.
 */
export function deepNestingOffset(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  while (i < text.length) {
    // The start of a line: its indentation and `- ` markers open block levels.
    let col = 0;
    while (text[i + col] === ' ') col++;
    const lineStart = i;
    i += col;
    if (flow === 0 && text[i] !== '\n' && text[i] !== '#' && i < text.length) {
      while (indents.length > 0 && indents[indents.length - 1]! >= col) indents.pop();
      indents.push(col);
      while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        indents.push(col + (i - lineStart) + 1);
        i += 2;
        while (text[i] === ' ') i++;
        if (indents.length > limit) return i;
      }
      if (indents.length > limit) return i;
    }
    // The rest of the line: flow brackets and implicit `key: ` levels.
    while (i < text.length && text[i] !== '\n') {
      const ch = text[i]!;
      if (ch === '"' || ch === "'") {
        i = skipQuoted(text, i);
        continue;
      }
      if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
        while (i < text.length && text[i] !== '\n') i++;
        break;
      }
      if (ch === '[' || ch === '{') {
        flow++;
        if (indents.length + flow > limit) return i;
      } else if ((ch === ']' || ch === '}') && flow > 0) {
        flow--;
      }
      i++;
    }
    i++;
  }
  return undefined;
}

function skipQuoted(text: string, start: number): number {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\' && quote === '"') i += 2;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/** Offset of the node a path names; falls back to the deepest ancestor that exists. */
function offsetOf(doc: Document, path: FieldPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (!isCollection(node)) break;
    const items = (node as { items: unknown[] }).items;
    let next: unknown;
    if (isMap(node)) {
      const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!isPair(pair)) break;
      const last = i === path.length - 1;
      const keyRange = (pair.key as { range?: [number, number, number] }).range;
      if (last && (atKey || pair.value === null)) return keyRange?.[0] ?? offset;
      offset = keyRange?.[0] ?? offset;
      next = pair.value;
    } else if (typeof segment === 'number') {
      next = items[segment];
    } else {
      break;
    }
    const range = (next as { range?: [number, number, number] } | null)?.range;
    if (!range) break;
    offset = range[0];
    node = next;
  }
  if (path.length === 0) {
    // The first key: the most useful place for "missing field" findings on the whole file.
    const contents = doc.contents as { items?: { key?: { range?: number[] } }[] } | null;
    return contents?.items?.[0]?.key?.range?.[0] ?? 0;
  }
  return offset;
}

function isCollection(node: unknown): boolean {
  return typeof node === 'object' && node !== null && Array.isArray((node as { items?: unknown }).items);
}
