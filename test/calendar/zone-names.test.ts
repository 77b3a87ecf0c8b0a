// Every name of the tz database, zone or link, validates and is published under the name used,
// with a VTIMEZONE both readers accept: a weekly series over 2027 in each zone, read back by ical.js
// (with the feed's VTIMEZONE) and python3-icalendar (dateutil on the system's tz database), lands on
// the instants the schedule computes, which are the reference's (zoneinfo and dateutil on the
// system's tz database). Offsets come from maint's own tzdata tables, whatever the runtime's Intl
// has. Only when the system's tzdata is another release than the one embedded are the zones that
// release changed left to a warning (run `npm run tz-names`).
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTables } from '../../scripts/tz-tables.ts';
import { readTzdataZi } from '../../scripts/tzdata-zi.ts';
import { maintenanceEvent } from '../../src/calendar/maintenance-event.ts';
import { renderCalendar } from '../../src/calendar/render.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { seriesOccurrences } from '../../src/schedule/recurrence.ts';
import { LINKS } from '../../src/schedule/tz-names.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { tzdataNames } from '../../src/schedule/zone-names.ts';
import { TABLES, TZDATA_VERSION, ZONE_TABLES } from '../../src/schedule/tz-tables.ts';
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
/** Names whose offsets the system's tzdata, another release than maint's, has otherwise. */
const moved = new Set<string>();
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
  const zoneinfo = '/usr/share/zoneinfo';
  const system = existsSync(`${zoneinfo}/tzdata.zi`)
    ? readTzdataZi(readFileSync(`${zoneinfo}/tzdata.zi`, 'utf8'))
    : undefined;
  if (system && system.version !== TZDATA_VERSION) {
    const tables = compileTables(zoneinfo, system);
    for (const name of NAMES) {
      const zone = LINKS[name] ?? name;
      if (TABLES[ZONE_TABLES[zone]!] !== tables.tables[tables.zoneTables[system.links[name] ?? name] ?? -1])
        moved.add(name);
    }
    console.warn(
      `The system has tzdata ${system.version}, maint embeds ${TZDATA_VERSION}; not compared with the system's: ${[...moved].join(', ')}. Run \`npm run tz-names\`.`,
    );
  }
}, 120_000);

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

  it('every occurrence is where the reference (zoneinfo and dateutil) has it', () => {
    const wrong = requests
      .filter((request) => !moved.has(request.zone))
      .filter((request) => JSON.stringify(spansOf(request)) !== JSON.stringify(reference.get(request.id)))
      .map((request) => request.zone);
    expect(wrong).toEqual([]);
    expect(requests.length - moved.size).toBeGreaterThan(590);
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
        // python3-icalendar reads the system's tzdata, ical.js the feed's VTIMEZONE (maint's).
        if (reader === 'python' && moved.has(name)) return;
        if (JSON.stringify(event.spans) !== JSON.stringify(spansOf(request))) wrong.push(name);
      });
      expect(wrong).toEqual([]);
    },
  );
});
