// The quick reading of plain request files (js-yaml) against the full one (`yaml`), which is the
// authority: whenever the quick reading answers, `yaml` must read the same text without a single
// finding, to the same value, with every field at the same place. Compared on the project's own
// YAML files, on generated files that reach for the corners where YAML readers differ, and on
// those files mutated character by character (the slips people make, and what attackers try).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readPlainYaml } from '../../src/model/yaml-fast.ts';
import { MAX_LIST_ITEMS, MAX_NESTING, parseYaml, parseYamlFully } from '../../src/model/yaml-source.ts';
import { requestYaml } from '../helpers/requests.ts';

// A longer soak: MAINT_FUZZ_SEED=7 MAINT_FUZZ_SCALE=20 npx vitest run test/model/yaml-fast.test.ts
const SEED = Number(process.env.MAINT_FUZZ_SEED ?? 12);
const SCALE = Number(process.env.MAINT_FUZZ_SCALE ?? 1);
const FUZZ_TIMEOUT = 60_000 * SCALE;

/** True when the quick reading answered (and agreed); false when it left the text to `yaml`. */
function quickAgrees(text: string): boolean {
  const quick = readPlainYaml(text, MAX_NESTING, MAX_LIST_ITEMS);
  if (!quick) return false;
  const full = parseYamlFully({ path: 'maintenance/2027/x.yaml', text });
  const context = `quick reading of:\n${text}`;
  expect(full.findings, context).toEqual([]);
  expect(quick.value, context).toStrictEqual(full.value);
  expect(quick.positions, context).toStrictEqual(full.positions);
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

const corpus = [
  ...['maintenance', 'test/fixtures', '.github'].flatMap(yamlFilesUnder).map((f) => readFileSync(f, 'utf8')),
  requestYaml(),
  requestYaml({ services: '[api, "db", \'cache\']', description: '|\n  Line one.\n\n  Line two.\n' }),
  requestYaml({ steps: '\n  - name: drain\n    run: ./drain.sh --all\n  - name: "wait"\n    run: sleep 5' }),
];

/** Characters and pieces where YAML readers part ways. */
const TRICKY = [
  ...' :#-[]{},\'"?|>@`%\\.+_~=éü😀\u00a0',
  ': ',
  ' #',
  '- ',
  '\n',
  '\n  ',
  '\n- ',
  'true',
  'NULL',
  '~',
  '0x1F',
  '0o17',
  '012',
  '1_000',
  '+12',
  '-.5',
  '1e3',
  '1.50',
  '.inf',
  '-.Inf',
  '.NaN',
  '0b101',
  'yes',
  '2027-01-17',
  '2027-01-17T02:00',
  '<<',
  '\\x41',
  '\\u00e9',
  '\\U0001F600',
  '\\N',
  '\\_',
  '\\/',
  '\\ ',
  '\\q',
  "''",
  // Tags, anchors and aliases, where they start a node and where they are only text.
  '*',
  '&',
  '!',
  ' *a',
  ' &a ',
  '&a',
  '*a',
  ' !!str ',
  ' !x ',
  'R&D',
  '[*',
  ',&b ',
  ':*a',
];
/** Text for scalars: plain words with, one time in `1 + tame` pieces, a tricky one. */
const scalarOf = (tame: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
        { weight: tame, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019 .-'), maxLength: 6 }) },
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(''));

const KEYS = [
  'title',
  'services',
  'a_b',
  'x-1',
  'description',
  'Title',
  'true',
  'null',
  '1',
  '-x',
  'a b',
  '"q"',
  "'s'",
  '? k',
  '<<',
  '__proto__',
  'k:',
];
const key = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...KEYS.slice(0, 6)) },
  { weight: 20, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-z0-9_-]{0,6}$/) },
  { weight: 2, arbitrary: fc.constantFrom(...KEYS.slice(6)) },
);

interface Style {
  scalarText: fc.Arbitrary<string>;
  comment: fc.Arbitrary<string>;
  blockHead: fc.Arbitrary<string>;
  indentation: fc.Arbitrary<string>;
}
const WILD: Omit<Style, 'scalarText'> = {
  comment: fc.constantFrom('', ' # note', ' #', '#x', '  # a: b'),
  blockHead: fc.constantFrom('|', '>', '|-', '>+', '|2', '>1-', '|+'),
  indentation: fc.constantFrom('', ' ', '  ', '   ', '    '),
};
const TAME: Omit<Style, 'scalarText'> = {
  comment: fc.constantFrom('', '', '', ' # note', '  # a: b'),
  blockHead: fc.constantFrom('|', '>', '|-', '>-'),
  indentation: fc.constantFrom('', '', '', '  '),
};

