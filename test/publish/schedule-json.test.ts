// schedule.json: valid by its own JSON Schema (a plain ajv, as a dashboard would use it), and equal to
// what the feeds publish as ical.js reads and expands them: every occurrence of maintenance.ics over
// the document's range, and every event of freezes.ics. Checked over a year of `now`s, on the
// calendar fixtures (zones, offsets, a fall-back night, hostile text) and the repository's examples.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildFeeds, type FeedInput } from '../../src/calendar/feeds.ts';
import {
  buildScheduleDocument,
  isoLocal,
  renderScheduleJson,
  type ScheduleDocument,
} from '../../src/publish/schedule-json.ts';
import { buildSite } from '../../src/publish/site.ts';
import { loadTemplates } from '../../src/notices/template-loader.ts';
import { readRequests } from '../../src/workspace/local.ts';
import { ROOT, exampleInput, fixtureInput, NOW } from '../calendar/fixture-feeds.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const schema = JSON.parse(readFileSync(`${ROOT}/schema/schedule.schema.json`, 'utf8')) as object;
const validateSchedule = ajv.compile(schema);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const utc = (time: ICAL.Time) => new Date(time.toUnixTime() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface FeedOccurrence {
  uid: string;
  recurrence_id: string | null;
  start_utc: string;
  end_utc: string;
  status: string;
  environment: string;
  category: string;
  impact: string;
  type: string;
  /** Wall-clock time in the event's TZID (null when written in UTC). */
  start_wall: string | null;
}

/** The UTC offset (minutes) of a zone at an instant, from the platform's Intl data. */
function intlOffset(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - instant) / 60_000);
}

/**
 * The instant RFC 5545 3.3.5 gives a local time in a zone. ical.js (like dateutil) reads a time in a
 * spring-forward gap with the offset after it and a time in the fall-back fold as its second reading;
 * the RFC says the offset before the gap, and the first reading. This corrects ical.js's answer only
 * there, with Intl's zone data.
 */
function rfc5545Instant(time: ICAL.Time, zone: string): number {
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  const offsets = [intlOffset(wall - 86_400_000, zone), intlOffset(wall + 86_400_000, zone)];
  const readings = [...new Set(offsets)]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => intlOffset(instant, zone) === (wall - instant) / 60_000)
    .sort((a, b) => a - b);
  if (readings.length > 0) return readings[0]!; // exact, or the first of two in a fold
  return wall - offsets[0]! * 60_000; // in a gap: the offset before it
}

/** Every occurrence of maintenance.ics over [from, until), as ical.js expands it. */
function feedOccurrences(ics: string, from: number, until: number): FeedOccurrence[] {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const out: FeedOccurrence[] = [];
  const vevents = calendar.getAllSubcomponents('vevent');
  const exceptionsOf = (uid: unknown) =>
    vevents.filter((v) => v.hasProperty('recurrence-id') && v.getFirstPropertyValue('uid') === uid);
  for (const vevent of vevents) {
    // An exception (RECURRENCE-ID) replaces one occurrence of its series, as calendar apps apply it.
    if (vevent.hasProperty('recurrence-id')) continue;
    const event = new ICAL.Event(vevent, {
      exceptions: exceptionsOf(vevent.getFirstPropertyValue('uid')),
      strictExceptions: true,
    });
    const categories = vevent.getAllProperties('categories').flatMap((p) => p.getValues() as string[]);
    if (categories[0] !== 'Maintenance') continue; // a freeze
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined;
    const base = {
      uid: event.uid,
      status: vevent.getFirstPropertyValue('status') === 'CANCELLED' ? 'cancelled' : 'scheduled',
      environment: categories[1]!,
      category: categories[2]!,
      impact: categories[3]!.replace(/ impact$/, ''),
      type: categories[4]!,
    };
    const wall = (time: ICAL.Time) => (tzid ? time.toString().slice(0, 19) : null);
    if (!event.isRecurring()) {
      out.push({
        ...base,
        recurrence_id: null,
        start_utc: utc(event.startDate),
        end_utc: utc(event.endDate),
        start_wall: wall(event.startDate),
      });
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      const duration = (details.endDate.toUnixTime() - details.startDate.toUnixTime()) * 1000;
      // An exception carries its own (UTC) times; only the series' own local times need reading.
      const replaced = details.item !== event;
      const local = tzid && !replaced;
      const start = local ? rfc5545Instant(details.startDate, tzid) : details.startDate.toUnixTime() * 1000;
      if (start >= until) break;
      if (start + duration <= from) continue;
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      out.push({
        ...base,
        recurrence_id: iso(start),
        start_utc: iso(start),
        end_utc: iso(start + duration),
        // A time in a gap names no wall-clock time of its own: RFC 5545 moves it past the gap.
        start_wall: local && start === details.startDate.toUnixTime() * 1000 ? wall(details.startDate) : null,
      });
    }
  }
  return out.sort((a, b) => byText(a.start_utc, b.start_utc) || byText(a.uid, b.uid));
}

