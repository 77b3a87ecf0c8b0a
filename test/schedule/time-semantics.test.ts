// Issue 10 point by point: UNTIL as tzdata and RFC 5545 read it, the last occurrence every surface
// names, exact lengths at a fall-back, one gap rule for every consumer of occurrences, both labels of a
// repeated local time, and exdates that must match.
import { describe, expect, it } from 'vitest';
import { silenceWindow } from '../../src/alerts/window.ts';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { describeRecurrence, toText } from '../../src/format/validation.ts';
import { keyInterval, occurrenceKey } from '../../src/lifecycle/keys.ts';
import { occurrencesInView } from '../../src/lifecycle/select.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { windowText } from '../../src/notices/time-text.ts';
import { nextSlot, scheduleIndex } from '../../src/schedule/next-slot.ts';
import { lastOccurrence, occurrencesBetween } from '../../src/schedule/recurrence.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { validate } from '../../src/schedule/validate.ts';
import { describeOccurrence } from '../../src/schedule/windows.ts';
import { describeSpan } from '../../src/site/item.ts';
import { buildTimeline } from '../../src/site/timeline.ts';
import { ROOT } from '../calendar/fixture-feeds.ts';
import { readRequests } from '../../src/workspace/local.ts';
import { parseWithIcalJs, parseWithPython } from '../calendar/parsers.ts';
import { request, requestFile } from '../helpers/requests.ts';

const at = (text: string) => Date.parse(text);
const starts = (r: ReturnType<typeof request>, from = '2027-01-01T00:00:00Z', to = '2028-06-01T00:00:00Z') =>
  occurrencesBetween(r, at(from), at(to)).map((o) => isoUtc(o.start));

describe('UNTIL', () => {
  it('a UTC UNTIL is an instant: 25 April 01:30 CEST (23:30 UTC the day before) is in', () => {
    const weekly = request('w', {
      start: '2027-04-04T01:30',
      timezone: 'Europe/Berlin',
      recurrence: 'FREQ=WEEKLY;UNTIL=20270425T000000Z',
    });
    expect(starts(weekly)).toEqual([
      '2027-04-03T23:30:00Z',
      '2027-04-10T23:30:00Z',
      '2027-04-17T23:30:00Z',
      '2027-04-24T23:30:00Z',
    ]);
  });

  it('a local UNTIL is a local time in the zone; one a minute earlier leaves that occurrence out', () => {
    const until = (value: string) =>
      starts(
        request('w', {
          start: '2027-04-04T01:30',
          timezone: 'Europe/Berlin',
          recurrence: `FREQ=WEEKLY;UNTIL=${value}`,
        }),
      );
    expect(until('20270425T013000')).toHaveLength(4);
    expect(until('20270425T012900')).toHaveLength(3);
  });

  it('a date-only UNTIL includes its own day: the example weekly-api-rolling-update ends on 12 December', () => {
    const file = readRequests(['maintenance'], ROOT).find((f) => f.id === 'weekly-api-rolling-update')!;
    const weekly = file.request!;
    expect(isoUtc(lastOccurrence(weekly)!.start)).toBe('2027-12-12T02:00:00Z');
    expect(starts(weekly).at(-1)).toBe('2027-12-12T02:00:00Z');
    // The page, the CLI and the PR comment all describe it with describeRecurrence.
    expect(describeRecurrence(weekly)).toBe(
      'every week on Sunday, last on Sunday 12 December 2027, 02:00 UTC',
    );
    const report = validate({ policy: defaultPolicy(), now: at('2027-01-04T00:00:00Z'), targets: [file] });
    expect(toText(report)).toContain(
      'Repeats: every week on Sunday, last on Sunday 12 December 2027, 02:00 UTC',
    );
  });

  it.each([
    ['20271301', 'there is no month 13'],
    ['20270230', 'February 2027 has 28 days'],
    ['20270101T250000Z', 'hour 25 does not exist'],
    ['2027-01-01', 'must be a date such as 20271231'],
  ])('UNTIL=%s is an error: %s', (value, message) => {
    const parsed = requestFile('w', { start: '2027-01-03T02:00', recurrence: `FREQ=WEEKLY;UNTIL=${value}` });
    expect(parsed.request).toBeUndefined();
    expect(parsed.findings).toMatchObject([{ rule: 'schema', message: expect.stringContaining(message) }]);
  });
});

