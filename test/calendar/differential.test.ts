// The differential test of issue 10: generated requests (single and recurring; weekly, monthly by
// weekday, daily with COUNT; UNTIL in UTC, local and date-only forms; exdates; `end` instead of
// `duration`; explicit offsets) in zones of both hemispheres whose clocks change (30-minute changes
// and midnight changes included), over a 13-month horizon. Every occurrence's UTC start and end must
// be the same from four sides:
// - the engine (src/schedule/recurrence.ts: rrule.js, offsets from maint's tzdata tables);
// - the reference, Python's zoneinfo and dateutil working from the request's own fields
//   (test/fixtures/calendar/reference_occurrences.py);
// - ical.js expanding the published maintenance.ics with its VTIMEZONEs;
// - python3-icalendar reading DTSTART/DTEND/DURATION of the same file, expanded with dateutil.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { occurrencesBetween } from '../../src/schedule/recurrence.ts';
import {
  DAY,
  MINUTE,
  formatLocal,
  isoUtc,
  localFromWallClock,
  offsetAt,
  parseDateTime,
  resolveLocal,
  wallClockMillis,
} from '../../src/schedule/time.ts';
import { prng } from '../helpers/prng.ts';
import { requestFile } from '../helpers/requests.ts';
import { parseWithIcalJs, parseWithPython, type ParsedEvent } from './parsers.ts';
import { referenceOccurrences, type ReferenceRequest } from './reference.ts';

const NOW = Date.parse('2027-01-04T00:00:00Z');
const HORIZON = { start: NOW, end: Date.parse('2028-02-04T00:00:00Z') }; // 13 months
const COUNT = 180;

/** Zones and the Sundays of 2027 their clocks change, with the local times around each change. */
const ZONES: { zone: string; changes: string[]; clocks: string[]; south: boolean }[] = [
  {
    zone: 'Europe/Berlin',
    changes: ['2027-03-28', '2027-10-31'],
    clocks: ['01:30', '02:00', '02:30', '03:00'],
    south: false,
  },
  {
    zone: 'America/New_York',
    changes: ['2027-03-14', '2027-11-07'],
    clocks: ['00:30', '01:00', '01:30', '02:30'],
    south: false,
  },
  {
    zone: 'Australia/Sydney',
    changes: ['2027-04-04', '2027-10-03'],
    clocks: ['01:30', '02:00', '02:30', '03:00'],
    south: true,
  },
  {
    zone: 'America/Santiago',
    changes: ['2027-04-04', '2027-09-05'],
    clocks: ['23:00', '23:30', '00:00', '00:30'],
    south: true,
  },
  {
    zone: 'Pacific/Chatham',
    changes: ['2027-04-04', '2027-09-26'],
    clocks: ['02:45', '03:15', '03:45', '04:00'],
    south: true,
  },
  {
    zone: 'Australia/Lord_Howe',
    changes: ['2027-04-04', '2027-10-03'],
    clocks: ['01:45', '02:00', '02:15', '01:30'],
    south: true,
  },
  {
    zone: 'Asia/Kolkata',
    changes: ['2027-03-28', '2027-10-31'],
    clocks: ['02:30', '10:00', '23:30'],
    south: false,
  },
];
/** Offsets written without a zone, in minutes east of UTC. */
const FIXED = [330, -180, 60, 345];

const CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (wall: number) => {
  const l = localFromWallClock(wall);
  return `${l.year}${pad(l.month)}${pad(l.day)}T${pad(l.hour)}${pad(l.minute)}00`;
};
const offsetText = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;

interface Generated {
  id: string;
  features: string[];
  fields: Record<string, string | undefined>;
  reference: ReferenceRequest;
}

