import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/model/request.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import {
  MAX_OCCURRENCES,
  endedBy,
  occurrencesBetween,
  recurrenceProblem,
  seriesEnd,
} from '../../src/schedule/recurrence.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

function request(fields: Record<string, string>): MaintenanceRequest {
  const yaml = Object.entries({
    title: 'x',
    type: 'standard',
    category: 'other',
    environment: 'production',
    services: '[api]',
    impact: 'low',
    impact_description: 'x',
    description: 'x',
    rollback: 'x',
    requester: 'alice',
    duration: '1h',
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const parsed = parseRequest({ path: 'r.yaml', text: yaml });
  if (!parsed.request) throw new Error(JSON.stringify(parsed.findings));
  return parsed.request;
}

describe('recurring requests', () => {
  it('keep their local time across a DST change', () => {
    const weekly = request({
      start: '2027-03-21T02:00',
      timezone: 'Europe/Berlin',
      recurrence: 'FREQ=WEEKLY;COUNT=3',
    });
    const found = occurrencesBetween(weekly, at('2027-03-01T00:00:00Z'), at('2027-05-01T00:00:00Z'));
    // 21 March 02:00 CET; 28 March 02:00 is in the gap and moves to 03:00 CEST (RFC 5545); 4 April 02:00 CEST.
    expect(found.map((o) => iso(o.start))).toEqual([
      '2027-03-21T01:00:00Z',
      '2027-03-28T01:00:00Z',
      '2027-04-04T00:00:00Z',
    ]);
  });

  it('skip removed occurrences (exdates)', () => {
    const monthly = request({
      start: '2027-02-07T03:00',
      timezone: 'UTC',
      recurrence: 'FREQ=MONTHLY;BYDAY=1SU;COUNT=4',
      exdates: '["2027-03-07T03:00"]',
    });
    const found = occurrencesBetween(monthly, at('2027-01-01T00:00:00Z'), at('2028-01-01T00:00:00Z'));
    expect(found.map((o) => iso(o.start))).toEqual([
      '2027-02-07T03:00:00Z',
      '2027-04-04T03:00:00Z',
      '2027-05-02T03:00:00Z',
    ]);
  });

  it('know when the series ends, or that it never does', () => {
    expect(
      iso(
        seriesEnd(request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=WEEKLY;COUNT=2' })),
      ),
    ).toBe('2027-01-10T03:00:00Z');
    expect(
      seriesEnd(request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=WEEKLY' })),
    ).toBe(Infinity);
  });

  it('endedBy answers seriesEnd <= instant without expanding a running series', () => {
    const cases = [
      request({ start: '2027-01-03T02:00', timezone: 'UTC' }),
      request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=WEEKLY;COUNT=3' }),
      request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=DAILY;UNTIL=20270110' }),
      request({ start: '2027-03-21T02:00', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY;COUNT=2' }),
      request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=WEEKLY' }),
    ];
    const instants = [
      '2027-01-01',
      '2027-01-03T03:00',
      '2027-01-10T02:30',
      '2027-01-10T03:00',
      '2027-01-17T03:00',
    ]
      .concat(['2027-03-28T02:00', '2027-03-28T03:00', '2030-01-01'])
      .map((text) => at(`${text}${text.length > 10 ? ':00Z' : 'T00:00:00Z'}`));
    for (const [index, plan] of cases.entries())
      for (const instant of instants)
        // A fresh copy each time: endedBy must not lean on a seriesEnd already cached for the object.
        expect(endedBy({ ...plan }, instant), `case ${index} at ${iso(instant)}`).toBe(
          seriesEnd({ ...plan }) <= instant,
        );
  });

  it(`never expand beyond ${MAX_OCCURRENCES} occurrences`, () => {
    const daily = request({ start: '2027-01-03T02:00', timezone: 'UTC', recurrence: 'FREQ=DAILY' });
    expect(occurrencesBetween(daily, at('2027-01-01T00:00:00Z'), at('2040-01-01T00:00:00Z'))).toHaveLength(
      MAX_OCCURRENCES,
    );
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=SU', undefined],
    ['RRULE:FREQ=MONTHLY;BYDAY=1SU', undefined],
    ['FREQ=MINUTELY', 'FREQ=MINUTELY is not allowed'],
    ['FREQ=HOURLY;COUNT=3', 'FREQ=HOURLY is not allowed'],
    ['BYDAY=SU', 'needs FREQ'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY=XX'],
    ['FREQ=WEEKLY;COUNT=abc', 'COUNT=ABC must be a whole number'],
    ['FREQ=WEEKLY;COUNT=2;UNTIL=20271231', 'both COUNT and UNTIL'],
    ['FREQ=WEEKLY;DTSTART=20270101T000000Z', 'must not carry DTSTART'],
    ['garbage', 'is not KEY=VALUE'],
    ['FREQ=WEEKLY;FOO=1', 'unknown part `FOO`'],
  ])('RRULE %s', (rule, problem) => {
    const found = recurrenceProblem(rule);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