describe('exdates must remove an occurrence', () => {
  it('one that matches none is an error naming the nearest occurrences', () => {
    const parsed = requestFile('w', {
      start: '2027-02-07T03:00',
      recurrence: 'FREQ=WEEKLY;COUNT=5',
      exdates: '["2027-02-14T03:00", "2027-02-15T03:00"]',
    });
    expect(parsed.request).toBeUndefined();
    expect(parsed.findings).toMatchObject([
      {
        rule: 'schema',
        path: ['exdates', 1],
        message: expect.stringContaining('the nearest are 2027-02-14T03:00 and 2027-02-21T03:00'),
      },
    ]);
  });

  it('one before the series, or after its end, names the one nearest occurrence', () => {
    const parsed = requestFile('w', {
      start: '2027-02-07T03:00',
      recurrence: 'FREQ=WEEKLY;COUNT=2',
      exdates: '["2027-03-07T03:00"]',
    });
    expect(parsed.findings[0]?.message).toContain('the nearest is 2027-02-14T03:00');
  });

  it("an occurrence moved by a gap can be named by the rule's time or its real one", () => {
    for (const exdate of ['2027-03-28T02:30', '2027-03-28T03:30']) {
      const weekly = request('w', {
        start: '2027-03-21T02:30',
        timezone: 'Europe/Berlin',
        recurrence: 'FREQ=WEEKLY;COUNT=3',
        exdates: `["${exdate}"]`,
      });
      expect(starts(weekly)).toEqual(['2027-03-21T01:30:00Z', '2027-04-04T00:30:00Z']);
    }
  });
});

describe('a fall-back night: exact lengths, never DTEND <= DTSTART', () => {
  const policy = defaultPolicy();
  const now = at('2027-10-01T00:00:00Z');
  const cases = [
    // 01:30 CEST + 2 h = 02:30 CET (the second 02:30).
    [
      'berlin',
      { start: '2027-10-31T01:30', timezone: 'Europe/Berlin', duration: '2h' },
      [
        ['2027-10-30T23:30:00Z', '2027-10-31T01:30:00Z'],
        ['2027-11-07T00:30:00Z', '2027-11-07T02:30:00Z'],
        ['2027-11-14T00:30:00Z', '2027-11-14T02:30:00Z'],
      ],
    ],
    // 01:30 EDT + 30 min = 01:00 EST: a local DTEND would be before DTSTART.
    [
      'new-york',
      { start: '"2027-11-07T01:30-04:00"', timezone: 'America/New_York', duration: '30m' },
      [
        ['2027-11-07T05:30:00Z', '2027-11-07T06:00:00Z'],
        ['2027-11-14T06:30:00Z', '2027-11-14T07:00:00Z'],
        ['2027-11-21T06:30:00Z', '2027-11-21T07:00:00Z'],
      ],
    ],
  ] as const;

  it.each(cases)(
    '%s: every occurrence lasts the duration, as ical.js and python3-icalendar read the feed',
    (id, fields, expected) => {
      const r = request(id, { ...fields, recurrence: 'FREQ=WEEKLY;COUNT=3' });
      const feed = buildFeeds({ requests: [r], policy, now, sequences: new Map() }).get('maintenance.ics')!;
      expect(feed).not.toMatch(/^DTEND;TZID=/m);
      for (const event of [
        parseWithIcalJs(feed).events[0]!,
        parseWithPython(new Map([['f', feed]])).get('f')!.events[0]!,
      ]) {
        expect(event.spans).toEqual(expected);
        expect(Date.parse(event.dtend!)).toBeGreaterThan(Date.parse(event.dtstart));
      }
    },
  );
});

