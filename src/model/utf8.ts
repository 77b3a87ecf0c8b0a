// Decodes file bytes as UTF-8 and refuses what is not: a replacement character silently standing for
// a bad byte would change what a request says. The first bad byte is named by line and column.
import { isUtf8 } from 'node:buffer';

export interface BadByte {
  /** 1-based line and column (in characters) of the first byte that is not UTF-8. */
  line: number;
  column: number;
  /** The byte, as two hex digits. */
  byte: string;
}

export type DecodedText = { text: string } | { notUtf8: BadByte };

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  // isUtf8 checks without building a string (as a fatal TextDecoder would, only faster); valid bytes
  // then decode once, and the same as before.
  if (isUtf8(bytes))
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  return { notUtf8: firstBadByte(bytes) };
}

/** Where the first malformed sequence starts (only called once the bytes are known to be bad). */
function firstBadByte(bytes: Uint8Array): BadByte {
  let offset = 0;
  while (offset < bytes.length) {
    const length = sequenceLength(bytes, offset);
    if (length === 0) break;
    offset += length;
  }
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return {
    line,
    column: before.length + 1,
    byte: (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0'),
  };
}

/** The length of the well-formed UTF-8 sequence at `i`, or 0 when it is malformed (RFC 3629). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, low = 0x80, high = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

export function notUtf8Message(bad: BadByte): string {
  return `the file is not valid UTF-8: byte 0x${bad.byte} at line ${bad.line}, column ${bad.column} is not part of a UTF-8 character; save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8)`;
}
