// Compiles the system's TZif files (/usr/share/zoneinfo) into the compact tables of
// src/schedule/tz-tables.ts (the form: src/schedule/zone-table.ts). TZif is zic's own output: the
// transitions with every rule of the tz source already applied, and the POSIX TZ footer for later
// instants, exactly what Python's zoneinfo reads; compiling tzdata.zi instead would mean rewriting
// zic. Per zone: the type at 1970, the transitions since, minus the trailing ones the footer
// reproduces (zic lists them to 2037 for old readers), and the footer. Each table is checked against
// the TZif file (every transition ±1 s, the rule's changes to 2100); identical tables are stored once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transitionsOfYear, utcYear, type LocalTimeType, type PosixTz } from '../src/schedule/posix-tz.ts';
import { encodeZoneTable, type ZoneTable } from '../src/schedule/zone-table.ts';
import { ZoneRules } from '../src/schedule/zone-rules.ts';
import { readTzif, tzifFooter, tzifTypeAt, type Tzif } from './tzif.ts';
import type { TzdataNames } from './tzdata-zi.ts';

/** Tables start at 1970-01-01T00:00Z and are checked to the end of this year. */
export const LAST_CHECKED_YEAR = 2100;

export interface CompiledTables {
  version: string;
  /** Encoded tables, each once. */
  tables: string[];
  /** Zone name -> index in `tables`. */
  zoneTables: Record<string, number>;
}

function sameType(a: LocalTimeType, b: LocalTimeType): boolean {
  return a.offset === b.offset && a.abbr === b.abbr && a.isDst === b.isDst;
}

/** Instants (seconds) where the rule changes in the years from `from` to `to`, each ±1 s. */
function ruleProbes(rule: PosixTz | undefined, from: number, to: number): number[] {
  if (!rule) return [];
  const probes: number[] = [];
  for (let year = from; year <= to; year++)
    for (const { at } of transitionsOfYear(rule, year)) probes.push(at - 1, at, at + 1);
  return probes;
}

/** The first instant (from `from` on) where the table and the TZif file disagree, if any. */
function disagreement(tzif: Tzif, table: ZoneTable, from: number): number | undefined {
  const rules = new ZoneRules(encodeZoneTable(table));
  const footer = tzifFooter(tzif);
  const lastListed = tzif.transitions.at(-1) ?? 0;
  const probes = [from, ...ruleProbes(footer, utcYear(from) - 1, Math.max(utcYear(lastListed) + 1, 1971))];
  for (const at of tzif.transitions) if (at >= from) probes.push(at - 1, at, at + 1);
  for (const at of probes.filter((p) => p >= from).sort((a, b) => a - b))
    if (!sameType(rules.typeAt(at * 1000), tzifTypeAt(tzif, at, footer))) return at;
  return undefined;
}

/** The table of one TZif file, checked from 1970 to the end of LAST_CHECKED_YEAR. */
export function compileTzif(tzif: Tzif): ZoneTable {
  const footer = tzifFooter(tzif);
  const listed = tzif.transitions.flatMap((at, i) => (at > 0 ? [i] : []));
  const tableOf = (count: number): ZoneTable => {
    const types: LocalTimeType[] = [];
    const indexOf = (type: LocalTimeType) => {
      const found = types.findIndex((t) => sameType(t, type));
      return found >= 0 ? found : types.push({ ...type }) - 1;
    };
    const initial = indexOf(tzifTypeAt(tzif, 0, footer));
    const kept = listed.slice(0, count);
    return {
      types,
      initial,
      at: kept.map((i) => tzif.transitions[i]!),
      type: kept.map((i) => indexOf(tzif.types[tzif.typeIndices[i]!]!)),
      rule: tzif.footer,
    };
  };
  let count = listed.length;
  // Drop trailing transitions while the footer, taking over from the one before, gives the same.
  while (footer && count > 0) {
    const from = count >= 2 ? tzif.transitions[listed[count - 2]!]! : 0;
    if (disagreement(tzif, tableOf(count - 1), from) !== undefined) break;
    count--;
  }
  const table = tableOf(count);
  const wrong = disagreement(tzif, table, 0);
  const lateWrong = new ZoneRules(encodeZoneTable(table));
  const late = ruleProbes(footer, 1970, LAST_CHECKED_YEAR).find(
    (at) => !sameType(lateWrong.typeAt(at * 1000), tzifTypeAt(tzif, at, footer)),
  );
  if (wrong !== undefined || late !== undefined)
    throw new Error(
      `the table differs from the TZif file at ${new Date((wrong ?? late!) * 1000).toISOString()}`,
    );
  return table;
}

/** Every zone of `names` from the TZif files in `zoneinfo`; a link's file must hold its zone's data. */
export function compileTables(zoneinfo: string, names: TzdataNames): CompiledTables {
  const tables: string[] = [];
  const indexOf = new Map<string, number>();
  const zoneTables: Record<string, number> = {};
  const compile = (name: string) => {
    try {
      return encodeZoneTable(compileTzif(readTzif(readFileSync(join(zoneinfo, name)))));
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  };
  for (const zone of names.zones) {
    const encoded = compile(zone);
    let index = indexOf.get(encoded);
    if (index === undefined) {
      index = tables.push(encoded) - 1;
      indexOf.set(encoded, index);
    }
    zoneTables[zone] = index;
  }
  for (const [link, zone] of Object.entries(names.links)) {
    const same = readFileSync(join(zoneinfo, link)).equals(readFileSync(join(zoneinfo, zone)));
    if (!same && compile(link) !== tables[zoneTables[zone]!])
      throw new Error(`${link} is a link to ${zone} in tzdata.zi, yet its TZif file holds other data`);
  }
  return { version: names.version, tables, zoneTables };
}

/** The text of src/schedule/tz-tables.ts. */
export function tablesModule(compiled: CompiledTables): string {
  return `// Generated by \`npm run tz-names\` from tzdata ${compiled.version} (the system's TZif files): do not edit by hand.
// The UTC offsets of every zone of the tz database, in the form src/schedule/zone-table.ts reads:
// transitions since 1970, then the zone's POSIX TZ rule. Zones with the same table share it.
// test/schedule/tz-tables.test.ts checks them against Python's zoneinfo on the system's tzdata.

export const TZDATA_VERSION = '${compiled.version}';

export const TABLES: readonly string[] = ${JSON.stringify(compiled.tables)};

export const ZONE_TABLES: Readonly<Record<string, number>> = ${JSON.stringify(compiled.zoneTables)};
`;
}
