// The traps of ical-generator 11 as installed, each shown on the library itself and then shown
// avoided in our feeds (src/calendar/render.ts lists them). If an upgrade fixes one, its first
// assertion fails: drop the workaround then.
import { execFileSync } from 'node:child_process';
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { vtimezoneText } from '../../src/calendar/zones.ts';
import { fixtureFeeds, ROOT } from './fixture-feeds.ts';
import { unfold, vevents } from './ics-lines.ts';

const ours = () => [...fixtureFeeds().values()].join('');

afterEach(() => {
  vi.useRealTimers();
});

describe('ical-generator 11', () => {
  it('writes a random UID and the clock as DTSTAMP unless both are set', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-05T05:05:05Z'));
    const once = () => {
      const calendar = ical();
      calendar.createEvent({ start: new Date(Date.UTC(2027, 0, 17, 2)), summary: 'x' });
      return unfold(calendar.toString());
    };
    const [first, second] = [once(), once()];
    expect(first.find((l) => l.startsWith('UID:'))).not.toBe(second.find((l) => l.startsWith('UID:')));
    expect(first).toContain('DTSTAMP:20310505T050505Z');
    // Ours: UIDs from the request ids, DTSTAMP a constant (see feeds.test.ts for the clock).
    expect(ours()).not.toMatch(/UID:[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(new Set(unfold(ours()).filter((l) => l.startsWith('DTSTAMP')))).toEqual(
      new Set(['DTSTAMP:20000101T000000Z']),
    );
  });

  it("takes a native Date's wall clock from the process's TZ when a zone is set; Luxon does not", () => {
    const script = `
      import ical from 'ical-generator';
      import { DateTime } from 'luxon';
      const calendar = ical();
      const instant = Date.UTC(2027, 0, 17, 2);
      calendar.createEvent({ id: 'a', start: new Date(instant), timezone: 'Europe/Berlin' });
      calendar.createEvent({ id: 'b', start: DateTime.fromMillis(instant, { zone: 'Europe/Berlin' }), timezone: 'Europe/Berlin' });
      process.stdout.write(calendar.toString().split('\\r\\n').filter((l) => l.startsWith('DTSTART')).join('\\n'));
    `;
    const run = (tz: string) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      }).split('\n');
    // 02:00 UTC is 03:00 in Berlin.
    expect(run('Europe/Berlin')).toEqual([
      'DTSTART;TZID=Europe/Berlin:20270117T030000',
      'DTSTART;TZID=Europe/Berlin:20270117T030000',
    ]);
    expect(run('America/New_York')).toEqual([
      'DTSTART;TZID=Europe/Berlin:20270116T210000', // New York's wall clock, labelled Berlin
      'DTSTART;TZID=Europe/Berlin:20270117T030000',
    ]);
    // Ours passes Luxon DateTimes only; golden.test.ts renders under four TZ values and compares bytes.
  });

  it('writes DTSTAMP without Z, and zone-less times as floating, once the calendar has a zone name', () => {
    const calendar = ical({ timezone: 'Europe/Berlin' });
    const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' });
    calendar.createEvent({
      id: 'a',
      start: utc(Date.UTC(2027, 0, 17, 2)),
      stamp: utc(Date.UTC(2027, 0, 1)),
    });
    const lines = unfold(calendar.toString());
    expect(lines).toContain('DTSTAMP:20270101T010000');
    expect(lines).toContain('DTSTART:20270117T030000');
    // Ours: the zone name stays empty (X-WR-TIMEZONE is written apart); every date-time is UTC,
    // zoned with a TZID, or a DATE.
    const eventLines = [...fixtureFeeds().values()].flatMap((text) => vevents(text).flat());
    for (const line of eventLines.filter((l) => /^(DTSTAMP|DTSTART|DTEND|EXDATE)[;:]/.test(l))) {
      expect(line).toMatch(
        /^[A-Z]+(:\d{8}T\d{6}Z|;TZID=[^:]+:\d{8}T\d{6}(,\d{8}T\d{6})*|;VALUE=DATE:\d{8})$/,
      );
    }
  });

  it('writes the calendar name and description unescaped', () => {
    const text = ical({ name: 'A, b; c\r\nX-EVIL:1', description: 'x;y' }).toString();
    expect(text.split('\r\n')).toEqual(
      expect.arrayContaining(['NAME:A, b; c', 'X-EVIL:1', 'X-WR-CALDESC:x;y']),
    );
    // Ours: feeds.test.ts "escapes the calendar name and description".
    expect(unfold(ours())).toContain('NAME:Platform\\, Ops\\; maintenance');
  });

  it('writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONEs, and no final CRLF', () => {
    const calendar = ical({ ttl: 3600, timezone: { name: '', generator: vtimezoneText } });
    calendar.createEvent({
      id: 'a',
      start: DateTime.fromMillis(Date.UTC(2027, 0, 17, 2), { zone: 'Europe/Berlin' }),
      timezone: 'Europe/Berlin',
    });
    const lines = calendar.toString().split('\r\n');
    expect(lines.indexOf('REFRESH-INTERVAL;VALUE=DURATION:PT1H')).toBeGreaterThan(
      lines.indexOf('END:VTIMEZONE'),
    );
    expect(calendar.toString().endsWith('END:VCALENDAR')).toBe(true);
    for (const text of fixtureFeeds().values()) {
      const ourLines = unfold(text);
      expect(ourLines.indexOf('REFRESH-INTERVAL;VALUE=DURATION:PT3H')).toBeLessThan(
        ourLines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:')) >>> 0,
      );
      expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    }
  });

  it('escapes a URL property as TEXT, which breaks links with commas or semicolons', () => {
    const calendar = ical();
    calendar.createEvent({ id: 'a', start: new Date(0), url: 'https://example.com/?a=1,2;b' });
    expect(unfold(calendar.toString())).toContain('URL;VALUE=URI:https://example.com/?a=1\\,2\\;b');
    // Ours percent-encodes those characters in URL values: nothing escaped inside a link.
    for (const line of unfold(ours()).filter((l) => l.startsWith('URL'))) expect(line).not.toContain('\\');
  });
});
