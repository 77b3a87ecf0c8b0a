// buildFeeds at the text level: which files and events, retention, determinism, UIDs, escaping,
// folding, hostile input, and the repository's own examples.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { DAY } from '../../src/schedule/time.ts';
import { exampleFeeds, exampleInput, fixtureFeeds, fixtureInput, NOW } from './fixture-feeds.ts';
import { physicalLines, property, propertyName, unfold, vevents } from './ics-lines.ts';

const uids = (text: string) => vevents(text).map((lines) => property(lines, 'UID')!.slice('UID:'.length));
const maintenanceUids = (text: string) => uids(text).filter((uid) => !uid.startsWith('freeze-'));

afterEach(() => {
  vi.useRealTimers();
});

describe('the files', () => {
  it('are the whole feed, one per environment and service, and the freezes', () => {
    expect([...fixtureFeeds().keys()]).toEqual([
      'maintenance.ics',
      'freezes.ics',
      'env/development.ics',
      'env/production.ics',
      'env/staging.ics',
      'service/backup.ics',
      'service/cache.ics',
      'service/edge.ics',
      'service/k8s.ics',
      'service/ledger-db.ics',
      'service/payments.ics',
      'service/reports-db.ics',
      'service/sandbox.ics',
      'service/search.ics',
      'service/sync.ics',
      'service/web.ics',
    ]);
  });

  it('keep a subscribed URL alive when nothing is in it for now', () => {
    // k8s's only request ended long ago; the policy's environments exist without requests.
    const feeds = buildFeeds({ ...fixtureInput(), requests: fixtureInput().requests.slice(0, 1) });
    expect(vevents(fixtureFeeds().get('service/k8s.ics')!)).toEqual([]);
    expect([...feeds.keys()]).toContain('env/staging.ics');
    expect(maintenanceUids(feeds.get('env/staging.ics')!)).toEqual([]);
  });

  it('filter by environment and service, with the freezes that apply to the environment', () => {
    const feeds = fixtureFeeds();
    expect(maintenanceUids(feeds.get('env/staging.ics')!)).toEqual([
      'finished-recently@acme.platform.maint',
      'weekly-cache-flush@acme.platform.maint',
    ]);
    expect(maintenanceUids(feeds.get('service/edge.ics')!)).toEqual([
      'finished-recently@acme.platform.maint',
      'gulf-weekly-rotation@acme.platform.maint',
      'kolkata-offset-check@acme.platform.maint',
    ]);
    const freezeNames = (path: string) =>
      [...new Set(vevents(feeds.get(path)!).map((lines) => property(lines, 'SUMMARY')!))].filter((s) =>
        s.startsWith('SUMMARY:Change freeze'),
      );
    expect(freezeNames('env/production.ics')).toEqual([
      'SUMMARY:Change freeze: Month-end close',
      'SUMMARY:Change freeze: Year-end freeze',
      'SUMMARY:Change freeze: Spring launch',
    ]);
    expect(freezeNames('env/staging.ics')).toEqual([
      'SUMMARY:Change freeze: Year-end freeze',
      'SUMMARY:Change freeze: Spring launch',
    ]);
    expect(freezeNames('env/development.ics')).toEqual(['SUMMARY:Change freeze: Spring launch']);
    expect(freezeNames('service/edge.ics')).toEqual([]);
    expect(uids(feeds.get('freezes.ics')!).every((uid) => uid.startsWith('freeze-'))).toBe(true);
    expect(uids(feeds.get('maintenance.ics')!)).toEqual(
      expect.arrayContaining(uids(feeds.get('freezes.ics')!)),
    );
  });
});