/** One request, from the PRNG: a start near a clock change, then a rule, an end and extras. */
function generate(index: number, random: () => number): Generated {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const id = `gen-${index}`;
  const features: string[] = [];
  const fixed = index % 9 === 8 ? pick(FIXED) : undefined;
  const spec = pick(ZONES);
  const zone = fixed === undefined ? spec.zone : undefined;
  const zoneForMath =
    zone ??
    `UTC${offsetText(fixed!)
      .replace(/^([+-])0?(\d+):00$/, '$1$2')
      .replace(/^([+-])0?(\d+):(\d\d)$/, '$1$2:$3')}`;

  // A start 0-3 weeks before one of the zone's changes (or the change's day itself).
  const anchor = Date.parse(`${pick(spec.changes)}T00:00:00Z`) - Math.floor(random() * 4) * 7 * DAY;
  let clock = pick(fixed === undefined ? spec.clocks : ['02:30', '23:30', '10:00']);
  let wall = anchor + (Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3))) * MINUTE;
  if (zone && resolveLocal(localFromWallClock(wall), zone).kind === 'gap') {
    wall += 60 * MINUTE; // `start` itself must exist; its later occurrences may still fall in gaps.
    clock = formatLocal(localFromWallClock(wall)).slice(11);
  }
  const startLocal = formatLocal(localFromWallClock(wall));
  const reading = zone ? resolveLocal(localFromWallClock(wall), zone) : undefined;
  let startOffset: number | null = fixed ?? null;
  if (reading?.kind === 'ambiguous') {
    startOffset = reading.offsets[random() < 0.5 ? 0 : 1];
    features.push(startOffset === reading.offsets[1] ? 'offset-second-reading' : 'offset-first-reading');
  } else if (zone && random() < 0.15) {
    startOffset = offsetAt(reading!.kind === 'exact' ? reading!.instant : wall, zone);
    features.push('explicit-offset');
  }
  if (fixed !== undefined) features.push('fixed-offset');
  const startText = startOffset === null ? startLocal : `${startLocal}${offsetText(startOffset)}`;
  const startInstant =
    wallClockMillis(localFromWallClock(wall)) -
    (startOffset ??
      offsetAt(
        reading!.kind === 'exact' || reading!.kind === 'gap' ? reading!.instant : reading!.instants[0],
        zoneForMath,
      )) *
      MINUTE;

  const durationMinutes = pick([30, 45, 60, 90, 120, 210, 480]);
  // Without `timezone` (the helper's default is UTC) the offset alone decides.
  const fields: Record<string, string | undefined> = { start: `"${startText}"`, timezone: zone };
  if (random() < 0.2) {
    // `end` instead of `duration`: the local time it ends, with its offset when that is ambiguous.
    const end = startInstant + durationMinutes * MINUTE;
    const endZone = zone ?? zoneForMath;
    const endWall = end + offsetAt(end, endZone) * MINUTE;
    const endLocal = formatLocal(localFromWallClock(endWall));
    const ambiguous = zone && resolveLocal(localFromWallClock(endWall), zone).kind === 'ambiguous';
    fields.end = `"${endLocal}${ambiguous || fixed !== undefined ? offsetText(offsetAt(end, endZone)) : ''}"`;
    fields.duration = undefined;
    features.push('end');
  } else {
    fields.duration = `${durationMinutes}m`;
  }

  const kind = index % 6;
  let rrule: string | null = null;
  const day = new Date(wall).getUTCDay();
  const exdates: string[] = [];
  if (kind === 0) {
    features.push('single');
  } else if (kind === 1 || kind === 4) {
    rrule = random() < 0.5 ? 'FREQ=WEEKLY' : `FREQ=WEEKLY;BYDAY=${CODES[day]}`;
    features.push('weekly');
  } else if (kind === 2) {
    const nth = Math.ceil(new Date(wall).getUTCDate() / 7);
    rrule = `FREQ=MONTHLY;BYDAY=${nth >= 5 ? -1 : nth}${CODES[day]}`;
    features.push('monthly-by-weekday');
  } else {
    rrule = `FREQ=DAILY;COUNT=${5 + Math.floor(random() * 30)}`;
    features.push('daily-count');
  }
  if (rrule && !rrule.includes('COUNT')) {
    const form = pick(['none', 'utc', 'local', 'date'] as const);
    const end =
      wall + (4 + Math.floor(random() * 40)) * 7 * DAY + Math.floor(random() * 3 - 1) * 3 * 60 * MINUTE;
    if (form === 'utc') rrule += `;UNTIL=${stamp(end - (startOffset ?? 60) * MINUTE)}Z`;
    if (form === 'local') rrule += `;UNTIL=${stamp(end)}`;
    if (form === 'date') rrule += `;UNTIL=${stamp(end).slice(0, 8)}`;
    if (form !== 'none') features.push(`until-${form}`);
  }
  if (rrule && (kind === 1 || kind === 4 || kind === 3) && random() < 0.5) {
    // The rule's own local starts: `start` plus whole weeks or days of wall-clock time.
    const step = kind === 3 ? DAY : 7 * DAY;
    for (const k of [1, 3]) exdates.push(formatLocal(localFromWallClock(wall + k * step)));
    fields.exdates = JSON.stringify(exdates);
    features.push('exdates');
  }
  if (rrule) fields.recurrence = rrule;

  const durationSeconds = durationMinutes * 60;
  return {
    id,
    features,
    fields,
    reference: {
      id,
      zone: zone ?? null,
      ...(fixed !== undefined ? { zone_offset_minutes: fixed } : {}),
      start_local: `${startLocal}:00`,
      start_offset_minutes: startOffset,
      duration_seconds: durationSeconds,
      rrule,
      exdates,
      from: isoUtc(HORIZON.start),
      to: isoUtc(HORIZON.end),
    },
  };
}

const generated: Generated[] = [];
const requests: MaintenanceRequest[] = [];
let reference: Map<string, [string, string][]>;
let readers: Record<'ical.js' | 'python3-icalendar', Map<string, ParsedEvent>>;
let feed: string;

