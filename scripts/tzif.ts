// Reads a TZif file (RFC 8536), the form zic compiles the tz database into (/usr/share/zoneinfo):
// its version 2+ data block (64-bit transition times, local time types) and its footer (the POSIX
// TZ string for instants after the last transition). `tzifTypeAt` says which type holds at an
// instant the way Python's zoneinfo reads the same file, the reference our tables are checked with.
import { parsePosixTz, posixTypeAt, type LocalTimeType, type PosixTz } from '../src/schedule/posix-tz.ts';

export interface Tzif {
  version: number;
  /** UTC instants (seconds since 1970), ascending. */
  transitions: number[];
  /** Index into `types` of the type each transition starts. */
  typeIndices: number[];
  types: LocalTimeType[];
  /** The POSIX TZ string; empty when the file has none. */
  footer: string;
}

const HEADER = 44;

interface Counts {
  isut: number;
  isstd: number;
  leap: number;
  time: number;
  type: number;
  char: number;
}

function counts(bytes: Buffer, at: number): Counts {
  if (bytes.toString('latin1', at, at + 4) !== 'TZif') throw new Error('not a TZif file');
  const n = (i: number) => bytes.readUInt32BE(at + 20 + 4 * i);
  return { isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), char: n(5) };
}

function blockLength(c: Counts, timeSize: number): number {
  return c.time * timeSize + c.time + c.type * 6 + c.char + c.leap * (timeSize + 4) + c.isstd + c.isut;
}

export function readTzif(bytes: Buffer): Tzif {
  const version = bytes[4] === 0 ? 1 : Number(String.fromCharCode(bytes[4]!));
  if (version < 2) throw new Error('TZif version 1 has no 64-bit data nor footer');
  const v1 = counts(bytes, 0);
  const start = HEADER + blockLength(v1, 4);
  const c = counts(bytes, start);
  if (c.leap !== 0) throw new Error('TZif file with leap seconds (a right/ zone): read the posix ones');
  let at = start + HEADER;
  const transitions: number[] = [];
  for (let i = 0; i < c.time; i++, at += 8) transitions.push(Number(bytes.readBigInt64BE(at)));
  const typeIndices = [...bytes.subarray(at, at + c.time)];
  at += c.time;
  const raw: { offset: number; isDst: boolean; abbrIndex: number }[] = [];
  for (let i = 0; i < c.type; i++, at += 6)
    raw.push({ offset: bytes.readInt32BE(at), isDst: bytes[at + 4] === 1, abbrIndex: bytes[at + 5]! });
  const chars = bytes.toString('latin1', at, at + c.char);
  at += blockLength(c, 8) - (at - start - HEADER);
  const types = raw.map(({ offset, isDst, abbrIndex }) => ({
    offset,
    isDst,
    abbr: chars.slice(abbrIndex, chars.indexOf('\0', abbrIndex)),
  }));
  const footer = bytes.toString('latin1', at).replace(/^\n/, '').replace(/\n$/, '');
  return { version, transitions, typeIndices, types, footer };
}

/** The parsed footer, if the file has one. */
export function tzifFooter(tzif: Tzif): PosixTz | undefined {
  return tzif.footer === '' ? undefined : parsePosixTz(tzif.footer);
}

/**
 * The type at an instant (seconds), as Python's zoneinfo reads the file: before the first
 * transition, the first standard-time type; after the last one, the footer (or the last type).
 */
export function tzifTypeAt(tzif: Tzif, instant: number, footer = tzifFooter(tzif)): LocalTimeType {
  const { transitions, typeIndices, types } = tzif;
  const last = transitions.length - 1;
  if (last >= 0 && instant < transitions[0]!) return types.find((t) => !t.isDst) ?? types[0]!;
  if (last < 0 || instant > transitions[last]!) {
    if (footer) return posixTypeAt(footer, instant);
    return last < 0 ? types[0]! : types[typeIndices[last]!]!;
  }
  let low = 0;
  let high = last;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (transitions[middle]! <= instant) low = middle;
    else high = middle - 1;
  }
  return types[typeIndices[low]!]!;
}