/** freezes.ics as ical.js reads it. */
function feedFreezes(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar
    .getAllSubcomponents('vevent')
    .map((vevent) => {
      const event = new ICAL.Event(vevent);
      const allDay = event.startDate.isDate;
      return {
        uid: event.uid,
        name: event.summary.replace(/^Change freeze: /, ''),
        all_day: allDay,
        start: allDay ? event.startDate.toString() : utc(event.startDate),
        end: allDay ? event.endDate.toString() : utc(event.endDate),
      };
    })
    .sort((a, b) => byText(a.uid, b.uid));
}

function fromDocument(doc: ScheduleDocument): FeedOccurrence[] {
  return doc.occurrences.map((o) => ({
    uid: o.uid,
    recurrence_id: o.recurrence_id,
    start_utc: o.start_utc,
    end_utc: o.end_utc,
    status: o.status,
    environment: o.environment,
    category: o.category,
    impact: o.impact,
    type: o.type,
    start_wall: o.start_local.slice(0, 19),
  }));
}

const MONTH = 30 * 86_400_000;
// A year of `now`s, a month apart, starting before the fixtures' first requests.
const NOWS = Array.from({ length: 13 }, (_, i) => NOW - 3 * MONTH + i * MONTH);

describe.each([
  ['the calendar fixtures', fixtureInput],
  ['the example requests', exampleInput],
] as const)('schedule.json of %s', (_name, inputAt) => {
  it.each(NOWS.map((now) => [new Date(now).toISOString().slice(0, 10), now] as const))(
    'at %s: valid by its schema and equal to the feed expanded by ical.js',
    (_day, now) => {
      const input: FeedInput = inputAt(now);
      const feeds = buildFeeds(input);
      const doc = JSON.parse(renderScheduleJson(input)) as ScheduleDocument;
      expect(validateSchedule(doc), ajv.errorsText(validateSchedule.errors)).toBe(true);
      const from = Date.parse(doc.range.from);
      const until = Date.parse(doc.range.until);
      expect([from, until]).toEqual([
        now - input.policy.calendar.keepAfterEndMs,
        now + input.policy.horizonMs,
      ]);

      const expected = feedOccurrences(feeds.get('maintenance.ics')!, from, until);
      const actual = fromDocument(doc);
      // Wall-clock times are compared only where the feed names a zone (UTC-written events have none).
      expect(actual.map((o, i) => ({ ...o, start_wall: expected[i]?.start_wall ?? null }))).toEqual(expected);
      for (const [i, o] of expected.entries())
        if (o.start_wall !== null) expect(actual[i]!.start_wall, o.uid).toBe(o.start_wall);

      const freezes = feedFreezes(feeds.get('freezes.ics')!);
      expect(
        doc.freezes
          .map((f) => ({
            uid: f.uid,
            name: f.name,
            all_day: f.all_day,
            start: f.all_day ? f.start_date : f.start_utc,
            end: f.all_day ? f.end_date : f.end_utc,
          }))
          .sort((a, b) => byText(a.uid, b.uid)),
      ).toEqual(freezes);
    },
  );
});

