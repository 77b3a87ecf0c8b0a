// The tz tables maint computes every offset with (src/schedule/tz-tables.ts), against a second
// opinion: Python's zoneinfo reading the system's TZif files (test/fixtures/tz/zoneinfo_types.py).
// - The generator (scripts/tz-tables.ts) run here on the system's files, read by the evaluator
//   (src/schedule/zone-rules.ts), gives zoneinfo's offset, abbreviation and DST for every name of
//   the tz database (zones and links) at every listed transition ±1 s, every change of the zone's
//   rule ±1 s from 1970 to 2100, and random instants. This holds whatever tzdata the system has.
// - The embedded tables are that output when the system's tzdata is the release they embed (a newer
//   system tzdata, say after a Debian update, is reported in a warning: run `npm run tz-names`).
// - maint's own answers (time.ts) follow the embedded tables: the zones Node's ICU 2025c has wrong
//   for 2027 (America/Vancouver and the others) are right.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTables, LAST_CHECKED_YEAR, type CompiledTables } from '../../scripts/tz-tables.ts';
import { readTzdataZi, type TzdataNames } from '../../scripts/tzdata-zi.ts';
import { transitionsOfYear, type LocalTimeType } from '../../src/schedule/posix-tz.ts';
import { offsetAt, zoneLabel } from '../../src/schedule/time.ts';
import { TABLES, TZDATA_VERSION, ZONE_TABLES } from '../../src/schedule/tz-tables.ts';
import { zoneRules } from '../../src/schedule/zone-offsets.ts';
import { ZoneRules } from '../../src/schedule/zone-rules.ts';
import { prng } from '../helpers/prng.ts';

const ZONEINFO = '/usr/share/zoneinfo';
const SYSTEM_TZDATA = `${ZONEINFO}/tzdata.zi`;
const SCRIPT = resolve(import.meta.dirname, '../fixtures/tz/zoneinfo_types.py');
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const installed = existsSync(SYSTEM_TZDATA);
if (!installed && ci) throw new Error(`CI must check the tz tables against ${ZONEINFO}: install tzdata`);
if (!installed) console.warn(`skipping the comparison with zoneinfo: no ${SYSTEM_TZDATA}`);

const END = Date.UTC(LAST_CHECKED_YEAR + 1, 0, 1) / 1000;
const RANDOM_PER_NAME = 40;

type Row = [offset: number, abbr: string, dst: number];