/** A value in one of YAML's forms, written after `key:` (block forms start on the next line). */
const valueOf = ({ scalarText, comment, blockHead, indentation }: Style): fc.Arbitrary<string> =>
  fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalarText.map((s) => ` ${s}`),
      scalarText.map((s) => ` '${s.replace(/'/g, "''")}'`),
      scalarText.map((s) => ` '${s}'`),
      scalarText.map((s) => ` "${s.replace(/"/g, '\\"')}"`),
      scalarText.map((s) => ` "${s}"`),
      fc
        .tuple(blockHead, comment, fc.array(fc.tuple(indentation, scalarText), { maxLength: 4 }))
        .map(([head, note, lines]) => ` ${head}${note}\n${lines.map(([i, s]) => `  ${i}${s}`).join('\n')}`),
      fc.array(scalarText, { maxLength: 4 }).map((items) => ` [${items.join(', ')}]`),
      fc.array(scalarText, { maxLength: 3 }).map((items) => ` [${items.join(',\n  ')}]`),
      fc
        .array(fc.tuple(key, scalarText), { maxLength: 3 })
        .map((pairs) => ` {${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      fc
        .tuple(indentation, fc.array(tie('value'), { minLength: 1, maxLength: 3 }))
        .map(([i, items]) =>
          items.map((v) => `\n${i}-${v.startsWith('\n') ? v.replace(/\n/g, `\n${i}  `) : v}`).join(''),
        ),
      fc
        .tuple(
          fc.constantFrom('  ', '    ', ' '),
          fc.array(fc.tuple(key, tie('value')), { minLength: 1, maxLength: 3 }),
        )
        .map(([i, pairs]) => pairs.map(([k, v]) => `\n${i}${k}:${v.replace(/\n/g, `\n${i}`)}`).join('')),
      fc.constant(''),
    ),
  })).value;

const documentOf = (tame: number, style: Omit<Style, 'scalarText'>) => {
  const { comment, indentation } = style;
  const value = valueOf({ ...style, scalarText: scalarOf(tame) });
  const line = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.tuple(key, value, comment).map(([k, v, c]) => `${k}:${v}${v.includes('\n') ? '' : c}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '  # indented comment', ' ', 'title:value') },
    { weight: 1, arbitrary: fc.tuple(indentation, key, value).map(([i, k, v]) => `${i}${k}:${v}`) },
  );
  return fc
    .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('', '\n', '\n\n', '\n# end\n'))
    .map(([lines, end]) => lines.join('\n') + end);
};
/** Files that reach for the corners, and files nearer what people write. */
const wild = documentOf(3, WILD);
const tame = documentOf(30, TAME);

/** One slip of the keyboard (or of an attacker): a character added, lost or changed, a line moved. */
function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const char = TRICKY[Math.floor(random() * TRICKY.length)]!;
  const lines = text.split('\n');
  const row = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + char + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + char + text.slice(at + 1);
    case 3:
      lines.splice(row, 0, lines[row]!);
      return lines.join('\n');
    case 4:
      lines[row] = ` ${lines[row]}`;
      return lines.join('\n');
    default:
      lines[row] = lines[row]!.replace(/^ /, '');
      return lines.join('\n');
  }
}

