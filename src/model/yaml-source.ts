// Parses YAML text into plain data while keeping every node's position, so each finding can name
// its file, line and column. Refuses what would hang or exhaust memory (huge files, alias bombs).
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { FieldPath, Finding, LocatedFinding, RuleId } from './types.ts';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases are legitimate for repeated steps; thousands only serve to expand the document. */
const MAX_ALIAS_COUNT = 100;

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

export function parseYaml(source: YamlSource, rule: RuleId = 'schema'): ParsedYaml {
  const bytes = Buffer.byteLength(source.text, 'utf8');
  const result = (
    value: Record<string, unknown> | undefined,
    findings: LocatedFinding[],
    positions: SourcePositions,
  ): ParsedYaml => ({ value, findings, positions, locate: locatorFor(positions) });
  if (bytes > MAX_FILE_BYTES) {
    return result(undefined, [located(rule, oversizeMessage(bytes), 1, 1)], { text: '' });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const { lineStarts } = lineCounter;
  const reparsed: SourcePositions = { text: source.text, lineStarts };
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = (error: YAMLError): LocatedFinding => {
    const { line, column } = position(error.pos[0]);
    // yaml reports an unclosed bracket as an indentation problem; the bracket is the real fix.
    const fix = /end with a [\]}]/.test(error.message) ? FIXES.MISSING_CHAR : FIXES[error.code];
    return located(rule, `invalid YAML: ${error.message}${fix ? `; ${fix}` : ''}`, line, column);
  };

  if (doc.errors.length > 0) return result(undefined, doc.errors.map(syntax), reparsed);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return result(
      undefined,
      [located(rule, 'file is empty; a request is a YAML mapping of fields (title, type, ...)', 1, 1)],
      reparsed,
    );
  }
  if (!isMap(doc.contents)) {
    const { line, column } = position(doc.contents.range?.[0] ?? 0);
    return result(
      undefined,
      [
        located(
          rule,
          'the file must be a YAML mapping of fields (`title: ...`), not a list or a value',
          line,
          column,
        ),
      ],
      reparsed,
    );
  }
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
    return result(undefined, [finding], reparsed);
  }
  return result(value as Record<string, unknown>, [], {
    text: source.text,
    lineStarts,
    fields,
    fieldOffsets,
  });
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
