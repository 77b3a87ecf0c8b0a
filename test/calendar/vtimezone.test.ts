// The VTIMEZONEs maint publishes (src/calendar/vtimezone.ts) say exactly the offsets the engine
// computes with, from the feed's first instant on, for every name of the tz database: read by
// ical.js (the zone's offset at each local time, as it reads DTSTART;TZID=...) and by
// python3-icalendar (its own Timezone.to_tz(), test/fixtures/calendar/vtimezone_offsets.py), at
// every change of the engine's offset ±1 s and random instants, from 1970 and from a feed's start.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { rruleOf, vtimezoneLines } from '../../src/calendar/vtimezone.ts';
import { vtimezoneFor } from '../../src/calendar/zones.ts';
import { parsePosixTz, transitionsOfYear } from '../../src/schedule/posix-tz.ts';
import { localAt, resolveLocal } from '../../src/schedule/time.ts';
import { zoneRules } from '../../src/schedule/zone-offsets.ts';
import { tzdataNames } from '../../src/schedule/zone-names.ts';
import { prng } from '../helpers/prng.ts';
import { FIXTURES } from './fixture-feeds.ts';

const NAMES = tzdataNames();
const FEED_START = Date.parse('2026-12-01T00:00:00Z');
/** ical.js is asked to 2100; python3-icalendar expands a VTIMEZONE's RRULEs to 2038 only. */
const ICALJS_END = Date.UTC(2101, 0, 1);
const PYTHON_END = Date.UTC(2038, 0, 1);

/** The engine's offset changes in [from, end), each ±1 s, and random instants, in ms. */
function probes(name: string, from: number, end: number, random: () => number): number[] {
  const rules = zoneRules(name)!;
  const out = new Set<number>();
  const around = (at: number) => [at - 1000, at, at + 1000].forEach((ms) => out.add(ms));
  rules.listedTransitions().forEach(({ at }) => around(at));
  if (rules.rule)
    for (let year = 1970; year <= 2100; year++)
      transitionsOfYear(rules.rule, year).forEach(
        ({ at }) => at * 1000 >= rules.ruleFrom && around(at * 1000),
      );
  for (let i = 0; i < 20; i++) out.add(from + Math.floor((random() * (end - from)) / 1000) * 1000);
  // Readers hold offsets in whole minutes (as UTC-OFFSET mostly is): Monrovia's -0:44:30 until 1972 is not asked.
  return [...out]
    .filter((ms) => ms >= from && ms < end && rules.typeAt(ms).offset % 60 === 0)
    .sort((a, b) => a - b);
}

/** The offset (s) ical.js gives the local time of an instant, and the offsets the engine allows. */
function icalJsCheck(vtimezone: string, name: string, instants: number[]): string[] {
  const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(vtimezone) as unknown[]));
  const wrong: string[] = [];
  for (const instant of instants) {
    const local = localAt(instant, name);
    const time = new ICAL.Time({ ...local, isDate: false }, zone);
    const got = zone.utcOffset(time);
    const reading = resolveLocal(local, name);
    // A local time said twice (fall back) may be read either way: ical.js takes the later.
    const allowed =
      reading.kind === 'ambiguous'
        ? reading.offsets.map((o) => o * 60)
        : [zoneRules(name)!.typeAt(instant).offset];
    if (!allowed.includes(got))
      wrong.push(
        `${name} ${new Date(instant).toISOString()}: ical.js ${got}, engine ${allowed.join(' or ')}`,
      );
  }
  return wrong;
}