/** What zoneinfo says for each zone at each instant (seconds). */
function zoneinfoTypes(zones: Record<string, number[]>): Record<string, Row[]> {
  const result = spawnSync('/usr/bin/python3', [SCRIPT], {
    input: JSON.stringify({ tzpath: ZONEINFO, zones }),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`zoneinfo_types.py failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as Record<string, Row[]>;
}

/** Every listed transition and every change of the rule to 2100, each ±1 s, and random instants. */
function probes(rules: ZoneRules, random: () => number): number[] {
  const out = new Set<number>();
  const around = (at: number) => [at - 1, at, at + 1].forEach((s) => out.add(s));
  rules.table.at.forEach(around);
  if (rules.rule)
    for (let year = 1970; year <= LAST_CHECKED_YEAR; year++)
      transitionsOfYear(rules.rule, year).forEach(({ at }) => around(at));
  for (let i = 0; i < RANDOM_PER_NAME; i++) out.add(Math.floor(random() * END));
  return [...out].filter((s) => s >= 0 && s < END).sort((a, b) => a - b);
}

const show = (t: LocalTimeType | Row) =>
  Array.isArray(t) ? `${t[0]} ${t[1]}${t[2] ? ' dst' : ''}` : `${t.offset} ${t.abbr}${t.isDst ? ' dst' : ''}`;

describe.skipIf(!installed)(`tz tables and Python's zoneinfo on ${ZONEINFO}`, () => {
  let names: TzdataNames;
  let system: CompiledTables;
  beforeAll(() => {
    names = readTzdataZi(readFileSync(SYSTEM_TZDATA, 'utf8'));
    system = compileTables(ZONEINFO, names);
  }, 60_000);

  it('the generator and the evaluator read every zone and link as zoneinfo does, 1970 to 2100', () => {
    const random = prng(10);
    const rulesOf = (name: string) =>
      new ZoneRules(system.tables[system.zoneTables[names.links[name] ?? name]!]!);
    const all = [...names.zones, ...Object.keys(names.links)];
    const asked = Object.fromEntries(all.map((name) => [name, probes(rulesOf(name), random)]));
    const answers = zoneinfoTypes(asked);
    const wrong: string[] = [];
    let compared = 0;
    for (const name of all) {
      const rules = rulesOf(name);
      asked[name]!.forEach((seconds, i) => {
        const ours = rules.typeAt(seconds * 1000);
        const theirs = answers[name]![i]!;
        compared++;
        if (ours.offset !== theirs[0] || ours.abbr !== theirs[1] || ours.isDst !== (theirs[2] !== 0))
          wrong.push(
            `${name} ${new Date(seconds * 1000).toISOString()}: ${show(ours)}, zoneinfo ${show(theirs)}`,
          );
      });
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(all.length).toBeGreaterThan(590);
    expect(compared).toBeGreaterThan(200_000);
  }, 120_000);

  it('the embedded tables are the generator output for the system tzdata (same release)', () => {
    const embedded = { version: TZDATA_VERSION, tables: [...TABLES], zoneTables: { ...ZONE_TABLES } };
    if (system.version === TZDATA_VERSION) {
      expect(embedded).toEqual(system);
      return;
    }
    const differ = names.zones.filter(
      (zone) => TABLES[ZONE_TABLES[zone] ?? -1] !== system.tables[system.zoneTables[zone]!],
    );
    console.warn(
      `The system has tzdata ${system.version}, maint embeds ${TZDATA_VERSION}: ${differ.length} zones differ (${differ.join(', ')}). Run \`npm run tz-names\` and release.`,
    );
  });
});

describe.skipIf(!installed)('maint computes offsets from the embedded tables, not from Intl', () => {
  // Node 20's ICU (tz 2025c) has these an hour off in 2027; tzdata 2026f is right.
  const ICU_LAGGED = [
    'America/Vancouver',
    'Canada/Pacific',
    'America/Edmonton',
    'Canada/Mountain',
    'America/Yellowknife',
    'America/Inuvik',
    'America/Winnipeg',
    'Canada/Central',
    'America/Rainy_River',
    'America/Havana',
    'Cuba',
    'Africa/Casablanca',
    'Africa/El_Aaiun',
  ];

  it.each(ICU_LAGGED)('%s: every hour of 2027 as zoneinfo says', (name) => {
    const system = readTzdataZi(readFileSync(SYSTEM_TZDATA, 'utf8'));
    const hours = Array.from({ length: 365 * 24 }, (_, i) => Date.UTC(2027, 0, 1) / 1000 + i * 3600);
    const theirs = zoneinfoTypes({ [name]: hours })[name]!;
    if (system.version !== TZDATA_VERSION) {
      console.warn(`skipped: the system has tzdata ${system.version}, maint embeds ${TZDATA_VERSION}`);
      return;
    }
    const ours = hours.map((s): Row => {
      const type = zoneRules(name)!.typeAt(s * 1000);
      return [offsetAt(s * 1000, name) * 60, type.abbr, type.isDst ? 1 : 0];
    });
    expect(ours).toEqual(theirs.map(([offset, abbr, dst]) => [offset, abbr, dst ? 1 : 0]));
    // Messages name the zone with tzdata's abbreviation, or the offset when tzdata's is a number.
    const labels = new Set(hours.map((s) => zoneLabel(s * 1000, name)));
    const expected = new Set(
      theirs.map(([offset, abbr]) =>
        /^[+-]/.test(abbr)
          ? `UTC${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 3600)).padStart(2, '0')}:${String((Math.abs(offset) / 60) % 60).padStart(2, '0')}`
          : abbr,
      ),
    );
    expect(labels).toEqual(expected);
  });
});
