// Every feed read back by two independent parsers (ical.js; python3-icalendar with pytz and
// dateutil) and compared field by field with the requests and the policy's blackouts.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedInput } from '../../src/calendar/feeds.ts';
import { parseRequest } from '../../src/model/request.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { BlackoutCalendar, appliesTo, type BlackoutPeriod } from '../../src/schedule/blackouts.ts';
import { occurrencesBetween, seriesEnd } from '../../src/schedule/recurrence.ts';
import { dateIn, isoUtc, parseDateTime, parseIsoDuration, resolveLocal } from '../../src/schedule/time.ts';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { exampleInput, FIXTURES, fixtureInput, links } from './fixture-feeds.ts';
import {
  asPythonIcalendarReads,
  parseWithIcalJs,
  parseWithPython,
  type ParsedEvent,
  type ParsedFeed,
} from './parsers.ts';

interface Parsed {
  input: FeedInput;
  feeds: Map<string, string>;
  icaljs: Map<string, ParsedFeed>;
  python: Map<string, ParsedFeed>;
}

const sets: Record<'fixtures' | 'examples', Parsed> = {} as never;

beforeAll(() => {
  for (const [name, input] of [
    ['fixtures', fixtureInput()],
    ['examples', exampleInput()],
  ] as const) {
    const feeds = buildFeeds(input);
    const icaljs = new Map([...feeds].map(([path, text]) => [path, parseWithIcalJs(text)]));
    sets[name] = { input, feeds, icaljs, python: parseWithPython(feeds) };
  }
});

