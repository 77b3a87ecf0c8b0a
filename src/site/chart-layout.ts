// The schedule at a glance, as data: the coming weeks from this week's Monday, one row per
// environment with its allowed windows, the change freezes and each maintenance placed on the week
// as fractions of it. Positions are on the wall clock of the policy's zone, so a window at 02:00 sits
// at the same place every week and day lines fall on midnight. Pure; rendering is in chart.ts.
import type { Interval, Policy } from '../model/types.ts';
import { BlackoutCalendar, appliesTo, type BlackoutPeriod } from '../schedule/blackouts.ts';
import { DAY, addDays, dateIn, localAt, startOfLocalDay, wallClockMillis } from '../schedule/time.ts';
import { windowOccurrences } from '../schedule/windows.ts';
import type { Occurrence, Timeline } from './timeline.ts';

/** A span of a week: `left` and `width` are fractions of the week, 0 to 1. */
export interface Placement {
  left: number;
  width: number;
}

export interface ChartBar extends Placement {
  occurrence: Occurrence;
  /** Stacked lanes keep overlapping work apart; 0 is the top one. */
  lane: number;
  /** The segment that links to the entry: the week it starts in (or the chart's first week). */
  primary: boolean;
  /** Began in an earlier week; goes on into a later one. */
  fromEarlier: boolean;
  intoLater: boolean;
  /** Short work at the very end of a week grows leftwards to its minimum width, not out of the week. */
  anchorRight: boolean;
}

export interface ChartFreeze extends Placement {
  period: BlackoutPeriod;
}

export interface ChartRow {
  environment: string;
  /** Allowed windows this week; one band over the whole week for an environment open any time. */
  windows: Placement[];
  /** The policy names no windows for this environment (it is not in the policy). */
  unknown: boolean;
  anytime: boolean;
  freezes: ChartFreeze[];
  bars: ChartBar[];
  lanes: number;
}

export interface ChartDay {
  /** yyyy-MM-dd in the policy's zone. */
  date: string;
  start: number;
  today: boolean;
}

export interface ChartWeek {
  /** Monday, yyyy-MM-dd in the policy's zone. */
  date: string;
  start: number;
  end: number;
  days: ChartDay[];
  rows: ChartRow[];
  /** Where `now` falls, when it is in this week. */
  now?: number;
}

export interface Chart {
  zone: string;
  weeks: ChartWeek[];
  from: number;
  until: number;
}

/** Weeks shown: the current one and those the upcoming list covers. */
export const CHART_WEEKS = 6;

/**
 * Bars shorter than this (a fraction of the week: 8 hours) still take this much room when lanes are
 * assigned: they are drawn at a minimum width (0.75rem, up to 8 hours on a phone), and must not be
 * drawn over one another.
 */
const MIN_LAYOUT_WIDTH = 8 / (7 * 24);

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** Places intervals on a week by their wall-clock time in the zone. */
function placer(weekDate: string, zone: string): (interval: Interval) => Placement {
  const base = Date.parse(`${weekDate}T00:00:00Z`);
  const at = (instant: number) => clamp((wallClockMillis(localAt(instant, zone)) - base) / (7 * DAY));
  return ({ start, end }) => {
    const left = at(start);
    return { left, width: Math.max(0, at(end) - left) };
  };
}

/** Where a bar is drawn, at least MIN_LAYOUT_WIDTH wide and inside the week. */
function drawnExtent(bar: Placement): { from: number; to: number; anchorRight: boolean } {
  const width = Math.max(bar.width, MIN_LAYOUT_WIDTH);
  return bar.left + width > 1
    ? { from: bar.left + bar.width - width, to: bar.left + bar.width, anchorRight: true }
    : { from: bar.left, to: bar.left + width, anchorRight: false };
}

/** Greedy interval partitioning: each bar takes the first lane free where it is drawn. */
function assignLanes(bars: Omit<ChartBar, 'lane' | 'anchorRight'>[]): { bars: ChartBar[]; lanes: number } {
  const drawn = bars.map((bar) => ({ bar, ...drawnExtent(bar) }));
  drawn.sort((a, b) => a.from - b.from || b.to - a.to || a.bar.occurrence.start - b.bar.occurrence.start);
  const laneEnds: number[] = [];
  const placed = drawn.map(({ bar, from, to, anchorRight }) => {
    let lane = laneEnds.findIndex((end) => end <= from);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = to;
    return { ...bar, lane, anchorRight };
  });
  return { bars: placed, lanes: Math.max(1, laneEnds.length) };
}

/** Monday of the week that holds a date (yyyy-MM-dd). */
function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

export function buildChart(timeline: Timeline, policy: Policy, now: number, weeks = CHART_WEEKS): Chart {
  const zone = policy.timezone;
  const today = dateIn(now, zone);
  const firstMonday = mondayOf(today);
  const blackouts = new BlackoutCalendar(policy);
  const from = startOfLocalDay(firstMonday, zone);
  const weekStarts = Array.from({ length: weeks + 1 }, (_, w) =>
    startOfLocalDay(addDays(firstMonday, 7 * w), zone),
  );
  // Each occurrence in the weeks it overlaps, by environment: one pass, however many there are.
  const byWeek = weekStarts.slice(0, -1).map(() => new Map<string, Occurrence[]>());
  for (const day of [...timeline.upcoming, ...timeline.recent]) {
    for (const entry of day.entries) {
      if (entry.kind !== 'maintenance') continue;
      byWeek.forEach((bucket, w) => {
        if (entry.start >= weekStarts[w + 1]! || entry.end <= weekStarts[w]!) return;
        const list = bucket.get(entry.request.environment) ?? [];
        list.push(entry);
        bucket.set(entry.request.environment, list);
      });
    }
  }

  const chartWeeks: ChartWeek[] = [];
  for (let w = 0; w < weeks; w++) {
    const date = addDays(firstMonday, 7 * w);
    const start = weekStarts[w]!;
    const end = weekStarts[w + 1]!;
    const place = placer(date, zone);
    const days = Array.from({ length: 7 }, (_, d): ChartDay => {
      const dayDate = addDays(date, d);
      return { date: dayDate, start: startOfLocalDay(dayDate, zone), today: dayDate === today };
    });
    const periods = blackouts.between(start, end);
    const rows = timeline.environments.map((environment): ChartRow => {
      const spec = policy.environments[environment];
      const windows = !spec
        ? []
        : spec.anytime
          ? [{ left: 0, width: 1 }]
          : windowOccurrences(spec.windows, start, end).map(place);
      const freezes = periods
        .filter((period) => appliesTo(period, environment))
        .map((period) => ({ period, ...place(period) }));
      const { bars, lanes } = assignLanes(
        (byWeek[w]!.get(environment) ?? []).map((occurrence) => ({
          occurrence,
          ...place(occurrence),
          primary: occurrence.start >= start || w === 0,
          fromEarlier: occurrence.start < start,
          intoLater: occurrence.end > end,
        })),
      );
      return {
        environment,
        windows,
        unknown: !spec,
        anytime: spec?.anytime ?? false,
        freezes,
        bars,
        lanes,
      };
    });
    chartWeeks.push({
      date,
      start,
      end,
      days,
      rows,
      ...(now >= start && now < end ? { now: place({ start: now, end: now }).left } : {}),
    });
  }
  return { zone, weeks: chartWeeks, from, until: chartWeeks[chartWeeks.length - 1]?.end ?? from };
}