describe('one gap rule for every consumer of occurrences', () => {
  // Sundays 02:30 in Berlin; on 28 March 2027 02:30 does not exist: it is 03:30 CEST (01:30 UTC).
  const weekly = request('sunday-sync', {
    start: '2027-03-21T02:30',
    timezone: 'Europe/Berlin',
    duration: '30m',
    recurrence: 'FREQ=WEEKLY;COUNT=3',
  });
  const gap = { start: at('2027-03-28T01:30:00Z'), end: at('2027-03-28T02:00:00Z') };
  const policy = defaultPolicy();

  it('validation and next-slot see it at 03:30 CEST', () => {
    expect(occurrencesBetween(weekly, at('2027-03-28T00:00:00Z'), at('2027-03-29T00:00:00Z'))).toEqual([gap]);
    const busy = scheduleIndex([weekly], policy, at('2027-03-01T00:00:00Z'));
    expect(busy.overlapping('production', gap.start, gap.end).map((o) => [o.start, o.end])).toEqual([
      [gap.start, gap.end],
    ]);
    // Development is open any time: next-slot for the same service starts right after it.
    const slot = nextSlot(
      {
        environment: 'development',
        services: ['api'],
        durationMs: 1_800_000,
        impact: 'low',
        after: at('2027-03-28T01:30:00Z'),
      },
      policy,
      scheduleIndex([{ ...weekly, environment: 'development' }], policy, at('2027-03-01T00:00:00Z')),
      at('2027-03-01T00:00:00Z'),
    );
    expect(slot).toMatchObject({ found: true, start: gap.end });
  });

  it('the scheduler keys it by its real start and silences from the lead time before it', () => {
    const view = { now: at('2027-03-27T00:00:00Z'), lookAheadMs: 7 * 86_400_000, lookBackMs: 7 * 86_400_000 };
    expect(occurrencesInView(weekly, 0, view)).toContainEqual(gap);
    expect(occurrenceKey(weekly, gap.start)).toBe('sunday-sync@2027-03-28T03:30');
    expect(keyInterval(weekly, 'sunday-sync@2027-03-28T03:30')).toEqual(gap);
    expect(silenceWindow(weekly, gap, policy)).toEqual({ from: gap.start - 30 * 60_000, until: gap.end });
  });

  it('the page lists it at 03:30 CEST and the feed publishes it there', () => {
    const timeline = buildTimeline([weekly], policy, at('2027-03-27T00:00:00Z'));
    const listed = timeline.upcoming.flatMap((day) => day.entries).filter((e) => e.kind === 'maintenance');
    expect(listed.map((e) => [e.start, e.end])).toContainEqual([gap.start, gap.end]);
    expect(describeSpan(gap, weekly.zone)).toContain('03:30');
    const feed = buildFeeds({
      requests: [weekly],
      policy,
      now: at('2027-03-01T00:00:00Z'),
      sequences: new Map(),
    }).get('maintenance.ics')!;
    expect(parseWithIcalJs(feed).events[0]!.spans).toContainEqual([isoUtc(gap.start), isoUtc(gap.end)]);
  });
});

describe('a local time said twice is shown with both labels', () => {
  // One hour from 02:30+02:00 on 31 October in Berlin ends at the second 02:30.
  const span = { start: at('2027-10-31T00:30:00Z'), end: at('2027-10-31T01:30:00Z') };

  it('in validation messages, the CLI and the page', () => {
    expect(describeOccurrence(span, 'Europe/Berlin')).toBe('02:30 CEST - 02:30 CET (00:30-01:30 UTC)');
    const single = requestFile('fold', {
      start: '"2027-10-31T02:30+02:00"',
      timezone: 'Europe/Berlin',
      duration: '1h',
    });
    const report = validate({ policy: defaultPolicy(), now: at('2027-01-04T00:00:00Z'), targets: [single] });
    expect(toText(report)).toContain('Sunday 31 October 2027, 02:30 CEST - 02:30 CET (00:30-01:30 UTC), 1 h');
  });

  it('in notices', () => {
    expect(windowText(span.start, span.end, ['Europe/Berlin', 'UTC']).text).toBe(
      'Sunday 31 October 2027, 02:30 CEST–02:30 CET (00:30–01:30 UTC)',
    );
  });
});