describe('the quick reading of plain YAML agrees with yaml', () => {
  it("on the project's own request, policy, fixture and workflow files", () => {
    const answered = corpus.filter(quickAgrees).length;
    // Most of them are plain: the comparison is not vacuous.
    expect(answered).toBeGreaterThan(corpus.length / 2);
  });

  it(
    'on generated files that reach for the corners where YAML readers differ',
    () => {
      let answered = 0;
      let runs = 0;
      fc.assert(
        fc.property(fc.oneof(wild, tame), (text) => {
          runs++;
          if (quickAgrees(text)) answered++;
        }),
        { seed: SEED, numRuns: 4000 * SCALE },
      );
      // Both outcomes are common, so both the agreement and the refusals are exercised.
      expect(answered).toBeGreaterThan(runs / 10);
      expect(answered).toBeLessThan(runs);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'on those files mutated one and several characters at a time',
    () => {
      let seed = SEED;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const sources = [...corpus, ...fc.sample(fc.oneof(wild, tame), { seed: SEED, numRuns: 200 })];
      let answered = 0;
      let refused = 0;
      for (const source of sources) {
        for (let round = 0; round < 40 * SCALE; round++) {
          let text = source;
          for (let edits = 1 + (round % 3); edits > 0; edits--) text = mutate(text, random);
          if (quickAgrees(text)) answered++;
          else refused++;
        }
      }
      expect(answered).toBeGreaterThan(1000);
      expect(refused).toBeGreaterThan(1000);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'on any value yaml itself writes',
    () => {
      let answered = 0;
      let runs = 0;
      const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:/-]{0,30}$/);
      const plainValue = fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.anything({ maxDepth: 3 }),
          // What requests hold: words, numbers, lists of them, small mappings of fields.
          { weight: 20, arbitrary: word },
          { weight: 8, arbitrary: fc.array(fc.oneof(word, fc.integer()), { maxLength: 5 }) },
          {
            weight: 3,
            arbitrary: fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), word, { maxKeys: 4 }),
          },
        ),
        { minKeys: 1, maxKeys: 8 },
      );
      fc.assert(
        fc.property(
          plainValue,
          fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'),
          (v, style) => {
            runs++;
            if (
              quickAgrees(
                stringify(v, { defaultStringType: style as 'PLAIN', defaultKeyType: 'PLAIN', lineWidth: 40 }),
              )
            )
              answered++;
          },
        ),
        { seed: SEED, numRuns: 1500 * SCALE },
      );
      // yaml's own writing is mostly plain: most of these are compared, not left to yaml.
      expect(answered).toBeGreaterThan(runs / 4);
    },
    FUZZ_TIMEOUT,
  );
});

describe('what the quick reading takes', () => {
  it.each([
    ['an ampersand and a star in text', 'title: R&D database upgrade*\ndescription: 5*3 and c&d'],
    ['a wildcard host in quotes', 'hosts: [\'*.svc.cluster.local\', "*.example.com"]'],
    ['a star in a comment', "version: 1 # allow_hosts: ['*.svc']"],
    ['an exclamation mark in text', 'title: Upgrade now!\nrollback: revert!'],
  ])('%s', (_name, text) => {
    expect(quickAgrees(text)).toBe(true);
  });
});

describe('what the quick reading leaves to yaml', () => {
  it.each([
    ['a tag', 'title: !include secrets.yaml'],
    ['an alias', 'a: &x [1]\nb: *x'],
    ['an alias in a flow list', 'a: &x 1\nb: [c,*x]'],
    ['an alias after a JSON-like key', 'a: &x 1\nb: {"c":*x}'],
    ['a tag in a flow list', 'a: [!!str 1]'],
    ['an empty list item before a comment', 'k:\n  -  #note\n - []'],
    ['a code point past U+10FFFF', 't: "\\U001F6000"'],
    ['a comment stuck to its # before an indented value', 'a:\n#c\n  x\nb: 1'],
    ['a tab', 'title:\tx'],
    ['a carriage return', 'title: x\r\ntype: y'],
    ['a document marker', '---\ntitle: x'],
    ['a directive', '%YAML 1.2\n---\ntitle: x'],
    ['a byte-order mark', '\ufefftitle: x'],
    ['a duplicate key', 'title: x\ntitle: y'],
    ['an indented top level', '  title: x\n  type: y'],
    ['a quoted key', '"title": x'],
    ['a non-name key', 'title: x\n1: y'],
    ['an empty field', 'title:\ntype: y'],
    ['a list', '- title: x'],
    ['a scalar', 'just text'],
    ['an empty file', ''],
    ['nesting past the limit', `a: ${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`],
    ['a list past the limit', `a: [${Array.from({ length: MAX_LIST_ITEMS + 1 }, () => '1').join(', ')}]`],
  ])('%s', (_name, text) => {
    expect(readPlainYaml(text, MAX_NESTING, MAX_LIST_ITEMS)).toBeUndefined();
    // And the reading as a whole still says what the full one says.
    const { value, findings, positions } = parseYaml({ path: 'x.yaml', text });
    const full = parseYamlFully({ path: 'x.yaml', text });
    expect({ value, findings, positions }).toStrictEqual({
      value: full.value,
      findings: full.findings,
      positions: full.positions,
    });
  });

  it('a 10,000-deep nesting, which would overflow js-yaml too, without a throw', () => {
    const text = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(readPlainYaml(text, MAX_NESTING, MAX_LIST_ITEMS)).toBeUndefined();
    expect(parseYaml({ path: 'x.yaml', text }).findings[0]?.message).toMatch(/nested deeper than 32/);
  });
});
