// The silence window: lead time before the start to the planned end, as elapsed time. Around DST
// changes the wall-clock distance differs from the lead; the instants must not.
import { describe, expect, it } from 'vitest';
import { remainingSilence, silenceWindow } from '../../src/alerts/window.ts';
import { formatLocal, localAt } from '../../src/schedule/time.ts';
import { request } from '../helpers/requests.ts';
import { policyWithAlerts } from './inputs.ts';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

describe('silenceWindow', () => {
  it.each([
    [
      'UTC, the default lead',
      { start: '2027-01-17T02:00', timezone: 'UTC' },
      'PT30M',
      '2027-01-17T01:30Z',
      '2027-01-17T03:00Z',
      '2027-01-17T01:30',
    ],
    // 03:15 CEST on the spring-forward day; 30 minutes earlier is 01:45 CET, 1 h 30 on the clock.
    [
      'Berlin, lead across the spring-forward gap',
      { start: '2027-03-28T03:15', timezone: 'Europe/Berlin' },
      'PT30M',
      '2027-03-28T00:45Z',
      '2027-03-28T02:15Z',
      '2027-03-28T01:45',
    ],
    // 03:10 CET after the fall-back; an hour earlier is 02:10 CET, the second 02:10 of the night.
    [
      'Berlin, lead into the repeated hour',
      { start: '2027-10-31T03:10', timezone: 'Europe/Berlin' },
      'PT1H',
      '2027-10-31T01:10Z',
      '2027-10-31T03:10Z',
      '2027-10-31T02:10',
    ],
    // A day's lead over the New York spring-forward is 24 h elapsed, 25 h on the clock.
    [
      'New York, a day of lead across the DST start',
      { start: '2027-03-15T02:00', timezone: 'America/New_York' },
      'P1D',
      '2027-03-14T06:00Z',
      '2027-03-15T07:00Z',
      '2027-03-14T01:00',
    ],
    [
      'a fixed offset instead of a zone',
      { start: '2027-01-17T02:00+05:30', timezone: undefined },
      'PT30M',
      '2027-01-16T20:00Z',
      '2027-01-16T21:30Z',
      '2027-01-17T01:30',
    ],
    [
      'no lead at all',
      { start: '2027-01-17T02:00', timezone: 'UTC' },
      'PT0S',
      '2027-01-17T02:00Z',
      '2027-01-17T03:00Z',
      '2027-01-17T02:00',
    ],
  ])('%s', (_name, fields, lead, from, until, localFrom) => {
    const r = request('r', { ...fields, duration: '1h' });
    const window = silenceWindow(r, { start: r.startsAt, end: r.endsAt }, policyWithAlerts(`lead: ${lead}`));
    expect({ from: iso(window.from), until: iso(window.until) }).toEqual({ from, until });
    expect(formatLocal(localAt(window.from, r.zone))).toBe(localFrom);
    expect(r.startsAt - window.from).toBe(policyWithAlerts(`lead: ${lead}`).alerts.leadMs);
  });

  it('silences a later occurrence of a series by the occurrence given, not the first', () => {
    const r = request('r', { recurrence: "'FREQ=WEEKLY;COUNT=3'" });
    const week = 7 * 86_400_000;
    const occurrence = { start: r.startsAt + week, end: r.endsAt + week };
    const window = silenceWindow(r, occurrence, policyWithAlerts('lead: PT30M'));
    expect(iso(window.from)).toBe('2027-01-24T01:30Z');
  });
});

describe('remainingSilence', () => {
  const window = { from: Date.parse('2027-01-17T01:30Z'), until: Date.parse('2027-01-17T03:00Z') };
  it.each([
    ['before the lead time: the whole window', '2027-01-17T00:00Z', '2027-01-17T01:30Z'],
    ['inside the window: from now on', '2027-01-17T02:10Z', '2027-01-17T02:10Z'],
  ])('%s', (_name, now, from) => {
    expect(remainingSilence(window, Date.parse(now))).toEqual({
      from: Date.parse(from),
      until: window.until,
    });
  });

  it.each([
    ['at the end', '2027-01-17T03:00Z'],
    ['after it', '2027-01-18T00:00Z'],
  ])('none %s', (_name, now) => {
    expect(remainingSilence(window, Date.parse(now))).toBeUndefined();
  });
});