describe('retention', () => {
  it('keeps what ended within keep_after_end and drops what ended before', () => {
    const main = fixtureFeeds().get('maintenance.ics')!;
    expect(main).toContain('UID:finished-recently@');
    expect(main).not.toContain('UID:finished-long-ago@');
  });

  it('drops an event once its end is keep_after_end behind now; a series without end stays', () => {
    const end = Date.parse('2026-11-20T22:00:00Z');
    const at = (now: number) => maintenanceUids(fixtureFeeds(now).get('maintenance.ics')!);
    expect(at(end + 90 * DAY)).toContain('finished-recently@acme.platform.maint');
    expect(at(end + 90 * DAY + 1)).not.toContain('finished-recently@acme.platform.maint');
    expect(at(Date.parse('2040-01-01T00:00:00Z'))).toEqual(['monthly-report-vacuum@acme.platform.maint']);
  });

  it('keeps cancelled maintenance, as CANCELLED with the prefix Outlook users see, and no alarm', () => {
    const event = vevents(fixtureFeeds().get('maintenance.ics')!).find((lines) =>
      lines.includes('UID:cancelled-failover-test@acme.platform.maint'),
    )!;
    expect(property(event, 'SUMMARY')).toBe(
      'SUMMARY:[CANCELLED] [PRODUCTION] Maintenance: Failover test of the payment gateway',
    );
    expect(property(event, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(property(event, 'SEQUENCE')).toBe('SEQUENCE:1');
    const withAlarms = vevents(fixtureFeeds().get('maintenance.ics')!, true);
    const alarmed = withAlarms.filter((lines) => lines.includes('BEGIN:VALARM')).map((lines) => lines[0]);
    expect(alarmed).toContain('UID:ledger-host-move@acme.platform.maint');
    expect(alarmed).not.toContain('UID:cancelled-failover-test@acme.platform.maint');
  });
});

describe('determinism', () => {
  it('builds byte-identical feeds twice', () => {
    expect(fixtureFeeds()).toEqual(fixtureFeeds());
    expect([...fixtureFeeds().keys()]).toEqual([...fixtureFeeds().keys()]);
  });

  it('does not read the clock: DTSTAMP is a constant, whatever the system time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-05T05:05:05Z'));
    const first = fixtureFeeds();
    vi.setSystemTime(new Date('2019-01-01T00:00:00Z'));
    expect(fixtureFeeds()).toEqual(first);
    const stamps = new Set(unfold(first.get('maintenance.ics')!).filter((l) => l.startsWith('DTSTAMP')));
    expect([...stamps]).toEqual(['DTSTAMP:20000101T000000Z']);
  });

  it('gives the same bytes when now moves within retention', () => {
    expect(fixtureFeeds(NOW + 6 * 3_600_000)).toEqual(fixtureFeeds(NOW));
    // Further moves change which freezes (and clock-change notes) fall in the window, not the events.
    const events = (now: number) =>
      vevents(fixtureFeeds(now).get('maintenance.ics')!).filter((e) => !e[0]!.startsWith('UID:freeze-'));
    expect(events(NOW + 30 * DAY)).toEqual(events(NOW));
  });

  it('keeps UIDs: <id>@<owner>.<name>.maint, the same whatever the case of the repository', () => {
    expect(maintenanceUids(fixtureFeeds().get('service/cache.ics')!)).toEqual([
      'weekly-cache-flush@acme.platform.maint',
    ]);
    const upper = buildFeeds({ ...fixtureInput(), repo: { owner: 'ACME', name: 'Platform' } });
    expect(uids(upper.get('maintenance.ics')!)).toEqual(uids(fixtureFeeds().get('maintenance.ics')!));
    const { repo: _repo, ...withoutRepo } = fixtureInput();
    expect(maintenanceUids(buildFeeds(withoutRepo).get('service/cache.ics')!)).toEqual([
      'weekly-cache-flush@maint',
    ]);
  });

  it('names freezes by name and start date, so they keep their UID as now moves', () => {
    const freezes = (now: number) => uids(fixtureFeeds(now).get('freezes.ics')!);
    expect(freezes(NOW)).toContain('freeze-year-end-freeze-185848ab-20261220@acme.platform.maint');
    expect(freezes(NOW + 10 * DAY)).toContain('freeze-year-end-freeze-185848ab-20261220@acme.platform.maint');
  });
});

