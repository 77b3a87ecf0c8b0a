// The small pieces of src/calendar, table by table: text clean-up, URLs, zones, RRULE/EXDATE lines,
// durations.
import { describe, expect, it } from 'vitest';
import { durationLine, exdateLine, rruleLine } from '../../src/calendar/recurrence-lines.ts';
import { isoDuration } from '../../src/calendar/render.ts';
import { plainText, singleLine, slug, truncate, uriValue } from '../../src/calendar/text.ts';
import { eventTzid, isAmbiguousLocal, vtimezoneFor } from '../../src/calendar/zones.ts';
import { request } from '../helpers/requests.ts';

describe('text', () => {
  it.each([
    ['CRLF and CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['control characters go, tabs stay', 'a\u0000b\u001b[31mc\td\u007f\u0085e', 'ab[31mc\td\ne'],
    ['a lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
    ['emoji and scripts stay', '🚀 データ تحديث', '🚀 データ تحديث'],
    ['line and paragraph separators become LF', 'a\u2028b\u2029c', 'a\nb\nc'],
  ])('plainText: %s', (_name, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  it.each([
    ['line breaks become one space', 'a\r\n\r\nATTENDEE:x', 'a ATTENDEE:x'],
    ['tabs and runs of spaces collapse', ' a\t\tb   c ', 'a b c'],
  ])('singleLine: %s', (_name, input, expected) => {
    expect(singleLine(input)).toBe(expected);
  });

  it('truncates on code points, not UTF-16 units', () => {
    expect(truncate('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
    expect(truncate('short', 10)).toBe('short');
  });

  it.each([
    ['https', 'https://github.com/acme/platform/pull/7', 'https://github.com/acme/platform/pull/7'],
    ['javascript: is dropped', 'javascript:alert(1)', undefined],
    ['garbage is dropped', 'not a url', undefined],
    ['CRLF inside cannot survive', 'https://example.com/a\r\nATTENDEE:x', 'https://example.com/aATTENDEE:x'],
    [
      'what TEXT escaping would touch is percent-encoded',
      'https://e.com/a?b=1,2;c',
      'https://e.com/a?b=1%2C2%3Bc',
    ],
  ])('uriValue: %s', (_name, input, expected) => {
    expect(uriValue(input)).toBe(expected);
  });

  it.each([
    ['Year-end freeze', 'year-end-freeze'],
    ['Été: gel des changements', 'ete-gel-des-changements'],
    ['年末', ''],
  ])('slug(%s)', (input, expected) => {
    expect(slug(input)).toBe(expected);
  });
});

describe('zones', () => {
  it.each([
    ['an IANA zone', 'Europe/Berlin', false, 'Europe/Berlin'],
    ['UTC itself', 'UTC', false, undefined],
    ['a tz database link, under its own name', 'Asia/Calcutta', false, 'Asia/Calcutta'],
    ['a current name that ICU calls an alias', 'Asia/Kolkata', false, 'Asia/Kolkata'],
    ['an alias of UTC', 'Etc/Zulu', true, undefined],
    ['a fixed offset', 'UTC+5:30', false, undefined],
    ['a whole-hour fixed offset, single', 'UTC+3', false, undefined],
    ['a whole-hour fixed offset, series', 'UTC+3', true, 'Etc/GMT-3'],
    ['a negative one, series', 'UTC-5', true, 'Etc/GMT+5'],
    ['a half-hour fixed offset, series: a VTIMEZONE of its own', 'UTC+5:30', true, 'UTC+0530'],
    ['an unknown zone', 'Mars/Olympus', false, undefined],
  ])('eventTzid: %s', (_name, zone, recurring, expected) => {
    expect(eventTzid(zone, recurring)).toBe(expected);
  });

  it('has a VTIMEZONE for each TZID it returns, and none for unknown names', () => {
    expect(vtimezoneFor('Europe/Berlin')?.vtimezone).toMatch(/^BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/);
    // A link's VTIMEZONE is its zone's definition, under the link's name.
    const link = vtimezoneFor('US/Eastern')!.vtimezone;
    expect(link).toMatch(/^BEGIN:VTIMEZONE\r\nTZID:US\/Eastern\r\nX-LIC-LOCATION:US\/Eastern\r\n/);
    expect(link.replaceAll('US/Eastern', 'America/New_York')).toBe(
      vtimezoneFor('America/New_York')!.vtimezone,
    );
    expect(vtimezoneFor('UTC+0530')!.vtimezone).toContain('TZOFFSETTO:+0530');
    expect(vtimezoneFor('Mars/Olympus')).toBeUndefined();
  });

  it.each([
    ['the first 01:30 of a New York fall-back', '2027-11-07T05:30:00Z', true],
    ['the second 01:30', '2027-11-07T06:30:00Z', true],
    ['an ordinary time', '2027-11-07T08:00:00Z', false],
  ])('isAmbiguousLocal: %s', (_name, instant, expected) => {
    expect(isAmbiguousLocal(Date.parse(instant), 'America/New_York')).toBe(expected);
  });
});

describe('recurrence lines', () => {
  const series = (rrule: string, zone: string, start: string, exdates: string[] = []) =>
    request('x', {
      recurrence: rrule,
      start: zone.startsWith('UTC+') ? `"${start}${zone.slice(3)}:00"` : start,
      timezone: zone.startsWith('UTC+') ? undefined : zone,
      ...(exdates.length > 0 ? { exdates: JSON.stringify(exdates) } : {}),
    });

  it.each([
    [
      'a date UNTIL includes its whole local day (UTC)',
      'FREQ=WEEKLY;BYDAY=SU;UNTIL=20271212',
      'UTC',
      '2027-01-10T02:00',
      'RRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20271212T235959Z',
    ],
    [
      'a date UNTIL includes its whole local day (Berlin summer time)',
      'FREQ=WEEKLY;UNTIL=20270412',
      'Europe/Berlin',
      '2027-03-15T02:00',
      'RRULE:FREQ=WEEKLY;UNTIL=20270412T215959Z',
    ],
    [
      'a UTC UNTIL is the instant it says',
      'FREQ=DAILY;UNTIL=20270115T235959Z',
      'Asia/Tokyo',
      '2027-01-10T02:00',
      'RRULE:FREQ=DAILY;UNTIL=20270115T235959Z',
    ],
    [
      'a UTC UNTIL an hour and a half after the last start (issue 10, point 2)',
      'FREQ=WEEKLY;UNTIL=20270425T000000Z',
      'Europe/Berlin',
      '2027-04-04T01:30',
      'RRULE:FREQ=WEEKLY;UNTIL=20270425T000000Z',
    ],
    [
      'a local UNTIL is read in the zone',
      'FREQ=WEEKLY;UNTIL=20270425T013000',
      'Europe/Berlin',
      '2027-04-04T01:30',
      'RRULE:FREQ=WEEKLY;UNTIL=20270424T233000Z',
    ],
    [
      'lower case and an RRULE: prefix',
      'RRULE:freq=monthly;byday=1su;count=3',
      'UTC',
      '2027-02-07T02:00',
      'RRULE:FREQ=MONTHLY;BYDAY=1SU;COUNT=3',
    ],
  ])('rruleLine: %s', (_name, rule, zone, start, expected) => {
    expect(rruleLine(series(rule, zone, start))).toBe(expected);
  });

  it('refuses a part that is not KEY=VALUE rather than writing it', () => {
    const valid = series('FREQ=WEEKLY', 'UTC', '2027-01-10T02:00');
    const hostile = { ...valid, series: { ...valid.series!, rrule: 'FREQ=WEEKLY\r\nATTENDEE:x' } };
    expect(() => rruleLine(hostile)).toThrow(/cannot be written/);
  });

  it.each([
    [
      "the rule's local starts in the event zone, sorted",
      'Europe/Berlin',
      '2027-03-14T03:00',
      'Europe/Berlin',
      ['2027-03-28T03:00', '2027-03-21T03:00'],
      'EXDATE;TZID=Europe/Berlin:20270321T030000,20270328T030000',
    ],
    [
      'an occurrence moved by a DST gap, named by its real start, is written as the rule names it',
      'Europe/Berlin',
      '2027-03-21T02:30',
      'Europe/Berlin',
      ['2027-03-28T03:30'],
      'EXDATE;TZID=Europe/Berlin:20270328T023000',
    ],
    [
      'in UTC when the event is',
      'UTC+03',
      '2027-01-17T02:00',
      undefined,
      ['2027-01-24T02:00'],
      'EXDATE:20270123T230000Z',
    ],
    ['none', 'UTC', '2027-01-17T02:00', undefined, [], undefined],
  ])('exdateLine: %s', (_name, zone, start, tzid, exdates, expected) => {
    expect(exdateLine(series('FREQ=WEEKLY', zone, start, exdates), tzid)).toBe(expected);
  });

  it.each([
    [30 * 60_000, 'DURATION:PT30M'],
    [26 * 3_600_000, 'DURATION:PT26H'],
    [90 * 60_000 + 5000, 'DURATION:PT1H30M5S'],
  ])('durationLine: %d ms is %s, in hours (exact), never days', (ms, expected) => {
    expect(durationLine(ms)).toBe(expected);
  });
});

describe('isoDuration', () => {
  it.each([
    [3600, 'PT1H'],
    [10_800, 'PT3H'],
    [5400, 'PT1H30M'],
    [86_400, 'P1D'],
    [90_061, 'P1DT1H1M1S'],
    [0, 'PT1S'],
  ])('%d s is %s', (seconds, expected) => {
    expect(isoDuration(seconds)).toBe(expected);
  });
});
