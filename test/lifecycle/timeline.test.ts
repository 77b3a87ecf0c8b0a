import { describe, expect, it } from 'vitest';
import { hardLimit, mayStart, missedFrom, remindersFor, timelineOf } from '../../src/lifecycle/timeline.ts';
import { WindowCalendar } from '../../src/schedule/windows.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { POLICY, at, file } from './support.ts';

describe('reminders come from the policy', () => {
  it.each([
    ['low', 'standard', ['P1D']],
    ['medium', 'standard', ['P7D', 'P1D']],
    ['high', 'standard', ['P14D', 'P7D', 'P1D', 'PT1H']],
    ['high', 'emergency', []],
  ] as const)('%s %s: %j', (impact, type, offsets) => {
    expect(remindersFor({ impact, type }, POLICY).reminders.map((r) => r.offset)).toEqual(offsets);
  });

  it('each is due at start - offset, earliest first, named remind:<offset>', () => {
    const request = file('x', { impact: 'high' }).request!;
    const timeline = timelineOf(request, { start: request.startsAt, end: request.endsAt }, POLICY, undefined);
    expect(timeline.reminders.map((r) => `${r.name} ${isoUtc(r.at)}`)).toEqual([
      'remind:P14D 2027-01-03T02:00:00Z',
      'remind:P7D 2027-01-10T02:00:00Z',
      'remind:P1D 2027-01-16T02:00:00Z',
      'remind:PT1H 2027-01-17T01:00:00Z',
    ]);
    expect(timeline.leadMs).toBe(14 * 86_400_000);
    expect(isoUtc(timeline.silenceAt)).toBe('2027-01-17T01:30:00Z');
  });
});

describe('until when work may start, and when running work must stop', () => {
  const production = new WindowCalendar(POLICY.environments.production!.windows);
  const staging = new WindowCalendar(POLICY.environments.staging!.windows);
  it.each([
    // name, fields, calendar, last start, missed from, hard limit (started on time)
    [
      'in the Sunday window',
      {},
      production,
      '2027-01-17T05:00:00Z',
      '2027-01-17T05:00:00Z',
      '2027-01-17T06:00:00Z',
    ],
    [
      'in merged staging windows (Fri 18:00-22:00 + daily 22:00-23:00)',
      { environment: 'staging', start: '2027-01-15T20:00', duration: '2h' },
      staging,
      '2027-01-15T21:00:00Z',
      '2027-01-15T21:00:00Z',
      '2027-01-15T23:00:00Z',
    ],
    [
      'an emergency: no window',
      { type: 'emergency', justification: 'x' },
      production,
      '2027-01-17T02:59:59Z',
      '2027-01-17T03:00:00Z',
      '2027-01-17T03:00:00Z',
    ],
    [
      'any time (no calendar)',
      {},
      undefined,
      '2027-01-17T02:59:59Z',
      '2027-01-17T03:00:00Z',
      '2027-01-17T03:00:00Z',
    ],
  ] as const)('%s', (_, fields, calendar, lastStart, missed, limit) => {
    const request = file('x', fields).request!;
    const timeline = timelineOf(request, { start: request.startsAt, end: request.endsAt }, POLICY, calendar);
    expect(mayStart(timeline, request.startsAt - 1)).toBe(false);
    expect(mayStart(timeline, at(lastStart))).toBe(true);
    expect(mayStart(timeline, at(lastStart) + 1000)).toBe(false);
    expect(isoUtc(missedFrom(timeline))).toBe(missed);
    expect(isoUtc(hardLimit(timeline, request.startsAt))).toBe(limit);
  });

  it('without a window, work started late gets its full duration', () => {
    const request = file('x', { environment: 'development' }).request!;
    const timeline = timelineOf(request, { start: request.startsAt, end: request.endsAt }, POLICY, undefined);
    expect(isoUtc(hardLimit(timeline, at('2027-01-17T02:50:00Z')))).toBe('2027-01-17T03:50:00Z');
  });
});
