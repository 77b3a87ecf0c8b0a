import { describe, expect, it } from 'vitest';
import type { WindowSpec } from '../../src/model/types.ts';
import { WindowCalendar, windowOccurrences } from '../../src/schedule/windows.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const window = (w: Partial<WindowSpec>): WindowSpec => ({
  name: 'w',
  days: [7],
  startMinute: 120,
  endMinute: 360,
  zone: 'UTC',
  ...w,
});

describe('window occurrences', () => {
  it('a weekly UTC window, every Sunday', () => {
    const found = windowOccurrences([window({})], at('2027-01-01T00:00:00Z'), at('2027-01-20T00:00:00Z'));
    expect(found.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ['2027-01-03T02:00:00Z', '2027-01-03T06:00:00Z'],
      ['2027-01-10T02:00:00Z', '2027-01-10T06:00:00Z'],
      ['2027-01-17T02:00:00Z', '2027-01-17T06:00:00Z'],
    ]);
  });

  it('a window crossing midnight ends the next day', () => {
    const w = window({ days: [5], startMinute: 22 * 60, endMinute: 2 * 60 });
    const [first] = windowOccurrences([w], at('2027-01-15T00:00:00Z'), at('2027-01-16T12:00:00Z'));
    expect([iso(first!.start), iso(first!.end)]).toEqual(['2027-01-15T22:00:00Z', '2027-01-16T02:00:00Z']);
  });

  it('keeps local time across DST in its zone', () => {
    const w = window({ days: [7], startMinute: 120, endMinute: 240, zone: 'Europe/Berlin' });
    const found = windowOccurrences([w], at('2027-03-20T00:00:00Z'), at('2027-04-05T00:00:00Z'));
    // 21 March: CET (UTC+1); 28 March 02:00 does not exist, the window opens at 03:00 CEST; 4 April: CEST.
    expect(found.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ['2027-03-21T01:00:00Z', '2027-03-21T03:00:00Z'],
      ['2027-03-28T01:00:00Z', '2027-03-28T02:00:00Z'],
      ['2027-04-04T00:00:00Z', '2027-04-04T02:00:00Z'],
    ]);
  });

  it('merges windows that touch into one occurrence (work may run from one into the next)', () => {
    const friday = window({ name: 'Friday extended', days: [5], startMinute: 18 * 60, endMinute: 22 * 60 });
    const daily = window({
      name: 'Daily',
      days: [1, 2, 3, 4, 5, 6, 7],
      startMinute: 22 * 60,
      endMinute: 23 * 60,
    });
    const found = windowOccurrences([friday, daily], at('2027-01-15T12:00:00Z'), at('2027-01-16T00:00:00Z'));
    expect(found).toEqual([
      {
        start: at('2027-01-15T18:00:00Z'),
        end: at('2027-01-15T23:00:00Z'),
        names: ['Friday extended', 'Daily'],
      },
    ]);
  });

  it('finds the occurrence containing an interval, or the one it starts in', () => {
    const calendar = new WindowCalendar([window({})]);
    const inside = { start: at('2027-01-17T03:00:00Z'), end: at('2027-01-17T05:00:00Z') };
    const overrun = { start: at('2027-01-17T05:00:00Z'), end: at('2027-01-17T07:00:00Z') };
    const outside = { start: at('2027-01-18T03:00:00Z'), end: at('2027-01-18T04:00:00Z') };
    expect(calendar.containing(inside)?.end).toBe(at('2027-01-17T06:00:00Z'));
    expect(calendar.containing(overrun)).toBeUndefined();
    expect(calendar.startingIn(overrun)?.end).toBe(at('2027-01-17T06:00:00Z'));
    expect(calendar.containing(outside)).toBeUndefined();
    expect(calendar.startingIn(outside)).toBeUndefined();
  });

  it('answers as a direct search does, across month boundaries, DST and windows chained over days', () => {
    const windows = [
      window({
        name: 'Weeknights',
        days: [1, 2, 3, 4],
        startMinute: 22 * 60,
        endMinute: 5 * 60,
        zone: 'Europe/Berlin',
      }),
      window({ name: 'Weekend', days: [5], startMinute: 22 * 60, endMinute: 22 * 60, zone: 'Europe/Berlin' }),
      window({
        name: 'Saturday',
        days: [6],
        startMinute: 22 * 60,
        endMinute: 23 * 60 + 59,
        zone: 'Europe/Berlin',
      }),
    ];
    const calendar = new WindowCalendar(windows);
    let seed = 3;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = at('2027-01-01T00:00:00Z');
    const mismatches: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const start = from + Math.floor(next() * 400 * 24) * 15 * 60_000 * 4;
      const interval = { start, end: start + Math.ceil(next() * 96) * 15 * 60_000 };
      const near = windowOccurrences(windows, start - 4 * 86_400_000, interval.end + 4 * 86_400_000);
      const expectedContaining = near.find((o) => o.start <= interval.start && o.end >= interval.end);
      const expectedStartingIn = near.find((o) => o.start <= interval.start && o.end > interval.start);
      if (calendar.containing(interval)?.start !== expectedContaining?.start)
        mismatches.push(`containing ${iso(interval.start)}-${iso(interval.end)}`);
      if (calendar.startingIn(interval)?.end !== expectedStartingIn?.end)
        mismatches.push(`startingIn ${iso(interval.start)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