beforeAll(() => {
  const random = prng(10_2027);
  for (let i = 0; i < COUNT; i++) {
    const request = generate(i, random);
    const parsed = requestFile(request.id, request.fields);
    if (!parsed.request || parsed.findings.some((f) => f.severity === 'error'))
      throw new Error(`${request.id} ${JSON.stringify(request.fields)}: ${JSON.stringify(parsed.findings)}`);
    generated.push(request);
    requests.push(parsed.request);
  }
  reference = referenceOccurrences(generated.map((g) => g.reference));
  const policy: Policy = { ...defaultPolicy(), horizonMs: HORIZON.end - NOW };
  feed = buildFeeds({ requests, policy, now: NOW, sequences: new Map() }).get('maintenance.ics')!;
  const byUid = (events: ParsedEvent[]) => new Map(events.map((e) => [e.uid.replace(/@.*$/, ''), e]));
  readers = {
    'ical.js': byUid(parseWithIcalJs(feed).events),
    'python3-icalendar': byUid(parseWithPython(new Map([['feed', feed]])).get('feed')!.events),
  };
});

/** An event's occurrences as a reader has them, within the horizon. */
function readerSpans(event: ParsedEvent): [string, string][] {
  const spans: [string, string][] = event.spans ?? [[event.dtstart, event.dtend!]];
  return spans.filter(([start, end]) => Date.parse(end) > HORIZON.start && Date.parse(start) < HORIZON.end);
}

const engineSpans = (request: MaintenanceRequest): [string, string][] =>
  occurrencesBetween(request, HORIZON.start, HORIZON.end).map((o) => [isoUtc(o.start), isoUtc(o.end)]);

describe(`${COUNT} generated requests across clock changes, 13 months`, () => {
  it('cover what the issue lists, in six zones or more across both hemispheres', () => {
    const features = new Set(generated.flatMap((g) => g.features));
    for (const feature of [
      'single',
      'weekly',
      'monthly-by-weekday',
      'daily-count',
      'until-utc',
      'until-local',
      'until-date',
      'exdates',
      'end',
      'explicit-offset',
      'offset-first-reading',
      'offset-second-reading',
      'fixed-offset',
    ])
      expect(features, feature).toContain(feature);
    const zones = new Set(requests.map((r) => r.zone));
    expect(zones.size).toBeGreaterThanOrEqual(6);
    expect(ZONES.filter((z) => z.south && zones.has(z.zone)).length).toBeGreaterThanOrEqual(2);
    expect(
      ZONES.filter((z) => !z.south && z.changes.length && zones.has(z.zone)).length,
    ).toBeGreaterThanOrEqual(2);
    // The hard cases are there: occurrences in a gap, in a fold, and spanning a change.
    const hard = { gap: 0, fold: 0, spanning: 0 };
    for (const request of requests) {
      for (const o of occurrencesBetween(request, HORIZON.start, HORIZON.end)) {
        const local = localFromWallClock(o.start + offsetAt(o.start, request.zone) * MINUTE);
        const planned = parseDateTime(formatLocal(local));
        if ('kind' in planned) continue;
        if (offsetAt(o.start, request.zone) !== offsetAt(o.end, request.zone)) hard.spanning++;
        if (resolveLocal(local, request.zone).kind === 'ambiguous') hard.fold++;
      }
      const starts = occurrencesBetween(request, HORIZON.start, HORIZON.end).map((o) => o.start);
      const clocks = new Set(
        starts.map((s) => formatLocal(localFromWallClock(s + offsetAt(s, request.zone) * MINUTE)).slice(11)),
      );
      if (request.series && clocks.size > 1) hard.gap++;
    }
    expect(hard.gap).toBeGreaterThan(5);
    expect(hard.fold).toBeGreaterThan(5);
    expect(hard.spanning).toBeGreaterThan(5);
  });

  it('the engine has every occurrence where zoneinfo and dateutil have it', () => {
    const wrong = requests
      .map((request) => ({
        id: request.id,
        engine: engineSpans(request),
        reference: reference.get(request.id),
      }))
      .filter((r) => JSON.stringify(r.engine) !== JSON.stringify(r.reference));
    expect(wrong).toEqual([]);
  });

  it.each(['ical.js', 'python3-icalendar'] as const)(
    '%s reads every occurrence of the published feed where the engine has it',
    (reader) => {
      const wrong = requests
        .map((request) => ({
          id: request.id,
          engine: engineSpans(request),
          read: readerSpans(readers[reader].get(request.id)!),
        }))
        .filter((r) => JSON.stringify(r.engine) !== JSON.stringify(r.read));
      expect(wrong).toEqual([]);
    },
  );

  it('no event ends before it starts, and every series states its exact length (DURATION, no DTEND)', () => {
    for (const [reader, events] of Object.entries(readers)) {
      for (const [id, event] of events) {
        expect(Date.parse(event.dtend!) > Date.parse(event.dtstart), `${reader} ${id}`).toBe(true);
        if (event.rrule) {
          expect(event.properties, id).toContain('DURATION');
          expect(event.properties, id).not.toContain('DTEND');
        }
      }
    }
    expect(feed).toMatch(/^RECURRENCE-ID;TZID=/m);
  });
});