function pythonOffsets(
  query: Record<string, { vtimezone: string; instants: number[] }>,
): Record<string, number[]> {
  const result = spawnSync('/usr/bin/python3', [resolve(FIXTURES, 'vtimezone_offsets.py')], {
    input: JSON.stringify(query),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`vtimezone_offsets.py failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as Record<string, number[]>;
}

describe(`the VTIMEZONE of each of the ${NAMES.length} names of the tz database`, () => {
  const starts = { 'from 1970': 0, 'from a feed start in December 2026': FEED_START };

  it.each(Object.entries(starts))(
    'ical.js reads the engine offsets (%s, to 2100)',
    (_label, from) => {
      const random = prng(from + 1);
      const wrong = NAMES.flatMap((name) =>
        icalJsCheck(vtimezoneFor(name, from)!.vtimezone, name, probes(name, from, ICALJS_END, random)),
      );
      expect(wrong.slice(0, 20)).toEqual([]);
    },
    120_000,
  );

  it.each(Object.entries(starts))(
    'python3-icalendar reads the engine offsets (%s, to 2037)',
    (_label, from) => {
      const random = prng(from + 2);
      const query = Object.fromEntries(
        NAMES.map((name) => [
          name,
          {
            vtimezone: vtimezoneFor(name, from)!.vtimezone,
            instants: probes(name, from, PYTHON_END, random),
          },
        ]),
      );
      const answers = pythonOffsets(
        Object.fromEntries(
          Object.entries(query).map(([name, q]) => [
            name,
            { ...q, instants: q.instants.map((ms) => ms / 1000) },
          ]),
        ),
      );
      const wrong: string[] = [];
      for (const name of NAMES)
        query[name]!.instants.forEach((instant, i) => {
          const ours = zoneRules(name)!.typeAt(instant).offset;
          if (answers[name]![i] !== ours)
            wrong.push(
              `${name} ${new Date(instant).toISOString()}: python3-icalendar ${answers[name]![i]}, engine ${ours}`,
            );
        });
      expect(wrong.slice(0, 20)).toEqual([]);
    },
    120_000,
  );

  it('is short where the zone follows one rule over the feed: one STANDARD and one DAYLIGHT with RRULE', () => {
    const lines = vtimezoneFor('Europe/Berlin', FEED_START)!.vtimezone.split('\r\n');
    expect(lines.filter((l) => l.startsWith('BEGIN:'))).toEqual([
      'BEGIN:VTIMEZONE',
      'BEGIN:STANDARD',
      'BEGIN:DAYLIGHT',
    ]);
    expect(lines.filter((l) => l.startsWith('RRULE:'))).toEqual([
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    ]);
    expect(lines.some((l) => l.startsWith('RDATE'))).toBe(false);
  });

  it('names a link by itself and describes its zone', () => {
    const link = vtimezoneLines('Canada/Pacific', zoneRules('Canada/Pacific')!, FEED_START);
    const zone = vtimezoneLines('America/Vancouver', zoneRules('America/Vancouver')!, FEED_START);
    expect(link.slice(0, 3)).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Canada/Pacific',
      'X-LIC-LOCATION:Canada/Pacific',
    ]);
    expect(link.slice(3)).toEqual(zone.slice(3));
  });
});

describe('RRULEs of POSIX TZ rules', () => {
  it.each([
    ['M3.5.0', 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'],
    ['M3.2.0', 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU'],
    // Santiago: the first Saturday at 24:00 is the Sunday among days 2 to 8.
    ['M9.1.6/24', 'FREQ=YEARLY;BYMONTH=9;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8'],
    // Greenland: the last Sunday at -1:00 is the Saturday before it, among days 24 to 30 of March.
    ['M3.5.0/-1', 'FREQ=YEARLY;BYMONTH=3;BYDAY=SA;BYMONTHDAY=24,25,26,27,28,29,30'],
    // ... which February's changing length does not allow.
    ['M2.5.0/-1', undefined],
    // Palestine: two days after the fourth Thursday.
    ['M3.4.4/50', 'FREQ=YEARLY;BYMONTH=3;BYDAY=SA;BYMONTHDAY=24,25,26,27,28,29,30'],
    // Cairo: the day after the last Thursday of October is 1 November in some years: no RRULE.
    ['M10.5.4/24', undefined],
    // A day before the first Sunday can be in the month before: no RRULE.
    ['M3.1.0/-1', undefined],
    ['J60', undefined],
  ])('%s: %s', (rule, expected) => {
    const tz = parsePosixTz(`XXX0YYY,${rule},M12.1.0`);
    expect(rruleOf(tz.dst!.start)).toBe(expected);
  });
});
