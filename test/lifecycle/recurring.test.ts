import { describe, expect, it } from 'vitest';
import { keyInterval, occurrenceKey, occurrenceOfKey, parseOccurrenceKey } from '../../src/lifecycle/keys.ts';
import { planTick } from '../../src/lifecycle/plan.ts';
import type { StateMap } from '../../src/lifecycle/state.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { POLICY, at, brief, file, ticks } from './support.ts';

const DEV = { environment: 'development' }; // any time: DST-gap times are allowed

describe('occurrence keys', () => {
  it.each([
    ['a plain request: its id', file('plain'), '2027-01-17T02:00:00Z', 'plain'],
    [
      'a recurring one: id@local start',
      file('w', { start: '2027-01-10T02:00', recurrence: 'FREQ=WEEKLY' }),
      '2027-01-17T02:00:00Z',
      'w@2027-01-17T02:00',
    ],
    [
      'in the request zone, not UTC',
      file('b', { start: '2027-01-10T04:00', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY' }),
      '2027-01-17T03:00:00Z',
      'b@2027-01-17T04:00',
    ],
    [
      'a start a DST gap moves forward is keyed by when it really starts',
      file('g', { ...DEV, start: '2027-03-21T02:30', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY' }),
      '2027-03-28T01:30:00Z',
      'g@2027-03-28T03:30',
    ],
    [
      'a doubled time by its first reading',
      file('f', { ...DEV, start: '2027-10-24T02:30', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY' }),
      '2027-10-31T00:30:00Z',
      'f@2027-10-31T02:30',
    ],
  ])('%s', (_, source, start, key) => {
    const request = source.request!;
    expect(occurrenceKey(request, at(start))).toBe(key);
    expect(isoUtc(keyInterval(request, key)!.start)).toBe(start);
    expect(isoUtc(occurrenceOfKey(request, key)!.start)).toBe(start);
  });

  it.each([
    ['x', { id: 'x' }],
    ['x-y@2027-01-10T02:00', { id: 'x-y', local: '2027-01-10T02:00' }],
    ['X', undefined],
    ['x@2027-01-10', undefined],
    ['__proto__', undefined],
  ])('parses %s', (key, expected) => {
    expect(parseOccurrenceKey(key)).toEqual(expected);
  });

  it('keys that are not the request’s', () => {
    const weekly = file('w', { start: '2027-01-10T02:00', recurrence: 'FREQ=WEEKLY' }).request!;
    expect(keyInterval(weekly, 'w')).toBeUndefined(); // a plain key for a series
    expect(keyInterval(weekly, 'other@2027-01-10T02:00')).toBeUndefined();
    expect(keyInterval(file('p').request!, 'p@2027-01-17T02:00')).toBeUndefined();
    expect(occurrenceOfKey(weekly, 'w@2027-01-11T02:00')).toBeUndefined(); // a Monday: no occurrence
  });
});

describe('recurring series with exdates', () => {
  const SERIES = file('w', {
    start: '2027-01-10T02:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=4',
    exdates: '["2027-01-17T02:00"]',
  });

  it('a removed occurrence is never looked at', () => {
    const keys = planTick({
      requests: [SERIES],
      states: {},
      policy: POLICY,
      now: at('2027-01-16T12:00:00Z'),
    }).occurrences.map((o) => o.key);
    expect(keys).toEqual(['w@2027-01-10T02:00', 'w@2027-01-24T02:00']);
  });

  it('an occurrence removed after its announcement gets one cancel', () => {
    const states: StateMap = {
      'w@2027-01-17T02:00': { state: 'reminded', done: ['announce', 'remind:P1D'] },
    };
    const result = ticks(
      [SERIES],
      ['2027-01-16T12:00:00Z', '2027-01-16T12:15:00Z', '2027-01-17T02:00:00Z'],
      states,
    );
    expect(brief(result.actions.filter((a) => a.id === 'w@2027-01-17T02:00'))).toEqual([
      'w@2027-01-17T02:00 cancel 2027-01-16T12:00:00Z',
    ]);
    expect(result.states['w@2027-01-17T02:00']!.state).toBe('cancelled');
  });

  it('an occurrence removed before its announcement gets nothing', () => {
    const states: StateMap = { 'w@2027-01-17T02:00': { state: 'scheduled', done: [] } };
    const result = planTick({ requests: [SERIES], states, policy: POLICY, now: at('2027-01-16T12:00:00Z') });
    expect(result.actions.filter((a) => a.id === 'w@2027-01-17T02:00')).toEqual([]);
  });

  it('a cancelled series cancels its announced occurrences only', () => {
    const cancelled = file('w', {
      start: '2027-01-10T02:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=4',
      status: 'cancelled',
    });
    const states: StateMap = {
      'w@2027-01-10T02:00': { state: 'completed', done: ['announce', 'start', 'complete'] },
      'w@2027-01-17T02:00': { state: 'announced', done: ['announce'] },
    };
    const result = planTick({
      requests: [cancelled],
      states,
      policy: POLICY,
      now: at('2027-01-12T00:00:00Z'),
    });
    expect(brief(result.actions)).toEqual(['w@2027-01-17T02:00 cancel 2027-01-12T00:00:00Z']);
  });
});

describe('a series across a DST change', () => {
  // Sundays 04:00 Berlin, 1 h: 03:00 UTC in winter, 02:00 UTC in summer (clocks spring forward 28 March),
  // inside the production Sunday window 02:00-06:00 UTC either way.
  const BERLIN = file('b', {
    start: '2027-03-21T04:00',
    timezone: 'Europe/Berlin',
    recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3',
  });

  it('keeps its local time: each occurrence starts at 04:00 local, reminded 24 h before', () => {
    const nows: number[] = []; // hourly: every moment of this series falls on the hour
    for (let t = at('2027-03-13T00:00:00Z'); t <= at('2027-04-05T00:00:00Z'); t += 60 * 60_000) nows.push(t);
    const result = ticks([BERLIN], nows);
    const starts = result.actions.filter((a) => a.action === 'start' || a.action === 'remind:P1D');
    expect(brief(starts)).toEqual([
      'b@2027-03-21T04:00 remind:P1D 2027-03-20T03:00:00Z',
      'b@2027-03-21T04:00 start 2027-03-21T03:00:00Z',
      'b@2027-03-28T04:00 remind:P1D 2027-03-27T02:00:00Z',
      'b@2027-03-28T04:00 start 2027-03-28T02:00:00Z',
      'b@2027-04-04T04:00 remind:P1D 2027-04-03T02:00:00Z',
      'b@2027-04-04T04:00 start 2027-04-04T02:00:00Z',
    ]);
    expect(result.perTick[nows.indexOf(at('2027-03-28T02:00:00Z'))]!.map((a) => a.action)).toContain('start');
  });

  it('a start moved by the gap is planned at its real time', () => {
    const gap = file('g', {
      ...DEV,
      start: '2027-03-21T02:30',
      timezone: 'Europe/Berlin',
      recurrence: 'FREQ=WEEKLY;COUNT=2',
    });
    const states: StateMap = {
      'g@2027-03-28T03:30': { state: 'reminded', done: ['announce', 'remind:P1D', 'silence'] },
    };
    const before = planTick({ requests: [gap], states, policy: POLICY, now: at('2027-03-28T01:29:00Z') });
    const when = planTick({ requests: [gap], states, policy: POLICY, now: at('2027-03-28T01:30:00Z') });
    const mine = (actions: typeof when.actions) => actions.filter((a) => a.id === 'g@2027-03-28T03:30');
    expect(mine(before.actions)).toEqual([]);
    expect(brief(mine(when.actions))).toEqual(['g@2027-03-28T03:30 start 2027-03-28T01:30:00Z']);
  });
});
