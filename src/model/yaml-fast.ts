// The quick reading of a plain request file. `yaml` (the reader every message, position and refusal
// comes from) spends about 100 µs on a typical request; js-yaml reads the same text in about 10.
// On a folder of 10,000 requests that is most of `maint validate`'s time, so files written in the
// plain subset of YAML that requests use are read by js-yaml, and everything else by `yaml`.
//
// The quick reading is only taken when it must agree with `yaml`: no feature where YAML readers are
// known to differ (tags, anchors and aliases, directives, document markers, tabs, carriage returns,
// control characters, and the corners test/model/yaml-fast.test.ts found), scalars resolved with `yaml`'s own core-schema patterns, every key a plain
// field name, and the top-level fields found at the start of their lines, in the order and number
// js-yaml read. Anything unusual, any error or warning, and any limit reached goes to `yaml`, which
// then says precisely what is wrong. test/model/yaml-fast.test.ts compares the two readings on
// generated and mutated files, value and positions alike.
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { lineStarts } from './line-starts.ts';
import type { SourcePositions } from './yaml-source.ts';

/** Core-schema scalars, with the patterns and conversions of `yaml`'s core schema (YAML 1.2). */
const CORE_SCALARS = [
  new Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (text: string) => /^(?:~|[Nn]ull|NULL)?$/.test(text),
    construct: () => null,
  }),
  new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (text: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text),
    construct: (text: string) => text[0] === 't' || text[0] === 'T',
  }),
  new Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (text: string) => /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/.test(text),
    construct: (text: string) =>
      text.startsWith('0o')
        ? parseInt(text.slice(2), 8)
        : text.startsWith('0x')
          ? parseInt(text.slice(2), 16)
          : parseInt(text, 10),
  }),
  new Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (text: string) =>
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/.test(
        text,
      ),
    construct: (text: string) =>
      /nan$/i.test(text)
        ? NaN
        : /inf$/i.test(text)
          ? text[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY
          : parseFloat(text),
  }),
];

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: CORE_SCALARS });

/**
 * Features the quick reading leaves to `yaml`: a tag (!), anchor (&) or alias (*) wherever one
 * could start a node (at the start of a line, after a space, a bracket, a comma or a colon: `R&D`
 * and `*.example.com` in quotes stay quick), tabs, carriage returns, byte-order marks, control and
 * line-separator characters; at the start of a line a directive (%) or a document marker (--- or
 * ...); a comment stuck to a quote, bracket or comma, a `\U` escape past U+10FFFF, and a `#comment`
 * at the start of a line before an indented value, which `yaml` refuses and js-yaml reads (the last
 * two screened more widely: any `\U`, any `#` at a line's start not followed by a space); block
 * scalars with an indentation indicator (`|2`), lines of spaces only, and list items left empty (a
 * `-` alone, or before a comment), where the two read different values.
 */
const UNUSUAL =
  // eslint-disable-next-line no-control-regex
  /(?:^|[ [{,:])[!&*]|[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]|^(?:%|---|\.\.\.)|['"\]},[{]#|^#[^ \n]|\\U|[|>][-+]?[0-9]|^ +$|(?:^|[ ])- *(?:$|#)/m;

/** A key the quick reading accepts: a plain field name that no reader could take for a value. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NOT_A_NAME = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|__proto__)$/;
/** A top-level field at the start of its line: the name, a colon, then a space or the line's end. */
const FIELD_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?= |\n|$)/gm;

export interface FastReading {
  value: Record<string, unknown>;
  positions: SourcePositions;
}

/** The plain data and positions `parseYaml` would give, or undefined when `yaml` must read it. */
export function readPlainYaml(
  text: string,
  maxNesting: number,
  maxListItems: number,
): FastReading | undefined {
  if (UNUSUAL.test(text)) return undefined;
  let value: unknown;
  try {
    let warned = false;
    value = load(text, { schema: SCHEMA, json: false, onWarning: () => (warned = true) });
    if (warned) return undefined;
  } catch {
    return undefined;
  }
  if (!isPlainMapping(value) || !withinLimits(value, maxNesting, maxListItems)) return undefined;
  const starts = lineStarts(text);
  const fieldTable = topLevelFields(text, starts, value);
  if (!fieldTable) return undefined;
  return { value, positions: { text, lineStarts: starts, ...fieldTable } };
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when every key is a field name, nothing is shared (an alias would be), nesting stays
 * within `maxNesting` levels and every list within `maxListItems` items: the checks `yaml`'s
 * reading makes, so that anything over a limit is refused by it, with its message.
 */
function withinLimits(root: Record<string, unknown>, maxNesting: number, maxListItems: number): boolean {
  const seen = new Set<object>();
  const stack: { node: object; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > maxNesting || seen.has(node)) return false;
    seen.add(node);
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    if (Array.isArray(node)) {
      if (node.length > maxListItems) return false;
    } else {
      for (const key of Object.keys(node)) if (!FIELD_NAME.test(key) || NOT_A_NAME.test(key)) return false;
    }
    for (const child of children)
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
  }
  return true;
}

/**
 * The top-level fields and the offsets of each key and value, read from the lines that start
 * with a field name. Undefined unless they are exactly the fields js-yaml read, in its order,
 * and each value is where `yaml` would place it.
 */
function topLevelFields(
  text: string,
  starts: readonly number[],
  value: Record<string, unknown>,
): Pick<SourcePositions, 'fields' | 'fieldOffsets'> | undefined {
  const names = Object.keys(value);
  const fields: string[] = [];
  const fieldOffsets: number[] = [];
  for (const line of starts) {
    const first = text[line];
    // Blank lines, comments, and the items of a list written at the field's own indentation.
    if (first === undefined || first === '\n' || first === ' ' || first === '#' || first === '-') continue;
    FIELD_LINE.lastIndex = line;
    const match = FIELD_LINE.exec(text);
    if (!match || match.index !== line) return undefined;
    const name = match[1]!;
    if (names[fields.length] !== name || value[name] === null) return undefined;
    fields.push(name);
    fieldOffsets.push(line, valueOffset(text, line + match[0].length));
  }
  return fields.length === names.length ? { fields, fieldOffsets } : undefined;
}

/** Where a field's (non-empty) value starts: after the colon on its line, else on a later line. */
function valueOffset(text: string, afterColon: number): number {
  let at = afterColon;
  while (text[at] === ' ') at++;
  if (text[at] !== '#' && text[at] !== '\n') return at;
  // The value is a block below: skip comments and blank lines to its first character.
  for (;;) {
    if (text[at] === '#') while (at < text.length && text[at] !== '\n') at++;
    while (text[at] === ' ' || text[at] === '\n') at++;
    if (text[at] !== '#') return at;
  }
}
