// Every name of the tz database, zone or link, validates and is published under the name used,
// with a VTIMEZONE both readers accept: a weekly series over 2027 in each zone, read back by ical.js
// (with the feed's VTIMEZONE) and python3-icalendar (dateutil on the system's tz database), lands on
// the instants the schedule computes. Offsets come from the runtime's own zone data (Intl), which can
// lag behind the tz database: where it does (the reference, zoneinfo on the system's tz database,
// disagrees with the engine), the zone is named in a warning and only the readers are checked.
import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceEvent } from '../../src/calendar/maintenance-event.ts';
import { renderCalendar } from '../../src/calendar/render.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { seriesOccurrences } from '../../src/schedule/recurrence.ts';
import { LINKS } from '../../src/schedule/tz-names.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { tzdataNames } from '../../src/schedule/zone-names.ts';
import { requestFile } from '../helpers/requests.ts';
import { parseWithIcalJs, parseWithPython, type ParsedFeed } from './parsers.ts';
import { referenceOccurrences } from './reference.ts';

const WINDOW = { start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2028-02-01T00:00:00Z') };
const NAMES = tzdataNames();
/** UTC and its aliases are written in UTC, with no TZID. */
const UNIVERSAL = /^(Etc\/)?(UTC|UCT|GMT|GMT[+-]?0|Zulu|Universal|Greenwich)$/;

const idOf = (index: number) => `zone-${index}`;
const requests: MaintenanceRequest[] = [];
const findings = new Map<string, ReturnType<typeof requestFile>['findings']>();
let feeds: { icaljs: ParsedFeed; python: ParsedFeed };
let reference: Map<string, [string, string][]>;
/** Zones whose offsets this runtime's Intl has other than the system's tz database. */
const stale = new Set<string>();
const spansOf = (request: MaintenanceRequest) =>
  seriesOccurrences(request, WINDOW.start, WINDOW.end).map((o) => [isoUtc(o.start), isoUtc(o.end)]);

beforeAll(() => {
  NAMES.forEach((name, index) => {
    const parsed = requestFile(idOf(index), {
      timezone: name,
      start: '2027-01-03T10:00',
      recurrence: 'FREQ=WEEKLY;COUNT=57',
    });
    findings.set(name, parsed.findings);
    if (parsed.request) requests.push(parsed.request);
  });
  const events = requests.map((request) =>
    maintenanceEvent(request, { domain: 'zones', window: WINDOW, sequence: 0, links: {} }),
  );
  const text = renderCalendar(
    { name: 'zones', description: '', timezone: 'UTC', refreshSeconds: 3600 },
    events,
  );
  feeds = {
    icaljs: parseWithIcalJs(text),
    python: parseWithPython(new Map([['zones', text]])).get('zones')!,
  };
  reference = referenceOccurrences(
    requests.map((request) => ({
      id: request.id,
      zone: request.zone,
      start_local: '2027-01-03T10:00:00',
      start_offset_minutes: null,
      duration_seconds: 3600,
      rrule: 'FREQ=WEEKLY;COUNT=57',
      exdates: [],
      from: isoUtc(WINDOW.start),
      to: isoUtc(WINDOW.end),
    })),
  );
  for (const request of requests)
    if (JSON.stringify(spansOf(request)) !== JSON.stringify(reference.get(request.id)))
      stale.add(request.zone);
  if (stale.size > 0)
    console.warn(
      `This Node.js's zone data (tz ${process.versions.tz}) is behind the system's tz database for ${[...stale].join(', ')}: maint computes their times from the runtime's data`,
    );
});

describe(`all ${NAMES.length} names of the tz database`, () => {
  it('validate: a zone without a finding, a link with one warning naming its zone', () => {
    for (const name of NAMES) {
      const current = LINKS[name];
      if (current === undefined || name === 'UTC') expect(findings.get(name), name).toEqual([]);
      else
        expect(findings.get(name), name).toMatchObject([
          { severity: 'warning', message: expect.stringContaining(`write \`${current}\``) },
        ]);
    }
    expect(requests).toHaveLength(NAMES.length);
  });

  it.each(['icaljs', 'python'] as const)(
    'are published under the name used, and %s reads every occurrence where the schedule has it',
    (reader) => {
      const parsed = feeds[reader];
      expect(parsed.errors).toEqual([]);
      const byUid = new Map(parsed.events.map((event) => [event.uid, event]));
      const wrong: string[] = [];
      requests.forEach((request) => {
        const name = request.zone;
        const event = byUid.get(`${request.id}@zones`)!;
        expect(event.tzid, name).toBe(UNIVERSAL.test(name) ? null : name);
        if (!UNIVERSAL.test(name)) expect(parsed.timezones, name).toContain(name);
        // Where the runtime is behind, the feed still says the local times, and python3-icalendar
        // (on the current tz database) must read them as the reference does.
        const expected = stale.has(name) ? reference.get(request.id) : spansOf(request);
        if (stale.has(name) && reader === 'icaljs') return;
        if (JSON.stringify(event.spans) !== JSON.stringify(expected)) wrong.push(name);
      });
      expect(wrong).toEqual([]);
    },
  );
});
