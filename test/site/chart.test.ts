// The timeline at a glance as data and as markup: weeks from this Monday in the policy's zone, windows
// and freezes per environment on the wall clock (through a change to summer time), bars stacked when
// they overlap, split at week ends and linked once, and every link landing on an entry of the page.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { buildChart, type Chart, type ChartRow } from '../../src/site/chart-layout.ts';
import { renderChart } from '../../src/site/chart.ts';
import { buildTimeline } from '../../src/site/timeline.ts';
import { fixturePolicy } from '../calendar/fixture-feeds.ts';
import { request } from '../helpers/requests.ts';
import { NOW, examplePage, schedule } from './examples.ts';
import { attribute, tokenize } from './html-tokens.ts';

const HOUR_OF_WEEK = 1 / (7 * 24);
const chartOf = (requests: MaintenanceRequest[], policy: Policy, now: number): Chart =>
  buildChart(buildTimeline(requests, policy, now), policy, now);
const row = (chart: Chart, week: number, environment: string): ChartRow =>
  chart.weeks[week]!.rows.find((r) => r.environment === environment)!;
const near = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('buildChart', () => {
  const { policy, requests } = schedule();
  // Thursday 7 January 2027, 12:00 UTC.
  const now = Date.parse('2027-01-07T12:00:00Z');
  const chart = chartOf(requests, policy, now);

  it('shows six weeks from the Monday of this week, today marked, one row per environment', () => {
    expect(chart.weeks.map((w) => w.date)).toEqual([
      '2027-01-04',
      '2027-01-11',
      '2027-01-18',
      '2027-01-25',
      '2027-02-01',
      '2027-02-08',
    ]);
    expect(chart.weeks[0]!.days.filter((d) => d.today).map((d) => d.date)).toEqual(['2027-01-07']);
    expect(chart.weeks.slice(1).every((w) => w.days.every((d) => !d.today) && w.now === undefined)).toBe(
      true,
    );
    near(chart.weeks[0]!.now!, (3 * 24 + 12) * HOUR_OF_WEEK);
    expect(chart.weeks[0]!.rows.map((r) => r.environment)).toEqual(['production', 'staging', 'development']);
  });

  it("places each environment's allowed windows: production Wed 02-04 and Sun 02-06, development all week", () => {
    const production = row(chart, 1, 'production').windows;
    expect(production).toHaveLength(2);
    near(production[0]!.left, (2 * 24 + 2) * HOUR_OF_WEEK);
    near(production[0]!.width, 2 * HOUR_OF_WEEK);
    near(production[1]!.left, (6 * 24 + 2) * HOUR_OF_WEEK);
    near(production[1]!.width, 4 * HOUR_OF_WEEK);
    expect(row(chart, 1, 'development')).toMatchObject({ anytime: true, windows: [{ left: 0, width: 1 }] });
    // Staging: daily 22-23 and Friday 18-22, merged where they touch (Friday 18-23).
    expect(row(chart, 1, 'staging').windows).toHaveLength(7);
  });

  it('shows the freezes of each environment where they apply: month-end in production only', () => {
    const monthEnd = row(chart, 3, 'production').freezes;
    expect(monthEnd.map((f) => f.period.name)).toEqual(['Month-end close']);
    near(monthEnd[0]!.left, 2 / 7); // Wednesday 27 January
    near(monthEnd[0]!.width, 3 / 7);
    expect(row(chart, 3, 'staging').freezes).toEqual([]);
    // The year-end freeze, still in force on Monday 4 and Tuesday 5, in production and staging.
    expect(row(chart, 0, 'staging').freezes.map((f) => [f.period.name, f.left, f.width])).toEqual([
      ['Year-end freeze', 0, 2 / 7],
    ]);
  });

  it('draws each occurrence of the span in its environment, linked once, cancelled work included', () => {
    const bars = chart.weeks.flatMap((w) => w.rows.flatMap((r) => r.bars));
    const ids = bars.map((b) => `${b.occurrence.request.id} ${new Date(b.occurrence.start).toISOString()}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(bars.every((b) => b.primary)).toBe(true);
    for (const bar of bars)
      expect(
        chart.weeks.some((w) =>
          w.rows.some((r) => r.environment === bar.occurrence.request.environment && r.bars.includes(bar)),
        ),
      ).toBe(true);
    expect(ids.filter((id) => id.startsWith('weekly-api-rolling-update '))).toHaveLength(6);
    expect(bars.find((b) => b.occurrence.request.id === 'search-reindex')?.occurrence.request.status).toBe(
      'cancelled',
    );
    // Monday's emergency patch is before `now` but still listed (under Recent), so it is drawn.
    expect(ids).toContain('emergency-openssh-patch 2027-01-04T09:30:00.000Z');
  });

  it('stacks work that overlaps (or sits too close to read apart) in lanes', () => {
    const sunday = row(chart, 2, 'production'); // Sunday 24: the weekly update 02-03 and the migration 03-06
    expect(sunday.lanes).toBe(2);
    expect(sunday.bars.map((b) => [b.occurrence.request.id, b.lane]).sort()).toEqual([
      ['orders-schema-migration', 1],
      ['weekly-api-rolling-update', 0],
    ]);
  });

  it('splits work that crosses into the next week, linking only the part where it starts', () => {
    const late = request('sunday-late', {
      environment: 'development',
      start: '2027-01-10T22:00',
      duration: '4h',
    });
    const split = chartOf([late], policy, NOW);
    const [first, second] = [row(split, 0, 'development').bars, row(split, 1, 'development').bars];
    expect(first).toMatchObject([{ primary: true, fromEarlier: false, intoLater: true }]);
    expect(second).toMatchObject([{ primary: false, fromEarlier: true, intoLater: false, left: 0 }]);
    near(first[0]!.left, (6 * 24 + 22) * HOUR_OF_WEEK);
    near(first[0]!.width, 2 * HOUR_OF_WEEK);
    near(second[0]!.width, 2 * HOUR_OF_WEEK);
  });

  it('places windows on the wall clock of the policy zone through the change to summer time', () => {
    // Europe/Berlin; the week of Monday 22 March 2027 loses an hour on Sunday 28 at 02:00.
    const berlin = fixturePolicy();
    const dst = chartOf([], berlin, Date.parse('2027-03-24T12:00:00Z'));
    expect(dst.weeks[0]!.date).toBe('2027-03-22');
    const [sunday] = row(dst, 0, 'production').windows;
    // The Sunday window 01:00-06:00 local: four real hours, five on the clock face.
    near(sunday!.left, (6 * 24 + 1) * HOUR_OF_WEEK);
    near(sunday!.width, 5 * HOUR_OF_WEEK);
    expect(dst.weeks[0]!.end - dst.weeks[0]!.start).toBe((7 * 24 - 1) * 3_600_000);
  });

  it('gives an environment the policy does not know a row without windows', () => {
    const elsewhere = request('elsewhere', { environment: 'lab', start: '2027-01-12T10:00' });
    const lab = row(chartOf([elsewhere], defaultPolicy(), NOW), 1, 'lab');
    expect(lab).toMatchObject({ unknown: true, windows: [], bars: [{ primary: true }] });
  });
});

describe('renderChart in the page', () => {
  const page = examplePage();
  const { elements } = tokenize(page);
  const ids = new Set(elements.map((e) => attribute(e, 'id')).filter((id) => id !== undefined));
  const bars = elements.filter((e) => e.name === 'a' && attribute(e, 'data-chart-bar') !== undefined);

  it('links every bar to an entry of the page, with a name that says what, impact and when', () => {
    const { policy, requests } = schedule();
    const drawn = chartOf(requests, policy, NOW).weeks.flatMap((w) => w.rows.flatMap((r) => r.bars));
    expect(bars).toHaveLength(drawn.filter((bar) => bar.primary).length);
    expect(bars.length).toBeGreaterThanOrEqual(12);
    for (const bar of bars) {
      const target = attribute(bar, 'href')!;
      expect(target.startsWith('#m-')).toBe(true);
      expect(ids.has(target.slice(1)), target).toBe(true);
    }
    const migration = bars.find((b) => attribute(b, 'href')!.startsWith('#m-orders-schema-migration-'))!;
    expect(attribute(migration, 'title')).toBe(
      'Orders database schema migration (split order_items): high impact, Sunday 24 January 2027, 04:00-07:00 CET (03:00-06:00 UTC)',
    );
    const cancelled = bars.find((b) => attribute(b, 'href')!.startsWith('#m-search-reindex-'))!;
    expect(attribute(cancelled, 'class')).toContain('is-cancelled');
    expect(attribute(cancelled, 'title')).toMatch(/, cancelled$/);
  });

  it('tells the same as text: per environment its windows, freezes and work', () => {
    const text = page.slice(
      page.indexOf('<details class="chart-text"'),
      page.indexOf('</details>', page.indexOf('<details class="chart-text"')),
    );
    expect(text).toContain(
      'Allowed windows: Sunday primary (Sun 02:00-06:00 UTC); Wednesday secondary (Wed 02:00-04:00 UTC)',
    );
    expect(text).toContain('Allowed windows: any time');
    expect(text).toContain('Month-end close: <time');
    const textLinks = tokenize(text)
      .elements.filter((e) => e.name === 'a')
      .map((e) => attribute(e, 'href'));
    expect(textLinks.sort()).toEqual(bars.map((b) => attribute(b, 'href')).sort());
  });

  it('positions bars by classes of a stylesheet made of numbers only', () => {
    const policy = schedule().policy;
    const { css } = renderChart(chartOf(schedule().requests, policy, NOW), policy, NOW);
    expect(css.length).toBeGreaterThan(0);
    for (const line of css.split('\n'))
      expect(line).toMatch(
        /^\.chart (\.cp\d+\{(left|right):[\d.]+%;width:[\d.]+%\}|\.lane-\d+\{top:[\d.]+rem\}|\.lanes-\d+ \.chart-track\{height:[\d.]+rem\})$/,
      );
    // Sunday 24 January stacks two lanes.
    expect(css).toContain('.chart .lane-1{top:1.25rem}');
    expect(css).toContain('.chart .lanes-2 .chart-track{height:3rem}');
  });
});