describe('schedule.json fields', () => {
  const doc = buildScheduleDocument(fixtureInput());

  it('names the repository, the version, and UIDs the hub can link back from', () => {
    expect(doc).toMatchObject({
      version: 1,
      repository: 'acme/platform',
      generated_at: '2027-01-04T00:00:00Z',
      calendar: { name: 'Platform, Ops; maintenance', timezone: 'Europe/Berlin' },
    });
    for (const o of doc.occurrences) expect(o.uid).toBe(`${o.id}@acme.platform.maint`);
  });

  it('gives start and end in UTC and in the request zone with its offset, across a fall-back night', () => {
    const backup = doc.occurrences.find((o) => o.id === 'fall-back-backup')!;
    expect(backup).toMatchObject({
      timezone: 'America/New_York',
      start_utc: '2027-11-07T04:30:00Z',
      start_local: '2027-11-07T00:30:00-04:00',
      // Two hours later the clocks have gone back: the second 01:30 of the night.
      end_utc: '2027-11-07T06:30:00Z',
      end_local: '2027-11-07T01:30:00-05:00',
    });
    expect(isoLocal(Date.parse('2027-01-24T03:00:00Z'), 'Asia/Kolkata')).toBe('2027-01-24T08:30:00+05:30');
    expect(isoLocal(Date.parse('2027-01-24T03:00:00Z'), 'UTC')).toBe('2027-01-24T03:00:00+00:00');
  });

  it('links the request file, the pull request and the result issue; never a non-http link', () => {
    const release = doc.occurrences.find((o) => o.id === 'international-release')!;
    expect(release.links).toEqual({
      request_file:
        'https://github.com/acme/platform/blob/HEAD/test/fixtures/calendar/requests/international-release.yaml',
      pull_request: 'https://github.com/acme/platform/pull/7',
      result_issue: 'https://github.com/acme/platform/issues/8',
    });
    const hostile = doc.occurrences.find((o) => o.id === 'hostile-title')!;
    expect(hostile.links.pull_request).toBeNull();
    expect(hostile.title).toContain('<script>'); // data, not markup: JSON.stringify is the escaping
  });

  it('keeps cancelled work, marked cancelled, and lists a series once per occurrence', () => {
    expect(doc.occurrences.find((o) => o.id === 'cancelled-failover-test')?.status).toBe('cancelled');
    const weekly = doc.occurrences.filter((o) => o.id === 'weekly-cache-flush');
    expect(weekly.length).toBeGreaterThan(3);
    expect(weekly.every((o) => o.recurrence_id === o.start_utc)).toBe(true);
  });

  it('without a repository: null, and UIDs in the bare maint domain', () => {
    const { repo: _repo, ...rest } = fixtureInput();
    const bare = buildScheduleDocument(rest);
    expect(bare.repository).toBeNull();
    expect(bare.occurrences[0]!.uid).toMatch(/@maint$/);
    expect(bare.occurrences.every((o) => o.links.request_file === null)).toBe(true);
    expect(validateSchedule(bare), ajv.errorsText(validateSchedule.errors)).toBe(true);
  });

  it('the schema rejects a document of another version or with a field missing', () => {
    expect(validateSchedule({ ...doc, version: 2 })).toBe(false);
    const { links: _links, ...withoutLinks } = doc.occurrences[0]!;
    expect(validateSchedule({ ...doc, occurrences: [withoutLinks] })).toBe(false);
  });

  it('is written by the site build beside the feeds and linked from the page, byte-identical on a rebuild', () => {
    const input = {
      files: readRequests(['test/fixtures/calendar/requests'], ROOT),
      policy: fixtureInput().policy,
      now: NOW,
      repo: { owner: 'acme', name: 'platform' },
      sequences: new Map<string, number>(),
      templates: loadTemplates({ root: ROOT }).source,
    };
    const site = buildSite(input);
    const text = site.files.get('schedule.json')!;
    expect(site.files.has('maintenance.ics')).toBe(true);
    expect(site.files.get('index.html')).toContain('<a href="schedule.json">schedule.json</a>');
    expect(validateSchedule(JSON.parse(text))).toBe(true);
    expect(buildSite(input).files.get('schedule.json')).toBe(text);
  });
});
