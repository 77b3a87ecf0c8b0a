import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TZDATA_VERSION } from '../../src/schedule/tz-tables.ts';
import {
  formatBoth,
  formatDuration,
  offsetAt,
  parseDateTime,
  parseInstant,
  parseIsoDuration,
  parseShortDuration,
  resolveLocal,
  zoneLabel,
} from '../../src/schedule/time.ts';

const local = (text: string) => {
  const parsed = parseDateTime(text);
  if ('kind' in parsed) throw new Error(text);
  return parsed.local;
};

describe('resolveLocal: which instants a local time names', () => {
  it.each([
    [
      'plain winter time in Berlin',
      '2027-01-17T02:00',
      'Europe/Berlin',
      'exact',
      ['2027-01-17T01:00:00.000Z'],
    ],
    [
      'spring-forward gap in Berlin',
      '2027-03-28T02:30',
      'Europe/Berlin',
      'gap',
      ['2027-03-28T01:30:00.000Z'],
    ],
    ['just after the Berlin gap', '2027-03-28T03:00', 'Europe/Berlin', 'exact', ['2027-03-28T01:00:00.000Z']],
    [
      'fall-back overlap in Berlin',
      '2027-10-31T02:30',
      'Europe/Berlin',
      'ambiguous',
      ['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z'],
    ],
    ['New York spring gap', '2027-03-14T02:15', 'America/New_York', 'gap', ['2027-03-14T07:15:00.000Z']],
    [
      'New York fall-back overlap',
      '2027-11-07T01:30',
      'America/New_York',
      'ambiguous',
      ['2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z'],
    ],
    [
      'Lord Howe half-hour DST gap',
      '2027-10-03T02:15',
      'Australia/Lord_Howe',
      'gap',
      ['2027-10-02T15:45:00.000Z'],
    ],
    [
      'Samoa skipped a whole day in 2011',
      '2011-12-30T12:00',
      'Pacific/Apia',
      'gap',
      ['2011-12-30T22:00:00.000Z'],
    ],
    ['UTC never has gaps', '2027-03-28T02:30', 'UTC', 'exact', ['2027-03-28T02:30:00.000Z']],
    ['fixed offset zone', '2027-03-28T02:30', 'UTC+5:30', 'exact', ['2027-03-27T21:00:00.000Z']],
  ])('%s', (_name, text, zone, kind, instants) => {
    const resolution = resolveLocal(local(text), zone);
    expect(resolution.kind).toBe(kind);
    const got = resolution.kind === 'ambiguous' ? resolution.instants : [resolution.instant];
    expect(got.map((ms) => new Date(ms).toISOString())).toEqual(instants);
  });

  it('names the gap in local clock times', () => {
    const resolution = resolveLocal(local('2027-03-28T02:30'), 'Europe/Berlin');
    expect(resolution).toMatchObject({ kind: 'gap', gapStart: '02:00', gapEnd: '03:00' });
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2027-01-17T02:00', { year: 2027, month: 1, day: 17, hour: 2, minute: 0, second: 0 }, undefined],
    ['2027-01-17 02:00:30', { year: 2027, month: 1, day: 17, hour: 2, minute: 0, second: 30 }, undefined],
    ['2027-01-17T02:00+01:00', { year: 2027, month: 1, day: 17, hour: 2, minute: 0, second: 0 }, 60],
    ['2027-01-17T02:00-0530', { year: 2027, month: 1, day: 17, hour: 2, minute: 0, second: 0 }, -330],
    ['2027-01-17T02:00Z', { year: 2027, month: 1, day: 17, hour: 2, minute: 0, second: 0 }, 0],
  ])('%s', (text, expected, offset) => {
    expect(parseDateTime(text)).toEqual(
      offset === undefined ? { local: expected } : { local: expected, offsetMinutes: offset },
    );
  });

  it.each([
    ['2027-02-29T02:00', 'February 2027 has 28 days'],
    ['2028-02-30T02:00', 'February 2028 has 29 days'],
    ['2027-13-01T02:00', 'no month 13'],
    ['2027-04-31T02:00', 'April 2027 has 30 days'],
    ['2027-01-01T24:00', 'hour 24'],
    ['2027-01-01T10:60', 'minute 60'],
  ])('refuses the impossible %s', (text, detail) => {
    const parsed = parseDateTime(text);
    expect(parsed).toMatchObject({ kind: 'impossible' });
    expect((parsed as { detail: string }).detail).toContain(detail);
  });

  it.each(['next sunday', '2027-1-17T02:00', '17/01/2027 02:00', '2027-01-17', ''])(
    'refuses the format of %j',
    (text) => {
      expect(parseDateTime(text)).toEqual({ kind: 'format' });
    },
  );
});

