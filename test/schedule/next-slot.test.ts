import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { BlackoutCalendar } from '../../src/schedule/blackouts.ts';
import { nextSlot, scheduleIndex, SlotFinder, type SlotQuery } from '../../src/schedule/next-slot.ts';
import { requiredNotice } from '../../src/schedule/rules/notice.ts';
import { NOW, request } from '../helpers/requests.ts';
import { prng } from '../helpers/prng.ts';

const policy = defaultPolicy();
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const HOUR = 3_600_000;
const query = (q: Partial<SlotQuery>): SlotQuery => ({
  environment: 'production',
  services: ['api'],
  durationMs: HOUR,
  impact: 'low',
  ...q,
});
const start = (
  q: Partial<SlotQuery>,
  scheduled = [] as ReturnType<typeof request>[],
  p: Policy = policy,
  now = NOW,
) => {
  const slot = nextSlot(query(q), p, scheduleIndex(scheduled, p, now), now);
  return slot.found ? iso(slot.start) : `none: ${slot.reason}`;
};

describe('next free slot', () => {
  it('the first window after the year-end freeze with a day of notice', () => {
    // Now is Monday 4 January; the freeze covers 5 January; Wednesday 6 January 02:00 is the next window.
    expect(start({})).toBe('2027-01-06T02:00:00Z');
  });

  it('medium impact needs 7 days of notice: the first window from 11 January', () => {
    expect(start({ impact: 'medium' })).toBe('2027-01-13T02:00:00Z');
  });

  it('to the minute, not rounded to the opening: notice ends mid-window', () => {
    // 1 day of notice from Tuesday 12 January 03:17 ends Wednesday 13 January 03:17, inside 02:00-04:00.
    expect(start({ durationMs: 30 * 60_000 }, [], policy, Date.parse('2027-01-12T03:16:20Z'))).toBe(
      '2027-01-13T03:17:00Z',
    );
  });

  it('right after existing work on the same service', () => {
    const busy = request('busy', { start: '2027-01-06T02:00', duration: '1h' });
    expect(start({}, [busy])).toBe('2027-01-06T03:00:00Z');
  });

  it('overlaps freely with other services (a warning, not an error)', () => {
    const other = request('other', { start: '2027-01-06T02:00', duration: '1h', services: '[db]' });
    expect(start({}, [other])).toBe('2027-01-06T02:00:00Z');
  });

  it('respects the concurrency limit of the environment', () => {
    const a = request('a', { start: '2027-01-06T02:00', duration: '2h', services: '[db]', impact: 'medium' });
    const b = request('b', { start: '2027-01-06T02:00', duration: '1h', services: '[cache]' });
    // production allows 2 at once: from 03:00 only one runs.
    expect(start({}, [a, b])).toBe('2027-01-06T03:00:00Z');
  });

  it('skips blackouts: the last business days of the month', () => {
    expect(start({}, [], policy, Date.parse('2027-01-25T12:00:00Z'))).toBe('2027-01-31T02:00:00Z');
  });

  it('a window that is too short is passed over for a longer one', () => {
    // Wednesday's window is 2 h; 3 h of medium work needs Sunday's 4 h window.
    expect(start({ durationMs: 3 * HOUR, impact: 'medium' })).toBe('2027-01-17T02:00:00Z');
  });

  it('any time in an any-time environment', () => {
    expect(start({ environment: 'development' }, [], policy, Date.parse('2027-01-12T10:20:30Z'))).toBe(
      '2027-01-13T10:21:00Z',
    );
  });

  it('refuses work longer than its impact allows', () => {
    expect(start({ durationMs: 2 * HOUR })).toContain('longer than the 1 h allowed for low-impact work');
  });

  it('respects --after', () => {
    expect(start({ after: Date.parse('2027-02-01T00:00:00Z') })).toBe('2027-02-03T02:00:00Z');
  });

  it('an emergency still needs a window for next-slot (it asks for a regular slot) but short notice', () => {
    expect(start({ type: 'emergency' }, [], policy, Date.parse('2027-01-13T01:00:00Z'))).toBe(
      '2027-01-13T03:00:00Z',
    );
  });
});

