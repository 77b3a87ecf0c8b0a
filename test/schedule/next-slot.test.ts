import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { nextSlot, scheduleIndex, type SlotQuery } from '../../src/schedule/next-slot.ts';
import { NOW, request } from '../helpers/requests.ts';

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
