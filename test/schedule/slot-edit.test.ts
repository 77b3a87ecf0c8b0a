// The edit that moves a request file to a new start: tables of how `start` and `end` are rewritten
// (zones, offsets and their styles, precision, quoting, DST folds and gaps), then generated cases
// whose moved file must parse back to the very instant, with the wall clock and offset Python's
// zoneinfo (reading the system's TZif files, as maint's tz tables follow tzdata) gives for it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/model/request.ts';
import { editedLines, linesOf, moveRequestText, writeLike } from '../../src/schedule/slot-edit.ts';
import { headLinesOfHunks } from '../../src/github/patch.ts';

const REST = [
  'title: Kernel patch',
  'type: standard',
  'category: other',
  'environment: production',
  'services: [api]',
  'impact: low',
  'impact_description: Nothing visible',
  'description: A test',
  'rollback: Revert',
  'requester: alice',
];

/** A request file: the timing lines given, then the rest. */
const file = (...timing: string[]) => [...timing, ...REST, ''].join('\n');

function move(text: string, iso: string) {
  const parsed = parseRequest({ path: 'maintenance/2027/kernel-patch.yaml', text });
  if (!parsed.request) throw new Error(JSON.stringify(parsed.findings));
  const result = moveRequestText(text, parsed.request, Date.parse(iso));
  if ('problem' in result) throw new Error(result.problem);
  return { ...result.edit, before: parsed.request };
}

/** The line of the moved text that holds a field. */
const lineOf = (text: string, field: string) => text.split('\n').find((l) => l.startsWith(`${field}:`));

