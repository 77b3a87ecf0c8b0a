// Large outputs are written in batches whose concatenation is the whole text.
import { describe, expect, it } from 'vitest';
import { outLines, type CliIO } from '../../src/cli/io.ts';

describe('outLines', () => {
  it('writes about a megabyte at a time, and the lines joined as one text', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} `.padEnd(100, '.'));
    const writes: string[] = [];
    const io = { out: (text: string) => writes.push(text) } as unknown as CliIO;
    outLines(io, lines);
    // Each write is a line of output: the writes joined by newlines are the lines joined.
    expect(writes.join('\n')).toBe(lines.join('\n'));
    expect(writes.length).toBe(3);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(1.1 * 2 ** 20);
  });
});