describe('the text', () => {
  const all = () => [...fixtureFeeds(), ...exampleFeeds()];

  it('uses CRLF after every line, and nothing else breaks a line', () => {
    for (const [path, text] of all()) {
      expect(text.endsWith('END:VCALENDAR\r\n'), path).toBe(true);
      expect(text.replace(/\r\n/g, ''), path).not.toMatch(/[\r\n]/);
    }
  });

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let foldedMultiByte = 0;
    for (const [path, text] of all()) {
      for (const line of physicalLines(text)) {
        expect(line.length, `${path}: ${line.toString()}`).toBeLessThanOrEqual(75);
        expect(() => decoder.decode(line), path).not.toThrow();
        if (line[0] === 0x20 && line.some((byte) => byte >= 0x80)) foldedMultiByte++;
      }
    }
    expect(foldedMultiByte).toBeGreaterThan(5);
  });

  it('escapes the calendar name and description (ical-generator does not)', () => {
    const lines = unfold(fixtureFeeds().get('maintenance.ics')!);
    expect(lines).toContain('NAME:Platform\\, Ops\\; maintenance');
    expect(lines).toContain('X-WR-CALNAME:Platform\\, Ops\\; maintenance');
    expect(lines).toContain(
      'X-WR-CALDESC:Planned work\\, freezes\\; and rollbacks.\\nSecond line \\\\ with a backslash',
    );
    const input = fixtureInput();
    const hostile = buildFeeds({
      ...input,
      policy: {
        ...input.policy,
        calendar: { ...input.policy.calendar, name: 'Ops\r\nX-EVIL:1', description: 'a\nMETHOD:CANCEL' },
      },
    }).get('maintenance.ics')!;
    expect(unfold(hostile).filter((l) => /^(X-EVIL|METHOD)/.test(l))).toEqual(['METHOD:PUBLISH']);
  });

  it('writes the calendar properties before any component', () => {
    const lines = unfold(fixtureFeeds().get('maintenance.ics')!);
    const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:'));
    expect(lines.slice(0, firstComponent)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//maint//maintenance calendar//EN',
      'URL:https://acme.github.io/platform/',
      'METHOD:PUBLISH',
      'NAME:Platform\\, Ops\\; maintenance',
      'X-WR-CALNAME:Platform\\, Ops\\; maintenance',
      'X-WR-CALDESC:Planned work\\, freezes\\; and rollbacks.\\nSecond line \\\\ with a backslash',
      'X-WR-TIMEZONE:Europe/Berlin',
      'REFRESH-INTERVAL;VALUE=DURATION:PT3H',
      'X-PUBLISHED-TTL:PT3H',
    ]);
    const afterComponents = lines.slice(lines.lastIndexOf('END:VEVENT') + 1);
    expect(afterComponents).toEqual(['END:VCALENDAR']);
  });

  it('leaves hostile titles and descriptions inert: no property line of their own', () => {
    const text = fixtureFeeds().get('env/development.ics')!;
    const event = vevents(text).find((lines) => lines.includes('UID:hostile-title@acme.platform.maint'))!;
    expect(event.map(propertyName)).toEqual([
      'UID',
      'SEQUENCE',
      'DTSTAMP',
      'DTSTART',
      'DTEND',
      'SUMMARY',
      'DESCRIPTION',
      'CATEGORIES',
      'URL',
      'STATUS',
    ]);
    expect(property(event, 'SUMMARY')).toBe(
      'SUMMARY:[DEVELOPMENT] Maintenance: <script>alert(1)</script> **bold** [x](javascript:alert(1)) @org/everyone {{ secrets.TOKEN }} x ATTENDEE:mailto:evil@example.com',
    );
    expect(property(event, 'URL')).toBe('URL;VALUE=URI:https://github.com/acme/platform/issues/9');
    expect(unfold(text).filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(vevents(text).length);
    for (const line of unfold(text)) expect(line).not.toMatch(/^(ATTENDEE|ORGANIZER|UID:evil|SUMMARY:evil)/);
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('writes an alarm only when the policy asks for one', () => {
    const input = fixtureInput();
    const { alarm: _alarm, ...calendar } = input.policy.calendar;
    const feeds = buildFeeds({ ...input, policy: { ...input.policy, calendar } });
    expect(unfold(feeds.get('maintenance.ics')!)).not.toContain('BEGIN:VALARM');
    expect(fixtureFeeds().get('maintenance.ics')).toContain('TRIGGER:-PT30M');
  });

  it('costs under 1.5 KiB per maintenance event', () => {
    const text = fixtureFeeds().get('service/cache.ics')!;
    const empty = fixtureFeeds().get('service/k8s.ics')!;
    const vtimezone = text.slice(text.indexOf('BEGIN:VTIMEZONE'), text.lastIndexOf('END:VTIMEZONE') + 15);
    expect(Buffer.byteLength(text) - Buffer.byteLength(empty) - Buffer.byteLength(vtimezone)).toBeLessThan(
      1536,
    );
  });

  it('refuses a request id given twice and names that cannot be file names', () => {
    const input = fixtureInput();
    expect(() => buildFeeds({ ...input, requests: [...input.requests, input.requests[0]!] })).toThrow(
      /appears twice/,
    );
    const bad = { ...input.requests[0]!, services: ['../etc'] };
    expect(() => buildFeeds({ ...input, requests: [bad] })).toThrow(/cannot name a feed file/);
  });
});

describe("the repository's examples in maintenance/", () => {
  it('are all in the feed at the example now, recurring ones as one VEVENT with RRULE', () => {
    const main = exampleFeeds().get('maintenance.ics')!;
    expect(maintenanceUids(main)).toHaveLength(exampleInput().requests.length);
    const weekly = vevents(main).find((lines) =>
      lines.includes('UID:weekly-api-rolling-update@acme.platform.maint'),
    )!;
    // UNTIL=20271212 includes that Sunday: the series' last occurrence is 12 December, 02:00 UTC.
    expect(property(weekly, 'RRULE')).toBe('RRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20271212T235959Z');
    expect(property(weekly, 'DTSTART')).toBe('DTSTART:20270110T020000Z');
    expect(property(weekly, 'DURATION')).toBe('DURATION:PT1H');
    expect(weekly.some((line) => line.startsWith('DTEND'))).toBe(false);
    const london = vevents(main).find((lines) =>
      lines.includes('UID:dev-database-refresh@acme.platform.maint'),
    )!;
    expect(property(london, 'DTSTART')).toBe('DTSTART;TZID=Europe/London:20270112T140000');
    const cancelled = vevents(main).find((lines) =>
      lines.includes('UID:search-reindex@acme.platform.maint'),
    )!;
    expect(property(cancelled, 'STATUS')).toBe('STATUS:CANCELLED');
  });

  it('lose the December certificate renewal 90 days after it ended', () => {
    const ended = Date.parse('2026-12-13T02:30:00Z');
    expect(exampleFeeds(ended + 90 * DAY).get('maintenance.ics')).toContain('UID:edge-certificate-renewal@');
    expect(exampleFeeds(ended + 91 * DAY).get('maintenance.ics')).not.toContain(
      'UID:edge-certificate-renewal@',
    );
  });
});
