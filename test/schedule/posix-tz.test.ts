// The POSIX TZ evaluator (src/schedule/posix-tz.ts) on tricky strings, against Python's zoneinfo
// reading each string as the footer of a TZif file (test/fixtures/tz/posix_tz_types.py): every
// change the string makes from 1970 to 2100 ±1 s and random instants. The forms zoneinfo refuses or
// reads against POSIX and RFC 8536 (zero-based days, which it reads a day late; hours of three
// digits; negative times with minutes) are checked at their changes against glibc (`TZ=... date`),
// and daylight time all year, where both count the UTC year, against the RFC's own words.
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parsePosixTz,
  posixTypeAt,
  ruleDay,
  transitionsOfYear,
  type LocalTimeType,
} from '../../src/schedule/posix-tz.ts';
import { prng } from '../helpers/prng.ts';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/tz/posix_tz_types.py');
const END = Date.UTC(2101, 0, 1) / 1000;

type Row = [offset: number, abbr: string, dst: number];

function zoneinfoReads(strings: Record<string, number[]>): Record<string, Row[]> {
  const result = spawnSync('/usr/bin/python3', [SCRIPT], {
    input: JSON.stringify(strings),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`posix_tz_types.py failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as Record<string, Row[]>;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;
const typeAt = (tz: string, iso: string): string => {
  const t = posixTypeAt(parsePosixTz(tz), seconds(iso));
  return `${t.abbr} ${t.offset}${t.isDst ? ' dst' : ''}`;
};

/** `ABBR offset-seconds` as glibc's `date` reads a TZ string at an instant. */
function glibcType(tz: string, iso: string): string {
  const out = execFileSync('date', ['-d', iso, '+%Z %z'], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  const [abbr, z] = out.trim().split(' ') as [string, string];
  const offset = (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60);
  return `${abbr} ${offset}`;
}

const TRICKY: [string, string][] = [
  ['north, change at 02:00 and 03:00', 'CET-1CEST,M3.5.0,M10.5.0/3'],
  ['south: daylight time across New Year', 'AEST-10AEDT,M10.1.0,M4.1.0/3'],
  ['a quoted numeric name and half hours, no daylight time', '<+0330>-3:30'],
  ['a 30-minute daylight saving', '<+1030>-10:30<+11>-11,M10.1.0,M4.1.0'],
  ['45-minute offsets and times', '<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45'],
  ['a negative time: 23:00 the day before (Greenland)', '<-02>2<-01>,M3.5.0/-1,M10.5.0/0'],
  ['hour 24: midnight ending a Saturday (Santiago)', '<-04>4<-03>,M9.1.6/24,M4.1.6/24'],
  ['hour 50: two days and two hours after a Thursday (Palestine)', 'EET-2EEST,M3.4.4/50,M10.4.4/50'],
  ['hour 24 at the end of October (Cairo)', 'EET-2EEST,M4.5.5/0,M10.5.4/24'],
  ['negative daylight saving (Dublin)', 'IST-1GMT0,M10.5.0,M3.5.0/1'],
  ['daylight time an hour below UTC (Troll)', '<+00>0<+02>-2,M3.5.0/1,M10.5.0/3'],
  ['an explicit daylight offset', '<-03>3<-02>2,M3.2.0,M11.1.0'],
  ['the last week of February, leap years or not', '<+01>-1<+02>,M2.5.0,M11.5.6/25'],
  ['Julian days that skip 29 February (J60 is 1 March)', '<+01>-1<+02>,J60/2,J300/3'],
  ['offsets with seconds', '<-004430>0:44:30<-003430>0:34:30,M4.1.0/1:02:03,M9.1.0/4:05:06'],
];

describe('POSIX TZ strings as zoneinfo reads them, 1970 to 2100', () => {
  it('every change ±1 s and random instants, for each tricky string', () => {
    const random = prng(8536);
    const asked: Record<string, number[]> = {};
    for (const [, tz] of TRICKY) {
      const rule = parsePosixTz(tz);
      const probes = new Set<number>();
      for (let year = 1970; year <= 2100; year++)
        for (const { at } of transitionsOfYear(rule, year))
          [at - 1, at, at + 1].forEach((s) => probes.add(s));
      for (let i = 0; i < 2000; i++) probes.add(Math.floor(random() * END));
      asked[tz] = [...probes].sort((a, b) => a - b);
    }
    const answers = zoneinfoReads(asked);
    const wrong: string[] = [];
    for (const [, tz] of TRICKY) {
      const rule = parsePosixTz(tz);
      asked[tz]!.forEach((s, i) => {
        const ours: LocalTimeType = posixTypeAt(rule, s);
        const [offset, abbr, dst] = answers[tz]![i]!;
        if (ours.offset !== offset || ours.abbr !== abbr || ours.isDst !== (dst !== 0))
          wrong.push(
            `${tz} at ${new Date(s * 1000).toISOString()}: ${ours.abbr} ${ours.offset}, zoneinfo ${abbr} ${offset}`,
          );
      });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(Object.values(asked).flat().length).toBeGreaterThan(40_000);
  });
});

describe('POSIX TZ strings, by the words of POSIX and RFC 8536', () => {
  it.each([
    // Greenland: the last Sunday of March at -1:00 is the Saturday before, 23:00 at -02 (01:00Z).
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2027-03-28T00:59:59Z', '-02 -7200'],
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2027-03-28T01:00:00Z', '-01 -3600 dst'],
    // ... and back on the last Sunday of October at 00:00 at -01 (01:00Z).
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2027-10-31T00:59:59Z', '-01 -3600 dst'],
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2027-10-31T01:00:00Z', '-02 -7200'],
    // Santiago: the first Saturday of September at 24:00 is Sunday 5 September 2027, 00:00 at -04.
    ['<-04>4<-03>,M9.1.6/24,M4.1.6/24', '2027-09-05T04:00:00Z', '-03 -10800 dst'],
    // Sydney, south: daylight time in January, standard time in July.
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2027-01-15T00:00:00Z', 'AEDT 39600 dst'],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2027-07-15T00:00:00Z', 'AEST 36000'],
    ['<+0330>-3:30', '2027-07-15T00:00:00Z', '+0330 12600'],
    // J60 is 1 March in a leap year too; 59 (zero-based) is 29 February in a leap year, else 1 March.
    ['<+01>-1<+02>,J60/2,J300/3', '2028-03-01T00:59:59Z', '+01 3600'],
    ['<+01>-1<+02>,J60/2,J300/3', '2028-03-01T01:00:00Z', '+02 7200 dst'],
    ['<+01>-1<+02>,59/2,299/3', '2028-02-29T00:59:59Z', '+01 3600'],
    ['<+01>-1<+02>,59/2,299/3', '2028-02-29T01:00:00Z', '+02 7200 dst'],
    ['<+01>-1<+02>,59/2,299/3', '2027-03-01T00:59:59Z', '+01 3600'],
    ['<+01>-1<+02>,59/2,299/3', '2027-03-01T01:00:00Z', '+02 7200 dst'],
    ['<+01>-1<+02>,59/2,299/3', '2027-10-27T00:59:59Z', '+02 7200 dst'],
    ['<+01>-1<+02>,59/2,299/3', '2027-10-27T01:00:00Z', '+01 3600'],
    // RFC 8536 3.3.1: daylight time all year, across New Year too (zoneinfo and glibc say EST in
    // the first hours of the UTC year).
    ['EST5EDT,0/0,J365/25', '2027-01-01T02:00:00Z', 'EDT -14400 dst', 'RFC 8536'],
    ['EST5EDT,0/0,J365/25', '2027-07-01T00:00:00Z', 'EDT -14400 dst'],
    ['EST5EDT,0/0,J365/25', '2027-12-31T23:59:59Z', 'EDT -14400 dst'],
    // A negative time with minutes is negative as a whole: 1:30 before midnight (zoneinfo reads -0:30).
    // (The last Sunday of March 2027 is the 28th: 22:30 on the 27th at -03 is 01:30Z.)
    ['XST3XDT,M3.5.0/-1:30,M10.5.0', '2027-03-28T01:29:59Z', 'XST -10800'],
    ['XST3XDT,M3.5.0/-1:30,M10.5.0', '2027-03-28T01:30:00Z', 'XDT -7200 dst'],
    // The largest hours RFC 8536 allows (zoneinfo refuses three digits): 7 March 2027 + 167 h is
    // 13 March 23:00 at +05 (18:00Z); 3 October - 167 h is 26 September 01:00 at +06 (19:00Z on the 25th).
    ['<+05>-5<+06>,M3.1.0/167,M10.1.0/-167', '2027-03-13T17:59:59Z', '+05 18000'],
    ['<+05>-5<+06>,M3.1.0/167,M10.1.0/-167', '2027-03-13T18:00:00Z', '+06 21600 dst'],
    ['<+05>-5<+06>,M3.1.0/167,M10.1.0/-167', '2027-09-25T18:59:59Z', '+06 21600 dst'],
    ['<+05>-5<+06>,M3.1.0/167,M10.1.0/-167', '2027-09-25T19:00:00Z', '+05 18000'],
  ])('%s at %s: %s', (tz, iso, expected, source = 'glibc') => {
    expect(typeAt(tz, iso)).toBe(expected);
    // The second opinion, where glibc follows the RFC.
    if (source === 'glibc') expect(glibcType(tz, iso)).toBe(expected.replace(/ dst$/, ''));
  });

  it('M5 is the last such weekday of the month; M1-M4 the first to fourth', () => {
    // March 2027: Sundays 7, 14, 21, 28; February 2028 (leap): Tuesdays 1, 8, 15, 22, 29.
    const day = (rule: string, year: number) =>
      new Date(ruleDay(parsePosixTz(`XXX0YYY,${rule},M12.1.0`).dst!.start.date, year) * 86_400_000)
        .toISOString()
        .slice(0, 10);
    expect(day('M3.1.0', 2027)).toBe('2027-03-07');
    expect(day('M3.4.0', 2027)).toBe('2027-03-28');
    expect(day('M3.5.0', 2027)).toBe('2027-03-28');
    expect(day('M2.5.2', 2028)).toBe('2028-02-29');
    expect(day('M2.5.2', 2027)).toBe('2027-02-23');
  });

  it.each([
    ['', 'expected a zone abbreviation'],
    ['CET', 'expected an offset'],
    ['CET-1CEST', 'expected `,` and a transition rule'],
    ['CET-1CEST,M3.5.0', 'expected `,` and a transition rule'],
    ['CET-1CEST,M13.5.0,M10.5.0', 'out of range'],
    ['CET-1CEST,M3.6.0,M10.5.0', 'out of range'],
    ['CET-1CEST,M3.5.7,M10.5.0', 'out of range'],
    ['CET-1CEST,J0,M10.5.0', 'J0 is out of range'],
    ['CET-1CEST,366,M10.5.0', 'day 366 is out of range'],
    ['CET-1CEST,M3.5.0/168,M10.5.0', 'out of range'],
    ['CET-25', 'out of range'],
    ['CE-1', 'expected a zone abbreviation'],
    ['<AB>-1', 'expected a zone abbreviation'],
    ['CET-1CEST,M3.5.0,M10.5.0 x', 'unexpected text'],
  ])('%j is refused: %s', (tz, message) => {
    expect(() => parsePosixTz(tz)).toThrow(message);
  });
});
