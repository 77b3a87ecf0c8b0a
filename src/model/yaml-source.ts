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

export function parseYaml(source: YamlSource, rule: RuleId = 'schema'): ParsedYaml {
  const bytes = Buffer.byteLength(source.text, 'utf8');
  const nowhere = (finding: Finding): LocatedFinding => ({ ...finding, line: 1, column: 1 });
  if (bytes > MAX_FILE_BYTES) {
    return {
      value: undefined,
      findings: [located(rule, oversizeMessage(bytes), 1, 1)],
      locate: nowhere,
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  // Re-parses on demand, so that a caller keeping `locate` does not keep the document.
  let parsed: Document | undefined = doc;
  const document = () => (parsed ??= parseDocument(source.text, { prettyErrors: false, uniqueKeys: true }));
  const locate = (finding: Finding): LocatedFinding => ({
    ...finding,
    ...position(offsetOf(document(), finding.path ?? [], finding.atKey === true)),
  });

  if (doc.errors.length > 0) {
    return { value: undefined, findings: doc.errors.map(syntax), locate };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      value: undefined,
      findings: [
        located(rule, 'file is empty; a request is a YAML mapping of fields (title, type, ...)', 1, 1),
      ],
      locate,
    };
  }
  if (!isMap(doc.contents)) {
    const { line, column } = position(doc.contents.range?.[0] ?? 0);
    return {
      value: undefined,
      findings: [
        located(
          rule,
          'the file must be a YAML mapping of fields (`title: ...`), not a list or a value',
          line,
          column,
        ),
      ],
      locate,
    };
  }
  // Keep a small table of where the top-level fields are (what the rules point at) instead of the
  // whole document: validation holds thousands of files at once. Deeper paths re-parse the text.
  const fields = new Map<string, { key: number; value?: number }>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = pair.key.range?.[0] ?? 0;
    const value = (pair.value as { range?: [number, number, number] } | null)?.range?.[0];
    fields.set(String(pair.key.value), value === undefined ? { key } : { key, value });
  }
  const firstKey = fields.values().next().value?.key ?? 0;
  const compactLocate = (finding: Finding): LocatedFinding => {
    const path = finding.path ?? [];
    if (path.length > 1) return locate(finding);
    const field = path.length === 1 ? fields.get(String(path[0])) : undefined;
    const offset = !field ? firstKey : finding.atKey || field.value === undefined ? field.key : field.value;
    return { ...finding, ...position(offset) };
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const aliasBomb = /alias/i.test(message);
    return {
      value: undefined,
      findings: [
        located(
          rule,
          aliasBomb
            ? `refused: YAML aliases (*name) expand beyond ${MAX_ALIAS_COUNT} nodes, which is how "billion laughs" attacks exhaust memory; write the values out`
            : `invalid YAML: ${message}`,
          1,
          1,
        ),
      ],
      locate,
    };
  }
  parsed = undefined;
  return { value: value as Record<string, unknown>, findings: [], locate: compactLocate };
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
