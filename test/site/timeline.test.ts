// Which occurrences and freezes the page lists, and under which day: retention, the six-week span of
// repeating work, work in progress, and a series that starts after the span.
import { describe, expect, it } from 'vitest';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { DAY, HOUR } from '../../src/schedule/time.ts';
import { buildTimeline, type Occurrence, type Timeline } from '../../src/site/timeline.ts';
import { NOW, schedule } from './examples.ts';

const { policy } = schedule();

function request(
  id: string,
  startsAt: number,
  overrides: Partial<MaintenanceRequest> = {},
): MaintenanceRequest {
  return {
    id,
    file: `maintenance/${id}.yaml`,
    title: id,
    type: 'standard',
    category: 'other',
    environment: 'development',
    services: ['db'],
    start: '',
    zone: 'UTC',
    startsAt,
    endsAt: startsAt + HOUR,
    durationMs: HOUR,
    impact: 'low',
    impact_description: 'none',
    description: 'd',
    rollback: 'r',
    requester: 'someone',
    status: 'scheduled',
    ...overrides,
  };
}

const weekly = (id: string, startsAt: number) =>
  request(id, startsAt, { series: { rrule: 'FREQ=WEEKLY', exdates: [] } });

function occurrences(timeline: Timeline, section: 'upcoming' | 'recent', id: string): Occurrence[] {
  return timeline[section]
    .flatMap((day) => day.entries)
    .filter((e): e is Occurrence => e.kind === 'maintenance' && e.request.id === id);
}

describe('buildTimeline', () => {
  it.each([
    ['ended 10 days ago: recent', -10 * DAY, 'recent', 1],
    ['ended 89 days ago: recent', -89 * DAY - HOUR, 'recent', 1],
    ['ended 91 days ago: past the 90-day retention', -91 * DAY, 'recent', 0],
    ['in 200 days: upcoming however far', 200 * DAY, 'upcoming', 1],
  ] as const)('one-off work %s', (_name, offset, section, count) => {
    const timeline = buildTimeline([request('one', NOW + offset)], policy, NOW);
    expect(occurrences(timeline, section, 'one')).toHaveLength(count);
  });

  it('lists work in progress under today, marked as such', () => {
    const timeline = buildTimeline([request('live', NOW - 30 * 60_000)], policy, NOW);
    const day = timeline.upcoming.find((d) => d.entries.some((e) => e.kind === 'maintenance'))!;
    expect(day.date).toBe('2027-01-04');
    expect(occurrences(timeline, 'upcoming', 'live')[0]?.phase).toBe('in-progress');
  });

  it('expands a series two weeks back and six weeks ahead', () => {
    const timeline = buildTimeline([weekly('weekly', NOW - 60 * DAY + 2 * HOUR)], policy, NOW);
    expect(occurrences(timeline, 'recent', 'weekly')).toHaveLength(2);
    expect(occurrences(timeline, 'upcoming', 'weekly')).toHaveLength(6);
  });

  it('still shows the next occurrence of a series that starts after the six weeks', () => {
    const start = NOW + 100 * DAY;
    const timeline = buildTimeline([weekly('later', start)], policy, NOW);
    expect(occurrences(timeline, 'upcoming', 'later').map((o) => o.start)).toEqual([start]);
  });

  it('lists a freeze in force under today, and notes it on work inside it', () => {
    const timeline = buildTimeline(
      [request('prod', NOW + 2 * HOUR, { environment: 'production' })],
      policy,
      NOW,
    );
    const today = timeline.upcoming[0]!;
    expect(today.date).toBe('2027-01-04');
    expect(today.entries[0]).toMatchObject({
      kind: 'freeze',
      ongoing: true,
      period: { name: 'Year-end freeze' },
    });
    expect(occurrences(timeline, 'upcoming', 'prod')[0]?.freezes.map((f) => f.name)).toEqual([
      'Year-end freeze',
    ]);
  });

  it('offers the policy environments in policy order, then the others, and every service', () => {
    const timeline = buildTimeline(
      [request('a', NOW + DAY, { environment: 'lab', services: ['z', 'a'] })],
      policy,
      NOW,
    );
    expect(timeline.environments).toEqual(['production', 'staging', 'development', 'lab']);
    expect(timeline.services).toEqual(['a', 'z']);
  });
});
