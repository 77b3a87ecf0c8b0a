import { describe, expect, it } from 'vitest';
import { monthInterval, monthlyReport } from '../../src/lifecycle/metrics.ts';
import type { StateMap } from '../../src/lifecycle/state.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { file } from './support.ts';

const request = (id: string, fields: Record<string, string>): MaintenanceRequest => file(id, fields).request!;

const REQUESTS = [
  request('a', { start: '2026-11-01T02:00', services: '[api]' }),
  request('b', { start: '2026-11-04T02:00', duration: '2h', impact: 'medium', services: '[db, api]' }),
  request('c', { environment: 'staging', start: '2026-11-06T20:00', duration: '2h', services: '[k8s]' }),
  request('d', {
    environment: 'staging',
    start: '2026-11-08T22:00',
    services: '[k8s]',
    recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3',
  }),
  request('e', { type: 'emergency', justification: 'CVE', start: '2026-11-10T09:30', services: '[bastion]' }),
  request('f', { start: '2026-11-18T02:00', services: '[search]', status: 'cancelled' }),
  request('g', { start: '2026-12-06T02:00', services: '[api]' }),
];

const ran = (state: string, start: string, end: string) => ({
  state,
  done: ['announce', 'start', state === 'completed' ? 'complete' : 'rollback'],
  log: [
    { at: start, action: 'start' },
    { at: end, action: state === 'completed' ? 'complete' : 'rollback' },
  ],
});

const STATES = {
  a: ran('completed', '2026-11-01T02:00:00Z', '2026-11-01T02:50:00Z'),
  b: ran('completed', '2026-11-04T02:10:00Z', '2026-11-04T04:30:00Z'),
  c: ran('rolled-back', '2026-11-06T20:00:00Z', '2026-11-06T21:30:00Z'),
  'd@2026-11-08T22:00': { state: 'missed', done: ['announce', 'miss'] },
  'd@2026-11-15T22:00': ran('completed', '2026-11-15T22:00:00Z', '2026-11-15T23:00:00Z'),
  e: {
    ...ran('completed', '2026-11-10T09:35:00Z', '2026-11-10T10:20:00Z'),
    log: [] as never[],
    actual: { start: '2026-11-10T09:35:00Z', end: '2026-11-10T10:20:00Z' },
  },
  'ghost@2026-11-20T02:00': { state: 'completed', done: [] },
} as StateMap;

describe('monthly metrics', () => {
  const report = monthlyReport(STATES, REQUESTS, '2026-11', 'UTC');

  it('overall', () => {
    expect(report.overall).toEqual({
      total: 8,
      cancelled: 1,
      completed: 4,
      failed: 0,
      rolledBack: 1,
      missed: 1,
      open: 0,
      untracked: 1,
      onTime: 3,
      onTimeRate: 0.5,
      measured: 5,
      meanDurationMs: 77 * 60_000,
      meanEstimateMs: 84 * 60_000,
      durationDeviation: -1 / 12,
      withinTenPercent: true,
      overruns: 1,
      rollbackRate: 0.2,
      emergencies: 1,
      emergencyShare: 1 / 7,
    });
  });

  it('per environment and per service (work on two services counts for each)', () => {
    expect(Object.keys(report.byEnvironment)).toEqual(['production', 'staging']);
    expect(report.byEnvironment.production).toMatchObject({
      total: 4,
      completed: 3,
      onTime: 2,
      cancelled: 1,
    });
    expect(report.byEnvironment.staging).toMatchObject({ total: 4, rolledBack: 1, missed: 1, untracked: 1 });
    expect(Object.fromEntries(Object.entries(report.byService).map(([s, m]) => [s, m.total]))).toEqual({
      api: 2,
      bastion: 1,
      db: 1,
      k8s: 4,
      search: 1,
    });
    expect(report.byService.db).toMatchObject({ overruns: 1, onTimeRate: 0, withinTenPercent: false });
  });

  it('lists each occurrence with its outcome; state it cannot place is named', () => {
    expect(
      report.occurrences.map(
        (o) => `${o.key} ${o.outcome}${o.onTime ? ' on-time' : ''}${o.overrun ? ' overrun' : ''}`,
      ),
    ).toEqual([
      'a completed on-time',
      'b completed overrun',
      'c rolled-back',
      'd@2026-11-08T22:00 missed',
      'e completed on-time',
      'd@2026-11-15T22:00 completed on-time',
      'f cancelled',
      'd@2026-11-22T22:00 untracked',
    ]);
    expect(report.unknownKeys).toEqual(['ghost@2026-11-20T02:00']);
  });

  it('a month with nothing has no rates rather than zero', () => {
    const empty = monthlyReport({}, REQUESTS, '2027-02', 'UTC').overall;
    expect(empty).toMatchObject({
      total: 0,
      onTimeRate: null,
      rollbackRate: null,
      emergencyShare: null,
      withinTenPercent: null,
    });
  });

  it.each([
    ['2026-11', 'UTC', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
    ['2026-12', 'UTC', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2026-11', 'Europe/Berlin', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
  ])('month %s in %s', (month, zone, from, to) => {
    const { start, end } = monthInterval(month, zone);
    expect([isoUtc(start), isoUtc(end)]).toEqual([from, to]);
  });
});