describe('start (and end) rewritten the way the file writes time', () => {
  it.each([
    [
      'local time read in UTC',
      ['start: 2027-01-18T10:00', 'timezone: UTC', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T02:00',
    ],
    [
      'local time read in Europe/Berlin, winter',
      ['start: 2027-01-18T10:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-01-20T01:00Z',
      'start: 2027-01-20T02:00',
    ],
    [
      'the same zone in summer: the wall clock moves, no offset appears',
      ['start: 2027-01-18T10:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-07-21T00:00Z',
      'start: 2027-07-21T02:00',
    ],
    [
      'an offset and no zone: the same offset',
      ['start: 2027-01-18T10:00+05:30', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T07:30+05:30',
    ],
    [
      "an offset with a zone: the zone's offset at the new time",
      ['start: 2027-01-18T10:00+01:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-07-21T00:00Z',
      'start: 2027-07-21T02:00+02:00',
    ],
    [
      'Z stays Z',
      ['start: 2027-01-18T10:00Z', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T02:00Z',
    ],
    [
      'Z with a zone that has left UTC by then',
      ['start: 2027-01-18T10:00Z', 'timezone: Europe/London', 'duration: 1h'],
      '2027-07-21T01:00Z',
      'start: 2027-07-21T02:00+01:00',
    ],
    [
      'the compact offset style',
      ['start: 2027-01-18T10:00+0100', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-07-21T00:00Z',
      'start: 2027-07-21T02:00+0200',
    ],
    [
      'the hours-only offset style',
      ['start: 2027-01-18T10:00+01', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-07-21T00:00Z',
      'start: 2027-07-21T02:00+02',
    ],
    [
      'hours-only cannot say +10:30 (Lord Howe in winter): written in full',
      ['start: 2027-01-18T10:00+11', 'timezone: Australia/Lord_Howe', 'duration: 1h'],
      '2027-07-20T15:30Z',
      'start: 2027-07-21T02:00+10:30',
    ],
    [
      'negative offsets (New York, winter to summer)',
      ['start: 2027-01-18T10:00-05:00', 'timezone: America/New_York', 'duration: 1h'],
      '2027-07-21T06:00Z',
      'start: 2027-07-21T02:00-04:00',
    ],
    [
      'seconds kept',
      ['start: 2027-01-18T10:00:00', 'timezone: UTC', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T02:00:00',
    ],
    [
      'a fraction kept, as zeros',
      ['start: 2027-01-18T10:00:00.000Z', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T02:00:00.000Z',
    ],
    [
      'a space for the T',
      ['start: 2027-01-18 10:00', 'timezone: UTC', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20 02:00',
    ],
    [
      'double quotes kept',
      ['start: "2027-01-18T10:00"', 'timezone: UTC', 'duration: 1h'],
      '2027-01-20T02:00Z',
      'start: "2027-01-20T02:00"',
    ],
    [
      'single quotes and a comment kept',
      ["start: '2027-01-18T10:00' # agreed with team A", 'timezone: UTC', 'duration: 1h'],
      '2027-01-20T02:00Z',
      "start: '2027-01-20T02:00' # agreed with team A",
    ],
    [
      'fall back, first 02:30 (CEST): the offset says which',
      ['start: 2027-01-18T10:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-10-31T00:30Z',
      'start: 2027-10-31T02:30+02:00',
    ],
    [
      'fall back, second 02:30 (CET)',
      ['start: 2027-01-18T10:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-10-31T01:30Z',
      'start: 2027-10-31T02:30+01:00',
    ],
    [
      'spring forward: 03:30 is the only reading, no offset',
      ['start: 2027-01-18T10:00', 'timezone: Europe/Berlin', 'duration: 1h'],
      '2027-03-28T01:30Z',
      'start: 2027-03-28T03:30',
    ],
  ])('%s', (_name, timing, iso, expected) => {
    const moved = move(file(...timing), iso);
    expect(lineOf(moved.text, 'start')).toBe(expected);
    // Nothing else changed.
    expect(moved.text.split('\n').filter((l) => !l.startsWith('start:'))).toEqual(
      file(...timing)
        .split('\n')
        .filter((l) => !l.startsWith('start:')),
    );
    const back = parseRequest({ path: 'maintenance/2027/kernel-patch.yaml', text: moved.text }).request!;
    expect(back.startsAt).toBe(Date.parse(iso));
    expect(back.durationMs).toBe(moved.before.durationMs);
  });

  it.each([
    [
      'end moves by the same amount, in its own offset style',
      ['start: 2027-01-18T10:00', 'end: "2027-01-18T11:30+01:00"', 'timezone: Europe/Berlin'],
      '2027-07-21T00:00Z',
      'start: 2027-07-21T02:00',
      'end: "2027-07-21T03:30+02:00"',
    ],
    [
      'end written locally with an offset start',
      ['start: 2027-01-18T10:00+05:30', 'end: 2027-01-18T12:00'],
      '2027-01-20T02:00Z',
      'start: 2027-01-20T07:30+05:30',
      'end: 2027-01-20T09:30',
    ],
    [
      'end lands in the fall-back hour: it gets the offset',
      ['start: 2027-01-18T10:00', 'end: 2027-01-18T11:00', 'timezone: Europe/Berlin'],
      '2027-10-31T00:00Z',
      'start: 2027-10-31T02:00+02:00',
      'end: 2027-10-31T02:00+01:00',
    ],
    [
      'an overnight end crosses the date',
      ['start: 2027-01-18T22:00', 'end: 2027-01-19T01:00', 'timezone: UTC'],
      '2027-01-23T23:00Z',
      'start: 2027-01-23T23:00',
      'end: 2027-01-24T02:00',
    ],
  ])('%s', (_name, timing, iso, start, end) => {
    const moved = move(file(...timing), iso);
    expect(lineOf(moved.text, 'start')).toBe(start);
    expect(lineOf(moved.text, 'end')).toBe(end);
    const back = parseRequest({ path: 'maintenance/2027/kernel-patch.yaml', text: moved.text }).request!;
    expect([back.startsAt, back.endsAt - back.startsAt]).toEqual([Date.parse(iso), moved.before.durationMs]);
  });

  it('a block scalar becomes a plain value on its own line; the lines after it stay', () => {
    const text = file('start: >-', '  2027-01-18T10:00', 'timezone: UTC', 'duration: 1h');
    const moved = move(text, '2027-01-20T02:00Z');
    expect(moved.text.split('\n').slice(0, 3)).toEqual([
      'start: 2027-01-20T02:00',
      'timezone: UTC',
      'duration: 1h',
    ]);
  });

  it.each([
    ['an alias', 'when: &w 2027-01-18T10:00\nstart: *w\n', /alias or a tag/],
    ['no start at all', 'title: x\n', /no `start`/],
    ['not a mapping', '- start\n', /one YAML mapping/],
    ['not a date-time', 'start: next monday\n', /not a date-time/],
  ])('%s: a problem, never a half edit', (_name, text, problem) => {
    const result = moveRequestText(text, { zone: 'UTC', startsAt: 0, endsAt: 3_600_000 }, 86_400_000);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});

describe('the lines a suggestion replaces', () => {
  it('gives the edited lines of a span, other lines between them as they are, without line breaks', () => {
    const text = 'a: 1\r\nstart: 2027-01-18T10:00 # c\r\ntimezone: UTC\r\nend: 2027-01-18T11:00\r\nz: 2\r\n';
    const result = moveRequestText(
      text,
      { zone: 'UTC', startsAt: 0, endsAt: 3_600_000 },
      Date.parse('2027-01-20T02:00Z'),
    );
    if ('problem' in result) throw new Error(result.problem);
    const [start, end] = result.edit.edits;
    expect(linesOf(text, start!)).toEqual({ first: 2, last: 2 });
    expect(linesOf(text, end!)).toEqual({ first: 4, last: 4 });
    expect(editedLines(text, result.edit.edits, 2, 4)).toEqual([
      'start: 2027-01-20T02:00 # c',
      'timezone: UTC',
      'end: 2027-01-20T03:00',
    ]);
    expect(editedLines(text, result.edit.edits, 5, 5)).toEqual(['z: 2']);
  });

  it('a value on the last line without a line break', () => {
    const text = 'timezone: UTC\nstart: 2027-01-18T10:00';
    const result = moveRequestText(
      text,
      { zone: 'UTC', startsAt: 0, endsAt: 1 },
      Date.parse('2027-01-20T02:00Z'),
    );
    if ('problem' in result) throw new Error(result.problem);
    expect(linesOf(text, result.edit.edits[0]!)).toEqual({ first: 2, last: 2 });
    expect(editedLines(text, result.edit.edits, 2, 2)).toEqual(['start: 2027-01-20T02:00']);
  });

  it.each([
    ['one hunk of an added file', '@@ -0,0 +1,14 @@\n+a', [{ first: 1, last: 14 }]],
    [
      'two hunks with context',
      '@@ -1,7 +1,7 @@\n a\n-b\n+c\n@@ -20,4 +20,5 @@ key\n x\n+y',
      [
        { first: 1, last: 7 },
        { first: 20, last: 24 },
      ],
    ],
    ['a one-line hunk (count left out)', '@@ -3 +3 @@\n-a\n+b', [{ first: 3, last: 3 }]],
    ['a hunk that only removes shows no head line', '@@ -5,2 +4,0 @@\n-a\n-b', []],
  ])('head lines of the hunks: %s', (_name, patch, ranges) => {
    expect(headLinesOfHunks(patch)).toEqual(ranges);
  });
});

// ---- generated: round trip against Python's zoneinfo ----

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/Dublin',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Africa/Casablanca',
];

const ZONEINFO = '/usr/share/zoneinfo';
const ZONEINFO_TYPES = resolve(import.meta.dirname, '../fixtures/tz/zoneinfo_types.py');
const MINUTE = 60_000;
const STYLES = ['local', 'offset', 'compact', 'quoted-local', 'seconds'] as const;

/**
 * The UTC offset (seconds) Python's zoneinfo gives each zone at each instant, read from the
 * system's TZif files: the same second opinion as the tz tables' own test, since maint follows
 * tzdata, not the runtime's ICU.
 */
function zoneinfoOffsets(instants: Map<string, Set<number>>): (zone: string, instant: number) => number {
  const zones = Object.fromEntries([...instants].map(([zone, set]) => [zone, [...set].map((i) => i / 1000)]));
  const result = spawnSync('/usr/bin/python3', [ZONEINFO_TYPES], {
    input: JSON.stringify({ tzpath: ZONEINFO, zones }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`zoneinfo_types.py failed: ${result.stderr || result.error}`);
  const rows = JSON.parse(result.stdout) as Record<string, [number, string, number][]>;
  const offsets = new Map<string, number>();
  for (const [zone, list] of Object.entries(zones))
    list.forEach((seconds, i) => offsets.set(`${zone} ${seconds * 1000}`, rows[zone]![i]![0]));
  return (zone, instant) => offsets.get(`${zone} ${instant}`)!;
}

/** Wall clock (to the minute) and ±HH:MM offset of an instant at a UTC offset in seconds. */
function localParts(instant: number, offsetSeconds: number) {
  const wall = new Date(instant + offsetSeconds * 1000).toISOString().slice(0, 16);
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds) / 60;
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { wall, offset };
}

describe('generated: the moved file names the new instant, as zoneinfo writes it', () => {
  it("round-trips through the parser, with zoneinfo's wall clock and offset", () => {
    const from = Date.parse('2027-01-01T00:00Z') / MINUTE;
    const to = Date.parse('2031-12-31T00:00Z') / MINUTE;
    const cases = fc.sample(
      fc.tuple(
        fc.constantFrom(...ZONES),
        fc.integer({ min: from, max: to }),
        fc.integer({ min: from, max: to }),
        fc.constantFrom(...STYLES),
        fc.boolean(),
      ),
      { numRuns: 500, seed: 14 },
    );
    // Every instant whose local time a case needs, asked of zoneinfo in one run.
    const wanted = new Map<string, Set<number>>(ZONES.map((z) => [z, new Set<number>()]));
    for (const [zone, original, target] of cases)
      [original, original + 90, target].forEach((m) => wanted.get(zone)!.add(m * MINUTE));
    const offsetOf = zoneinfoOffsets(wanted);
    const local = (instant: number, zone: string) => localParts(instant, offsetOf(zone, instant));

    let moved = 0;
    for (const [zone, originalMinute, targetMinute, style, withEnd] of cases) {
      const original = originalMinute * MINUTE;
      const target = targetMinute * MINUTE;
      const { wall, offset } = local(original, zone);
      const start =
        style === 'offset'
          ? `${wall}${offset}`
          : style === 'compact'
            ? `${wall}${offset.replace(':', '')}`
            : style === 'seconds'
              ? `${wall}:00`
              : wall;
      const endsAt = local(original + 90 * MINUTE, zone);
      const timing = [
        `start: ${style === 'quoted-local' ? `"${start}"` : start}`,
        `timezone: ${zone}`,
        withEnd ? `end: ${endsAt.wall}${endsAt.offset}` : 'duration: 90m',
      ];
      const text = file(...timing);
      const parsed = parseRequest({ path: 'maintenance/2027/x.yaml', text });
      // Local times that happen twice (or never) are refused as written: not a case to move.
      if (parsed.request === undefined) continue;
      moved++;
      const result = moveRequestText(text, parsed.request, target);
      if ('problem' in result) throw new Error(result.problem);
      const back = parseRequest({ path: 'maintenance/2027/x.yaml', text: result.edit.text });
      const label = `${zone} ${style} ${new Date(target).toISOString()}`;
      expect(
        back.findings.filter((f) => f.severity === 'error'),
        label,
      ).toEqual([]);
      expect(back.request!.startsAt, label).toBe(target);
      expect(back.request!.endsAt, label).toBe(target + 90 * MINUTE);
      const written = result.edit.edits.find((e) => e.field === 'start')!.written;
      const expected = local(target, zone);
      expect(written.slice(0, 16).replace(' ', 'T'), label).toBe(expected.wall);
      const writtenOffset = /([+-]\d{2}:?\d{2}|Z)$/.exec(written)?.[1];
      if (writtenOffset !== undefined && writtenOffset !== 'Z')
        expect(
          writtenOffset.length === 5
            ? `${writtenOffset.slice(0, 3)}:${writtenOffset.slice(3)}`
            : writtenOffset,
          label,
        ).toBe(expected.offset);
    }
    // Nearly every case is a time that happens once: the round trip was really exercised.
    expect(moved).toBeGreaterThan(450);
  });

  it('writeLike refuses what is not a date-time', () => {
    expect(writeLike('soon', 0, 'UTC')).toBeUndefined();
  });
});