describe('many searches over one schedule (validation asks one per refused request)', () => {
  const DAY = 86_400_000;
  const MINUTE = 60_000;
  /** The earliest start passing every rule, tried at every edge where the answer can change. */
  function bruteForce(q: SlotQuery, scheduled: ReturnType<typeof request>[], now: number): number {
    const environment = policy.environments[q.environment]!;
    const notice = requiredNotice({ type: 'standard', impact: q.impact }, policy);
    const earliest = Math.ceil(Math.max(q.after ?? now, now + notice) / MINUTE) * MINUTE;
    const windows: { start: number; end: number }[] = [];
    for (let day = Date.parse('2027-01-01T00:00:00Z'); day < Date.parse('2027-06-01T00:00:00Z'); day += DAY) {
      const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
      for (const w of environment.windows) {
        if (w.zone !== 'UTC') throw new Error('the brute force knows UTC windows only');
        if (w.days.includes(weekday as never))
          windows.push({ start: day + w.startMinute * MINUTE, end: day + w.endMinute * MINUTE });
      }
    }
    const blackouts = new BlackoutCalendar(policy);
    const others = scheduled
      .filter((r) => r.id !== q.ignoreId && r.environment === q.environment)
      .map((r) => ({ start: r.startsAt, end: r.endsAt, services: r.services }));
    const candidates = [
      earliest,
      ...windows.map((w) => w.start),
      ...others.map((o) => o.end),
      ...blackouts.between(earliest, earliest + 200 * DAY).map((b) => b.end),
    ]
      .filter((c) => c >= earliest)
      .sort((a, b) => a - b);
    const fits = (start: number) => {
      const end = start + q.durationMs;
      if (!windows.some((w) => w.start <= start && end <= w.end)) return false;
      if (blackouts.overlapping({ start, end }, q.environment).length > 0) return false;
      const overlapping = others.filter((o) => o.start < end && o.end > start);
      if (overlapping.some((o) => o.services.some((s) => q.services.includes(s)))) return false;
      const moments = [start, ...overlapping.map((o) => o.start).filter((t) => t > start)];
      const limit = environment.maxConcurrent ?? Infinity;
      return moments.every((t) => overlapping.filter((o) => o.start <= t && o.end > t).length < limit);
    };
    const found = candidates.find(fits);
    if (found === undefined) throw new Error('no slot');
    return found;
  }

  it('a request being moved does not count against itself, but the others still fill the environment', () => {
    const crowd = ['a', 'b', 'c'].map((s) =>
      request(`r-${s}`, { start: '2027-01-17T02:00', services: `[${s}]` }),
    );
    const finder = new SlotFinder(policy, scheduleIndex(crowd, policy, NOW), NOW);
    const after = Date.parse('2027-01-17T02:00:00Z');
    // Without r-a, r-b and r-c still run two at once until 03:00.
    const moved = finder.find(query({ services: ['x'], ignoreId: 'r-a', after }));
    expect(moved.found && iso(moved.start)).toBe('2027-01-17T03:00:00Z');
    const alone = request('alone', { start: '2027-01-17T02:00', services: '[a]' });
    const single = new SlotFinder(policy, scheduleIndex([alone, crowd[1]!], policy, NOW), NOW);
    const stays = single.find(query({ services: ['a'], ignoreId: 'alone', after }));
    expect(stays.found && iso(stays.start)).toBe('2027-01-17T02:00:00Z');
  });

  it.each([1, 2, 3, 4])('the same answers as a brute-force search (seed %i)', (seed) => {
    const rand = prng(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
    // Crowded Sunday and Wednesday windows in January and February 2027.
    const days = ['2027-01-06', '2027-01-10', '2027-01-13', '2027-01-17', '2027-01-20', '2027-02-03'];
    const scheduled = Array.from({ length: 45 }, (_, i) =>
      request(`r${i}`, {
        start: `${pick(days)}T0${pick([2, 2, 3])}:${pick(['00', '15', '30'])}`,
        duration: pick(['30m', '45m', '1h']),
        services: `[${pick(['a', 'b', 'c', 'd', 'e', 'f', 'g'])}]`,
      }),
    );
    const finder = new SlotFinder(policy, scheduleIndex(scheduled, policy, NOW), NOW);
    for (let k = 0; k < 40; k++) {
      // Moving a scheduled request: its own time is free for it, and the search may start there.
      const moved = rand() < 0.6 ? pick(scheduled) : undefined;
      const q = query({
        services: [pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])],
        durationMs: pick([30, 45, 60]) * MINUTE,
        impact: pick(['low', 'low', 'medium']),
        ...(moved ? { ignoreId: moved.id } : {}),
        ...(moved && rand() < 0.5 ? { after: moved.startsAt } : {}),
      });
      const slot = finder.find(q);
      expect(slot.found && iso(slot.start), JSON.stringify(q)).toBe(iso(bruteForce(q, scheduled, NOW)));
    }
  });
});
