// Bad input gets a precise, located error; never a crash, a hang or an exhausted heap.
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, locatorFor, parseYaml } from '../../src/model/yaml-source.ts';

const parse = (text: string) => parseYaml({ path: 'f.yaml', text });

describe('YAML with positions', () => {
  it.each([
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n', 3, 1, 'Map keys must be unique'],
    ['tab indentation', 'a:\n\tb: 1\n', 2, 1, 'indent with spaces'],
    ['unclosed flow list', 'a: [1, 2\nb: 3\n', 2, 1, 'close the quote or bracket'],
    ['two documents', 'a: 1\n---\nb: 2\n', 2, 1, 'keep one document per file'],
    ['a list, not a mapping', '- a\n- b\n', 1, 1, 'must be a YAML mapping'],
    ['a scalar', 'hello\n', 1, 1, 'must be a YAML mapping'],
    ['empty', '', 1, 1, 'file is empty'],
    ['comments only', '# nothing\n', 1, 1, 'file is empty'],
  ])('%s', (_name, text, line, column, message) => {
    const parsed = parse(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.findings[0]).toMatchObject({ rule: 'schema', severity: 'error', line, column });
    expect(parsed.findings[0]!.message).toContain(message);
  });

  it('refuses a billion-laughs alias bomb quickly instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const parsed = parse(levels.join('\n'));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(parsed.value).toBeUndefined();
    expect(parsed.findings[0]!.message).toContain('billion laughs');
  });

  it('allows a few aliases for repeated steps', () => {
    const parsed = parse('base: &s {name: restart, run: systemctl restart app}\nsteps: [*s, *s]\n');
    expect(parsed.findings).toEqual([]);
    expect((parsed.value as { steps: unknown[] }).steps).toHaveLength(2);
  });

  it('refuses files over 1 MiB without parsing them', () => {
    const parsed = parse(`a: "${'x'.repeat(MAX_FILE_BYTES)}"\n`);
    expect(parsed.findings[0]!.message).toMatch(/file is 1\.0 MiB, over the 1 MiB limit/);
  });

  it('counts the limit in bytes, not characters', () => {
    const parsed = parse(`a: "${'é'.repeat(MAX_FILE_BYTES / 2 + 1)}"\n`);
    expect(parsed.findings[0]!.message).toContain('over the 1 MiB limit');
  });

  it('locates a nested field, a key, and falls back to the nearest existing ancestor', () => {
    const parsed = parse('a: 1\nsteps:\n  - name: x\n    run: y\n  - name: z\n');
    expect(
      parsed.locate({ rule: 'schema', severity: 'error', message: '', path: ['steps', 1, 'name'] }),
    ).toMatchObject({ line: 5, column: 11 });
    expect(
      parsed.locate({
        rule: 'schema',
        severity: 'error',
        message: '',
        path: ['steps', 0, 'run'],
        atKey: true,
      }),
    ).toMatchObject({ line: 4, column: 5 });
    expect(
      parsed.locate({ rule: 'schema', severity: 'error', message: '', path: ['steps', 0, 'timeout'] }),
    ).toMatchObject({ line: 3, column: 5 });
    expect(parsed.locate({ rule: 'schema', severity: 'error', message: '', path: [] })).toMatchObject({
      line: 1,
      column: 1,
    });
  });

  it('keeps dates as text (YAML 1.2), so time zones stay ours to decide', () => {
    expect(parse('start: 2027-01-17T02:00:00\nday: 2027-01-17\n').value).toEqual({
      start: '2027-01-17T02:00:00',
      day: '2027-01-17',
    });
  });
});

describe('positions as plain data', () => {
  const text = [
    'title: Patch',
    'steps:',
    '  - name: drain',
    '    run: ./drain.sh',
    '  - name: patch',
    '    run: ./patch.sh',
    'services: [api]',
    'empty:',
    '',
  ].join('\n');
  const findings = [
    { path: ['services'] },
    { path: ['services'], atKey: true },
    { path: ['empty'] },
    { path: ['steps', 1, 'run'] },
    { path: ['steps', 1] },
    { path: ['nowhere'] },
    { path: [] },
    {},
  ].map((where) => ({ rule: 'schema' as const, severity: 'error' as const, message: 'm', ...where }));

  it('locate the same after crossing a thread boundary (structured clone) as before', () => {
    const parsed = parse(text);
    const revived = locatorFor(structuredClone(parsed.positions));
    const expected = findings.map(parsed.locate);
    expect(findings.map(revived)).toEqual(expected);
    expect(expected.map((f) => [f.line, f.column])).toEqual([
      [7, 11],
      [7, 1],
      [8, 7],

      [6, 10],
      [5, 5],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('an unreadable file places everything at its top; a syntax error re-parses for each path', () => {
    expect(locatorFor({ text: '' })(findings[0]!)).toMatchObject({ line: 1, column: 1 });
    const broken = parse('a: 1\nb: [\n');
    expect(broken.positions.fields).toBeUndefined();
    expect(locatorFor(structuredClone(broken.positions))(findings[0]!)).toMatchObject({ line: 1 });
  });
});