/** What a feed must hold, worked out from the inputs without the calendar code. */
function expectedContent(input: FeedInput, path: string) {
  const keepSince = input.now - input.policy.calendar.keepAfterEndMs;
  const retained = input.requests.filter((r) => seriesEnd(r) >= keepSince);
  const periods = new BlackoutCalendar(input.policy).between(keepSince, input.now + input.policy.horizonMs);
  const [kind, name] = path.replace(/\.ics$/, '').split('/') as [string, string | undefined];
  switch (kind) {
    case 'maintenance':
      return { requests: retained, periods };
    case 'freezes':
      return { requests: [], periods };
    case 'env':
      return {
        requests: retained.filter((r) => r.environment === name),
        periods: periods.filter((p) => appliesTo(p, name!)),
      };
    default:
      return { requests: retained.filter((r) => r.services.includes(name!)), periods: [] };
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Start instants of a series' first 60 occurrences, from the schedule's own expansion (rrule.js). */
function scheduleOccurrences(request: MaintenanceRequest): string[] {
  const until = request.startsAt + 10 * 366 * 86_400_000;
  return occurrencesBetween(request, request.startsAt, until)
    .slice(0, 60)
    .map((o) => isoUtc(o.start));
}

const iso = isoUtc;

function checkMaintenanceEvent(
  event: ParsedEvent,
  request: MaintenanceRequest,
  sequence: number,
  alarmSeconds: number,
) {
  const cancelled = request.status === 'cancelled';
  expect(event.summary).toBe(
    `${cancelled ? '[CANCELLED] ' : ''}[${request.environment.toUpperCase()}] Maintenance: ${oneLine(request.title)}`,
  );
  expect(event.status).toBe(cancelled ? 'CANCELLED' : 'CONFIRMED');
  expect(event.sequence).toBe(sequence);
  expect(event.dtstart).toBe(iso(request.startsAt));
  expect(event.dtend).toBe(iso(request.endsAt));
  expect(event.dtstamp).toBe('2000-01-01T00:00:00Z');
  expect(event.all_day).toBe(false);
  expect(event.alarms).toEqual(cancelled ? [] : [-alarmSeconds]);
  expect(event.categories.slice(0, 2)).toEqual(['Maintenance', request.environment]);
  expect(event.transp).toBeNull();
  const description = event.description ?? '';
  for (const part of [
    `Environment: ${request.environment}`,
    `Impact: ${request.impact}`,
    `What users will notice: ${oneLine(request.impact_description)}`,
    `Rollback plan: ${oneLine(request.rollback).slice(0, 60)}`,
    oneLine(request.description.split('\n')[0]!).slice(0, 40),
  ]) {
    expect(description).toContain(part);
  }
  const known = links(request.id);
  if (known.pr?.startsWith('https:')) expect(description).toContain(`Pull request: ${known.pr}`);
  if (known.issue) expect(description).toContain(`Result issue: ${known.issue}`);
  if (request.series) {
    // Where the clocks change too: such occurrences are written as exceptions (see 'clock changes').
    expect(event.occurrences).toEqual(scheduleOccurrences(request));
    const excluded = request.series.exdates.map((text) => {
      const parsed = parseDateTime(text);
      if ('kind' in parsed) throw new Error(text);
      const resolution = resolveLocal(parsed.local, request.zone);
      return iso(resolution.kind === 'ambiguous' ? resolution.instants[0] : resolution.instant);
    });
    expect(event.exdate).toEqual(excluded);
  } else {
    expect(event.rrule).toBeNull();
    expect(event.occurrences).toBeNull();
  }
}

function checkFreezeEvent(event: ParsedEvent, period: BlackoutPeriod, zone: string) {
  expect(event.summary).toBe(`Change freeze: ${period.name}`);
  expect(event.categories).toEqual(['Freeze']);
  expect(event.transp).toBe('TRANSPARENT');
  expect(event.status).toBe('CONFIRMED');
  if (period.reason) expect(event.description).toContain(period.reason);
  if (event.all_day) {
    expect(event.dtstart).toBe(dateIn(period.start, zone));
    expect(event.dtend).toBe(dateIn(period.end, zone));
  } else {
    expect(event.dtstart).toBe(iso(period.start));
    expect(event.dtend).toBe(iso(period.end));
  }
}

const ALLOWED_PROPERTIES = new Set([
  'UID',
  'SEQUENCE',
  'DTSTAMP',
  'DTSTART',
  'DTEND',
  'DURATION',
  'RRULE',
  'EXDATE',
  'SUMMARY',
  'DESCRIPTION',
  'CATEGORIES',
  'URL',
  'STATUS',
  'TRANSP',
  'X-MICROSOFT-CDO-ALLDAYEVENT',
  'X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT',
  'X-MICROSOFT-CDO-BUSYSTATUS',
]);

describe.each(['fixtures', 'examples'] as const)('the %s feeds, read back', (setName) => {
  it.each(['ical.js', 'python3-icalendar'] as const)('by %s hold exactly what the inputs say', (parser) => {
    const { input, feeds } = sets[setName];
    const parsedFeeds = parser === 'ical.js' ? sets[setName].icaljs : sets[setName].python;
    expect([...parsedFeeds.keys()]).toEqual([...feeds.keys()]);
    for (const [path, parsed] of parsedFeeds) {
      const expected = expectedContent(input, path);
      const alarm = parseIsoDuration(input.policy.calendar.alarm!)! / 1000;
      expect(parsed.errors, path).toEqual([]);
      expect(parsed.calendar.METHOD, path).toBe('PUBLISH');
      expect(parsed.calendar['X-WR-TIMEZONE'], path).toBe(input.policy.timezone);
      expect(parsed.calendar['REFRESH-INTERVAL'], path).toBe(setName === 'fixtures' ? 'PT3H' : 'PT1H');
      expect(parsed.calendar['X-PUBLISHED-TTL'], path).toBe(parsed.calendar['REFRESH-INTERVAL']);
      expect(parsed.calendar.NAME, path).toBe(parsed.calendar['X-WR-CALNAME']);
      expect(parsed.calendar.NAME!.startsWith(input.policy.calendar.name), path).toBe(true);

      const byUid = new Map(parsed.events.map((event) => [event.uid, event]));
      expect(byUid.size, `${path}: UIDs are unique`).toBe(parsed.events.length);
      expect(parsed.events.length, path).toBe(expected.requests.length + expected.periods.length);
      for (const request of expected.requests) {
        const event = byUid.get(`${request.id}@acme.platform.maint`);
        expect(event, `${path}: ${request.id}`).toBeDefined();
        checkMaintenanceEvent(event!, request, input.sequences.get(request.id) ?? 0, alarm);
      }
      const freezes = parsed.events.filter((event) => event.uid.startsWith('freeze-'));
      expect(freezes.length, path).toBe(expected.periods.length);
      freezes.forEach((event, i) => checkFreezeEvent(event, expected.periods[i]!, input.policy.timezone));
      for (const event of parsed.events) {
        for (const property of event.properties) {
          expect(ALLOWED_PROPERTIES.has(property), `${path}: ${event.uid} has ${property}`).toBe(true);
        }
      }
    }
  });

  it('the same from both parsers, field by field', () => {
    const { icaljs, python } = sets[setName];
    for (const [path, parsed] of icaljs) {
      const seenByPython: ParsedFeed = {
        ...parsed,
        events: parsed.events.map((event) => ({
          ...event,
          summary: asPythonIcalendarReads(event.summary),
          description: event.description === null ? null : asPythonIcalendarReads(event.description),
        })),
      };
      expect(python.get(path), path).toEqual(seenByPython);
    }
  });
});

describe('times and zones, as the parsers read them', () => {
  const event = (uid: string, parser: 'icaljs' | 'python' = 'icaljs') =>
    sets.fixtures[parser].get('maintenance.ics')!.events.find((e) => e.uid === `${uid}@acme.platform.maint`)!;

  it.each(['icaljs', 'python'] as const)(
    '%s: an event across the switch to summer time keeps its zone',
    (p) => {
      // 01:00 CET to 05:00 CEST on 2027-03-28 in Berlin: three hours.
      expect(event('ledger-host-move', p)).toMatchObject({
        tzid: 'Europe/Berlin',
        dtstart: '2027-03-28T00:00:00Z',
        dtend: '2027-03-28T03:00:00Z',
      });
    },
  );

  it.each(['icaljs', 'python'] as const)('%s: a weekly series keeps 03:00 local across the change', (p) => {
    expect(event('weekly-cache-flush', p)).toMatchObject({
      tzid: 'Europe/Berlin',
      // UNTIL=20270412 includes that whole day in Berlin.
      rrule: { FREQ: ['WEEKLY'], BYDAY: ['SU'], UNTIL: ['2027-04-12T21:59:59Z'] },
      exdate: ['2027-03-21T02:00:00Z'],
      occurrences: [
        '2027-03-14T02:00:00Z',
        '2027-03-28T01:00:00Z',
        '2027-04-04T01:00:00Z',
        '2027-04-11T01:00:00Z',
      ],
    });
  });

  it.each(['icaljs', 'python'] as const)('%s: a series at a whole-hour offset stays on local days', (p) => {
    // Sundays 02:00 at UTC+3 are Saturdays 23:00 UTC: written in Etc/GMT-3, not in UTC.
    expect(event('gulf-weekly-rotation', p)).toMatchObject({
      tzid: 'Etc/GMT-3',
      occurrences: [
        '2027-01-16T23:00:00Z',
        '2027-01-23T23:00:00Z',
        '2027-01-30T23:00:00Z',
        '2027-02-06T23:00:00Z',
      ],
    });
  });

  it.each(['icaljs', 'python'] as const)('%s: an end in the repeated hour of a fall-back is exact', (p) => {
    // 00:30 EDT + 2 h ends at the second 01:30 (EST), which a TZID time cannot name: UTC is written.
    expect(event('fall-back-backup', p)).toMatchObject({
      tzid: null,
      dtstart: '2027-11-07T04:30:00Z',
      dtend: '2027-11-07T06:30:00Z',
    });
  });

  it.each(['icaljs', 'python'] as const)('%s: a fixed offset without a zone is written in UTC', (p) => {
    expect(event('kolkata-offset-check', p)).toMatchObject({ tzid: null, dtstart: '2027-02-10T03:30:00Z' });
  });

  it.each(['icaljs', 'python'] as const)('%s: escaped text comes back as written', (p) => {
    const international = event('international-release', p);
    expect(international.summary).toBe(
      '[PRODUCTION] Maintenance: Mise à jour 🚀 データベース更新 تحديث قاعدة البيانات, phase 1; part \\ two',
    );
    expect(international.description).toContain('First line, with a comma; and a semicolon.\n日本語');
    expect(international.description).toContain('🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀\nالنص العربي');
    // python3-icalendar 4.0.3 reads a backslash followed by n as a line break (see asPythonIcalendarReads).
    expect(international.description).toContain(
      p === 'icaljs'
        ? 'A backslash \\ and a literal \\n stay as written.'
        : 'A backslash \\ and a literal \n stay',
    );
    expect(international.description).toContain(
      'Runbook, section 3; rollback: https://wiki.example.com/runbooks/search?section=3,4;rollback',
    );
    const header = sets.fixtures[p].get('maintenance.ics')!.calendar;
    expect(header.NAME).toBe('Platform, Ops; maintenance');
    expect(header['X-WR-CALDESC']).toBe(
      'Planned work, freezes; and rollbacks.\nSecond line \\ with a backslash',
    );
  });

  it.each(['icaljs', 'python'] as const)(
    '%s: a timed freeze keeps its hours, whole-day ones are dates',
    (p) => {
      const freezes = sets.fixtures[p].get('freezes.ics')!.events;
      expect(freezes.find((e) => e.summary === 'Change freeze: Spring launch')).toMatchObject({
        all_day: false,
        tzid: 'Europe/Berlin',
        dtstart: '2027-04-12T16:00:00Z',
        dtend: '2027-04-13T04:00:00Z',
      });
      expect(freezes.find((e) => e.summary === 'Change freeze: Year-end freeze')).toMatchObject({
        all_day: true,
        dtstart: '2026-12-20',
        dtend: '2027-01-06',
      });
    },
  );
});

describe('clock changes inside a series: every reader agrees with the schedule', () => {
  const foldSeries = () => {
    const text = readFileSync(`${FIXTURES}/requests/sunday-night-sync.yaml`, 'utf8')
      .replace('start: 2027-03-14T02:30', 'start: 2027-10-24T02:30')
      .replace('COUNT=4', 'COUNT=2');
    return parseRequest({ path: 'sunday-night-sync.yaml', text }).request!;
  };

  it('a Sunday 02:30 in Berlin on the night clocks skip 02:00-03:00: RFC 5545 says 03:30 CEST', () => {
    const request = fixtureInput().requests.find((r) => r.id === 'sunday-night-sync')!;
    expect(scheduleOccurrences(request)[2]).toBe('2027-03-28T01:30:00Z');
    const readers = ['icaljs', 'python'] as const;
    const read = readers.map((p) =>
      sets.fixtures[p].get('maintenance.ics')!.events.find((e) => e.uid.startsWith('sunday-night-sync@'))!,
    );
    // ical.js and dateutil would read the missing 02:30 as 01:30 CET: the feed writes that
    // occurrence as an exception with its UTC times, so both read the schedule's instant.
    expect(read.map((event) => [event.occurrences![2], event.exceptions])).toEqual([
      ['2027-03-28T01:30:00Z', 1],
      ['2027-03-28T01:30:00Z', 1],
    ]);
    for (const event of read) {
      expect(event.description).toContain(
        'Clock change: 02:30 does not exist on Sunday 28 March 2027 (clocks jump from 02:00 to 03:00); it starts Sunday 28 March 2027, 03:30 CEST (01:30 UTC).',
      );
    }
  });

  it('a Sunday 02:30 in Berlin on the night clocks go back: RFC 5545 says the first, 02:30 CEST', () => {
    const request = foldSeries();
    expect(scheduleOccurrences(request)).toEqual(['2027-10-24T00:30:00Z', '2027-10-31T00:30:00Z']);
    const feeds = buildFeeds({ ...fixtureInput(Date.parse('2027-10-01T00:00:00Z')), requests: [request] });
    const only = new Map([['sync', feeds.get('service/sync.ics')!]]);
    const icaljs = parseWithIcalJs(only.get('sync')!).events[0]!;
    const python = parseWithPython(only).get('sync')!.events[0]!;
    // ical.js alone would take the second reading, 02:30 CET; the exception says which.
    expect(python.occurrences).toEqual(['2027-10-24T00:30:00Z', '2027-10-31T00:30:00Z']);
    expect(icaljs.occurrences).toEqual(['2027-10-24T00:30:00Z', '2027-10-31T00:30:00Z']);
    expect(icaljs.description).toContain(
      'Clock change: 02:30 happens twice on Sunday 31 October 2027; it starts at the first, Sunday 31 October 2027, 02:30 CEST (00:30 UTC).',
    );
  });
});