describe('durations', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1d', 86_400_000],
    ['45s', 45_000],
    ['2 hours', undefined],
    ['', undefined],
    ['1.5h', undefined],
  ])('short %j', (text, ms) => expect(parseShortDuration(text)).toBe(ms));

  it.each([
    ['P14D', 14 * 86_400_000],
    ['PT1H', 3_600_000],
    ['PT30M', 1_800_000],
    ['P1W', 7 * 86_400_000],
    ['nonsense', undefined],
  ])('ISO %s', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));

  it.each([
    [30 * 60_000, '30 min'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
    [86_400_000, '1 day'],
    [14 * 86_400_000, '14 days'],
  ])('formats %i ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('zones and display', () => {
  it('shows the request zone and UTC, with the right abbreviation on each side of DST', () => {
    expect(formatBoth(Date.parse('2027-01-17T01:00:00Z'), 'Europe/Berlin')).toBe(
      'Sunday 17 January 2027, 02:00 CET (01:00 UTC)',
    );
    expect(formatBoth(Date.parse('2027-07-18T00:00:00Z'), 'Europe/Berlin')).toBe(
      'Sunday 18 July 2027, 02:00 CEST (00:00 UTC)',
    );
    expect(formatBoth(Date.parse('2027-01-17T02:00:00Z'), 'UTC')).toBe('Sunday 17 January 2027, 02:00 UTC');
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'Europe/London')).toBe('GMT');
    // tzdata's abbreviations (not ICU's), or the offset where tzdata has only a number (+04).
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'Asia/Kolkata')).toBe('IST');
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'Asia/Dubai')).toBe('UTC+04:00');
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'America/Sao_Paulo')).toBe('UTC-03:00');
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'Australia/Sydney')).toBe('AEDT');
    expect(zoneLabel(Date.parse('2027-01-17T02:00:00Z'), 'UTC+5:30')).toBe('UTC+5:30');
  });

  it.each([
    ['2027-01-04T00:00:00Z', '2027-01-04T00:00:00.000Z'],
    ['2027-01-04T01:00:00+01:00', '2027-01-04T00:00:00.000Z'],
    ['2027-01-04', '2027-01-04T00:00:00.000Z'],
  ])('reads the instant %s', (text, iso) => expect(new Date(parseInstant(text)!).toISOString()).toBe(iso));

  it('refuses an instant without offset (it would depend on the machine)', () => {
    expect(parseInstant('2027-01-04T00:00')).toBeUndefined();
  });
});

describe('offsetAt: edge cases, against zoneinfo on the system tzdata', () => {
  const HALF_HOUR = 1_800_000;
  const system = existsSync('/usr/share/zoneinfo/tzdata.zi')
    ? /^# version (\S+)$/m.exec(readFileSync('/usr/share/zoneinfo/tzdata.zi', 'utf8'))?.[1]
    : undefined;

  it.skipIf(system !== TZDATA_VERSION).each([
    [
      'Pacific/Kiritimati skips 31 December 1994',
      'Pacific/Kiritimati',
      '1994-12-30T12:00:00Z',
      '1995-01-02T12:00:00Z',
    ],
    [
      'Asia/Dhaka ends DST at the last minute of 2009',
      'Asia/Dhaka',
      '2009-12-31T12:00:00Z',
      '2010-01-01T12:00:00Z',
    ],
    [
      'Africa/Monrovia keeps seconds in its offset until 1972',
      'Africa/Monrovia',
      '1971-06-01T00:00:00Z',
      '1972-06-01T00:00:00Z',
    ],
    [
      'Africa/Casablanca ends DST for Ramadan',
      'Africa/Casablanca',
      '2025-01-01T00:00:00Z',
      '2026-12-31T00:00:00Z',
    ],
    [
      'America/Vancouver stays on -07 from November 2026',
      'America/Vancouver',
      '2026-01-01T00:00:00Z',
      '2028-01-01T00:00:00Z',
    ],
  ])('%s', (_, name, fromText, toText) => {
    const instants: number[] = [];
    for (let instant = Date.parse(fromText); instant <= Date.parse(toText); instant += HALF_HOUR)
      instants.push(instant);
    const result = spawnSync('/usr/bin/python3', ['test/fixtures/tz/zoneinfo_types.py'], {
      input: JSON.stringify({
        tzpath: '/usr/share/zoneinfo',
        zones: { [name]: instants.map((ms) => ms / 1000) },
      }),
      encoding: 'utf8',
    });
    const zoneinfo = (JSON.parse(result.stdout) as Record<string, [number][]>)[name]!.map(
      ([offset]) => offset,
    );
    expect(instants.map((instant) => offsetAt(instant, name) * 60)).toEqual(zoneinfo);
    expect(new Set(zoneinfo).size).toBeGreaterThan(1);
  });
});
