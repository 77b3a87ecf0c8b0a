import { describe, expect, it } from 'vitest';
import { defaultPolicy, withHolidays } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { BlackoutCalendar } from '../../src/schedule/blackouts.ts';

const at = (iso: string) => Date.parse(iso);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function periods(policy: Policy, from: string, to: string, name?: string) {
  return new BlackoutCalendar(policy)
    .between(at(from), at(to))
    .filter((p) => name === undefined || p.name === name)
    .map((p) => [day(p.start), day(p.end - 1)]);
}

describe('blackout periods of the default policy', () => {
  const policy = defaultPolicy();

  it('the year-end freeze crosses the new year, both days included', () => {
    expect(periods(policy, '2026-12-01T00:00:00Z', '2027-01-31T00:00:00Z', 'Year-end freeze')).toEqual([
      ['2026-12-20', '2027-01-05'],
    ]);
  });

  it.each([
    // Month ends on a Sunday: the last three business days are Wednesday to Friday.
    ['January 2027', '2027-01-15T00:00:00Z', '2027-02-01T00:00:00Z', [['2027-01-27', '2027-01-29']]],
    // Month ends on a Tuesday: Friday, then Monday-Tuesday (two runs; the weekend is not a business day).
    [
      'August 2027',
      '2027-08-15T00:00:00Z',
      '2027-09-01T00:00:00Z',
      [
        ['2027-08-27', '2027-08-27'],
        ['2027-08-30', '2027-08-31'],
      ],
    ],
  ])('month-end close: the last 3 business days of %s', (_name, from, to, expected) => {
    expect(periods(policy, from, to, 'Month-end close')).toEqual(expected);
  });

  it('quarter-end close: the last 5 business days of March 2027', () => {
    expect(periods(policy, '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z', 'Quarter-end close')).toEqual([
      ['2027-03-25', '2027-03-26'],
      ['2027-03-29', '2027-03-31'],
    ]);
  });

  it('applies month-end only to production', () => {
    const calendar = new BlackoutCalendar(policy);
    const interval = { start: at('2027-01-27T02:00:00Z'), end: at('2027-01-27T03:00:00Z') };
    expect(calendar.overlapping(interval, 'production').map((p) => p.name)).toEqual(['Month-end close']);
    expect(calendar.overlapping(interval, 'staging')).toEqual([]);
  });

  it('holidays are blackout days and are not business days for the month-end count', () => {
    const withFriday = withHolidays(policy, [
      { name: 'Company day', startDate: '2027-01-29', endDate: '2027-01-30' },
    ]);
    expect(periods(withFriday, '2027-01-15T00:00:00Z', '2027-02-01T00:00:00Z', 'Month-end close')).toEqual([
      ['2027-01-26', '2027-01-28'],
    ]);
    expect(periods(withFriday, '2027-01-15T00:00:00Z', '2027-02-01T00:00:00Z', 'Company day')).toEqual([
      ['2027-01-29', '2027-01-29'],
    ]);
  });

  it('counts days in the policy zone', () => {
    const berlin: Policy = { ...policy, timezone: 'Europe/Berlin' };
    const [freeze] = new BlackoutCalendar(berlin).between(
      at('2026-12-01T00:00:00Z'),
      at('2027-01-31T00:00:00Z'),
    );
    expect(new Date(freeze!.start).toISOString()).toBe('2026-12-19T23:00:00.000Z');
    expect(new Date(freeze!.end).toISOString()).toBe('2027-01-05T23:00:00.000Z');
  });
});
