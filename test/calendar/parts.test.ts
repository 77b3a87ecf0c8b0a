// The small pieces of src/calendar, table by table: text clean-up, URLs, zones, RRULE/EXDATE lines,
// durations.
import { describe, expect, it } from 'vitest';
import { exdateLine, rruleLine } from '../../src/calendar/recurrence-lines.ts';
import { isoDuration } from '../../src/calendar/render.ts';
import { plainText, singleLine, slug, truncate, uriValue } from '../../src/calendar/text.ts';
import { eventTzid, isAmbiguousLocal, vtimezoneFor } from '../../src/calendar/zones.ts';

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
    ['an ICU name the library maps to the current one', 'Asia/Calcutta', false, 'Asia/Kolkata'],
    ['a fixed offset', 'UTC+5:30', false, undefined],
    ['a whole-hour fixed offset, single', 'UTC+3', false, undefined],
    ['a whole-hour fixed offset, series', 'UTC+3', true, 'Etc/GMT-3'],
    ['a negative one, series', 'UTC-5', true, 'Etc/GMT+5'],
    ['a half-hour fixed offset, series (UTC, see eventTzid)', 'UTC+5:30', true, undefined],
    ['an unknown zone', 'Mars/Olympus', false, undefined],
  ])('eventTzid: %s', (_name, zone, recurring, expected) => {
    expect(eventTzid(zone, recurring)).toBe(expected);
  });

  it('has a VTIMEZONE for each TZID it returns, and none for unknown names', () => {
    expect(vtimezoneFor('Europe/Berlin')?.vtimezone).toMatch(/^BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/);
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
  const series = (rrule: string, zone: string, exdates: string[] = []) => ({
    id: 'x',
    zone,
    series: { rrule, exdates },
  });

  it.each([
    [
      'a date UNTIL in UTC',
      'FREQ=WEEKLY;BYDAY=SU;UNTIL=20271212',
      'UTC',
      'RRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20271212T000000Z',
    ],
    [
      'a date UNTIL in Berlin summer time',
      'FREQ=WEEKLY;UNTIL=20270412',
      'Europe/Berlin',
      'RRULE:FREQ=WEEKLY;UNTIL=20270411T220000Z',
    ],
    [
      'a date-time UNTIL read as wall clock',
      'FREQ=DAILY;UNTIL=20270115T235959Z',
      'Asia/Tokyo',
      'RRULE:FREQ=DAILY;UNTIL=20270115T145959Z',
    ],
    [
      'lower case and an RRULE: prefix',
      'freq=monthly;byday=1su;count=3',
      'UTC',
      'RRULE:FREQ=MONTHLY;BYDAY=1SU;COUNT=3',
    ],
  ])('rruleLine: %s', (_name, rule, zone, expected) => {
    expect(rruleLine(series(rule, zone))).toBe(expected);
  });

  it('refuses a part that is not KEY=VALUE rather than writing it', () => {
    expect(() => rruleLine(series('FREQ=WEEKLY\r\nATTENDEE:x', 'UTC'))).toThrow(/cannot be written/);
  });

  it.each([
    [
      'in the event zone, sorted',
      'Europe/Berlin',
      'Europe/Berlin',
      ['2027-03-28T03:00', '2027-03-21T03:00'],
      'EXDATE;TZID=Europe/Berlin:20270321T030000,20270328T030000',
    ],
    ['in UTC when the event is', 'UTC+3', undefined, ['2027-01-24T02:00'], 'EXDATE:20270123T230000Z'],
    ['none', 'UTC', undefined, [], undefined],
  ])('exdateLine: %s', (_name, zone, tzid, exdates, expected) => {
    expect(exdateLine(series('FREQ=WEEKLY', zone, exdates), tzid)).toBe(expected);
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
