// The compact form of one zone's offsets in tz-tables.ts (written by scripts/tz-tables.ts from the
// system's TZif files, read by zone-offsets.ts): the local time types, the one in effect at the
// start of 1970, the transitions since then until the zone's POSIX TZ rule (the TZif footer) takes
// over, and that rule. One line of text per zone, `types|initial|transitions|rule`:
// - types: `abbr,offset,dst` (offset in seconds east of UTC, dst 1 or 0), separated by spaces;
// - initial: the index of the type in effect at 1970-01-01T00:00Z (and, for maint, before);
// - transitions: for each, the time since the previous one (since 1970 for the first) in base 36,
//   in minutes (in seconds after a `.`, for the few that are not whole minutes), then its type as a
//   capital letter (A is type 0);
// - rule: the POSIX TZ string for every instant from the last transition on ('' for none).
import type { LocalTimeType } from './posix-tz.ts';

export interface ZoneTable {
  types: LocalTimeType[];
  initial: number;
  /** UTC instants in seconds since 1970, ascending. */
  at: number[];
  /** The index of the type each transition starts. */
  type: number[];
  rule: string;
}

const LETTER_A = 65;
const MAX_TYPES = 26;

export function encodeZoneTable(table: ZoneTable): string {
  if (table.types.length > MAX_TYPES) throw new Error(`${table.types.length} types: at most ${MAX_TYPES}`);
  const types = table.types.map((t) => `${t.abbr},${t.offset},${t.isDst ? 1 : 0}`).join(' ');
  let previous = 0;
  let transitions = '';
  table.at.forEach((at, i) => {
    if (at <= previous && i > 0) throw new Error('transitions must ascend');
    const delta = at - previous;
    const time = delta % 60 === 0 ? (delta / 60).toString(36) : `.${delta.toString(36)}`;
    transitions += time + String.fromCharCode(LETTER_A + table.type[i]!);
    previous = at;
  });
  return `${types}|${table.initial}|${transitions}|${table.rule}`;
}

export function decodeZoneTable(text: string): ZoneTable {
  const [types, initial, transitions, rule] = text.split('|') as [string, string, string, string];
  const table: ZoneTable = {
    types: types.split(' ').map((item) => {
      const [abbr, offset, dst] = item.split(',') as [string, string, string];
      return { abbr, offset: Number(offset), isDst: dst === '1' };
    }),
    initial: Number(initial),
    at: [],
    type: [],
    rule,
  };
  let at = 0;
  for (const [, seconds, delta, letter] of transitions.matchAll(/(\.?)([0-9a-z]+)([A-Z])/g)) {
    at += parseInt(delta!, 36) * (seconds ? 1 : 60);
    table.at.push(at);
    table.type.push(letter!.charCodeAt(0) - LETTER_A);
  }
  return table;
}
