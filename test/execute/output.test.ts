// Secret masking and output capture: plain and base64 forms at every alignment, secrets that cross the
// cut, the head-and-tail truncation with its note, and multi-byte characters at the cut.
import { describe, expect, it } from 'vitest';
import { maskSecrets, secretPatterns } from '../../src/execute/mask.ts';
import { OutputCapture } from '../../src/execute/output.ts';

const SECRET = 'hunter2-s3cret';

function captured(text: string | Buffer, secrets: string[], limits?: { head: number; tail: number }): string {
  const capture = new OutputCapture(secretPatterns(secrets), limits);
  const data = Buffer.from(text);
  // Odd-sized chunks, as pipes deliver them.
  for (let at = 0; at < data.length; at += 7) capture.write(data.subarray(at, at + 7));
  return capture.text();
}

describe('masking', () => {
  it.each([
    ['as written', `token=${SECRET};`],
    ['base64 from a group start', Buffer.from(SECRET).toString('base64')],
    ['base64 one byte into a group', Buffer.from(`x${SECRET}\n`).toString('base64')],
    ['base64 two bytes into a group', Buffer.from(`xy${SECRET}--`).toString('base64')],
  ])('masks a secret %s', (_name, text) => {
    const masked = maskSecrets(`before ${text} after`, secretPatterns([SECRET]));
    expect(masked).toContain('***');
    expect(masked).not.toContain(SECRET);
    expect(masked).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
    expect(masked.startsWith('before ')).toBe(true);
  });

  it('leaves values under 4 characters alone, and masks overlapping secrets as one', () => {
    expect(maskSecrets('abc is not masked', secretPatterns(['abc']))).toBe('abc is not masked');
    expect(maskSecrets('x-abcdefgh-x', secretPatterns(['abcdef', 'defgh']))).toBe('x-***-x');
  });
});

describe('output capture', () => {
  it('keeps short output whole', () => {
    expect(captured('line 1\nline 2\n', [])).toBe('line 1\nline 2\n');
  });

  it('keeps the head and the tail of long output and says how many bytes were left out', () => {
    const text = `${'h'.repeat(100)}${'m'.repeat(1000)}${'t'.repeat(100)}`;
    const out = captured(text, [], { head: 100, tail: 100 });
    expect(out).toBe(`${'h'.repeat(100)}\n[... 1,000 bytes of output left out ...]\n${'t'.repeat(100)}`);
  });

  it('masks a secret that crosses either cut whole, never showing part of it', () => {
    const text = `${'a'.repeat(95)}${SECRET}${'b'.repeat(1000)}${SECRET}${'c'.repeat(95)}`;
    const out = captured(text, [SECRET], { head: 100, tail: 100 });
    expect(out).not.toMatch(/hunt|cret/);
    expect(out.startsWith(`${'a'.repeat(95)}***\n[...`)).toBe(true);
    expect(out.endsWith(`]\n***${'c'.repeat(95)}`)).toBe(true);
  });

  it('does not cut a multi-byte character in half', () => {
    const out = captured(`${'é'.repeat(100)}${'z'.repeat(500)}${'ü'.repeat(100)}`, [], {
      head: 101,
      tail: 101,
    });
    expect(out).not.toContain('\uFFFD');
    expect(out).toMatch(/^é{50}\n\[\.\.\. \d+ bytes of output left out \.\.\.\]\nü{50}$/);
  });
});
