// The schedule at a glance, rendered: a week per block, a row per environment with its windows,
// freezes and maintenance bars that link to their entries, today marked, and the same told as text.
// Positions cannot be inline styles (the page's CSP allows no style attributes), so they are classes
// of a small stylesheet made here from numbers only, hashed into the CSP like the page's own.
import type { Policy } from '../model/types.ts';
import { describePeriod } from '../schedule/blackouts.ts';
import { formatDay, isoUtc } from '../schedule/time.ts';
import { describeWindow } from '../schedule/windows.ts';
import type { Chart, ChartBar, ChartRow, ChartWeek, Placement } from './chart-layout.ts';
import { idToken, markup, type Markup } from './html.ts';
import { describeSpan, occurrenceId } from './item.ts';

export interface RenderedChart {
  html: Markup;
  /** The positions stylesheet: class selectors and percentages, nothing taken from the requests. */
  css: string;
}

const IMPACT = { low: 'low impact', medium: 'medium impact', high: 'high impact' } as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const percent = (fraction: number) => {
  if (!Number.isFinite(fraction)) throw new RangeError(`not a position: ${fraction}`);
  return `${Number((fraction * 100).toFixed(3))}%`;
};

/** One class per distinct position, named in order of first use so the output is deterministic. */
class Positions {
  private readonly classes = new Map<string, string>();

  of(placement: Placement, anchorRight = false): string {
    const from = anchorRight
      ? `right:${percent(1 - placement.left - placement.width)}`
      : `left:${percent(placement.left)}`;
    const rule = `${from};width:${percent(placement.width)}`;
    let name = this.classes.get(rule);
    if (name === undefined) {
      name = `cp${this.classes.size}`;
      this.classes.set(rule, name);
    }
    return name;
  }

  stylesheet(lanes: number): string {
    const rules = [...this.classes].map(([rule, name]) => `.chart .${name}{${rule}}`);
    // Each stacked lane below the first, and the height of rows that have them.
    for (let lane = 1; lane < lanes; lane++) {
      rules.push(`.chart .lane-${lane}{top:${lane * 1.25}rem}`);
      rules.push(`.chart .lanes-${lane + 1} .chart-track{height:${1.75 + lane * 1.25}rem}`);
    }
    return rules.join('\n');
  }
}

/** Impact, time and state of a bar's occurrence: `high impact, Sunday 24 January 2027, 04:00-07:00 CET (...)`. */
function barFacts(bar: Pick<ChartBar, 'occurrence'>): string {
  const { request } = bar.occurrence;
  return [
    IMPACT[request.impact],
    ...(request.type === 'emergency' ? ['emergency'] : []),
    describeSpan(bar.occurrence, request.zone),
    ...(request.status === 'cancelled' ? ['cancelled'] : []),
    ...(bar.occurrence.phase === 'in-progress' ? ['in progress'] : []),
  ].join(', ');
}

/** What a bar says to a screen reader and in its tooltip: its title, then its facts. */
export function barLabel(bar: Pick<ChartBar, 'occurrence'>): string {
  return `${bar.occurrence.request.title}: ${barFacts(bar)}`;
}

function dayLabel(date: string): { weekday: string; day: string } {
  const d = new Date(`${date}T00:00:00Z`);
  return { weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7]!, day: String(d.getUTCDate()) };
}

function weekTitle(week: ChartWeek): string {
  const first = new Date(`${week.date}T00:00:00Z`);
  const last = new Date(first.getTime() + 6 * 86_400_000);
  const sameMonth = first.getUTCMonth() === last.getUTCMonth();
  const from = `${first.getUTCDate()}${sameMonth ? '' : ` ${MONTHS[first.getUTCMonth()]}`}`;
  return `${from}–${last.getUTCDate()} ${MONTHS[last.getUTCMonth()]} ${last.getUTCFullYear()}`;
}

function renderBar(bar: ChartBar, positions: Positions): Markup {
  const { request } = bar.occurrence;
  const classes = [
    'chart-bar',
    `impact-${request.impact}`,
    `lane-${bar.lane}`,
    positions.of(bar, bar.anchorRight),
    request.status === 'cancelled' ? 'is-cancelled' : '',
    request.type === 'emergency' ? 'is-emergency' : '',
    bar.fromEarlier ? 'from-earlier' : '',
    bar.intoLater ? 'into-later' : '',
  ]
    .filter(Boolean)
    .join(' ');
  // The rest of an occurrence that crosses into another week is drawn, not linked twice.
  if (!bar.primary) return markup`<span class="${`${classes} is-continuation`}" aria-hidden="true"></span>`;
  const label = barLabel(bar);
  return markup`<a class="${classes}" href="${`#${occurrenceId(bar.occurrence)}`}" title="${label}" data-chart-bar><span class="visually-hidden">${label}</span></a>`;
}

function renderRow(row: ChartRow, week: ChartWeek, positions: Positions): Markup {
  const bands = [
    ...row.windows.map((w) => markup`<span class="${`chart-band window ${positions.of(w)}`}"></span>`),
    ...row.freezes.map((f) => markup`<span class="${`chart-band freeze ${positions.of(f)}`}"></span>`),
  ];
  const today = week.days.findIndex((d) => d.today);
  const marks = [
    today >= 0 &&
      markup`<span class="${`chart-today ${positions.of({ left: today / 7, width: 1 / 7 })}`}"></span>`,
    week.now !== undefined &&
      markup`<span class="${`chart-now ${positions.of({ left: week.now, width: 0 })}`}"></span>`,
  ];
  return markup`<div class="${`chart-row lanes-${row.lanes}`}">
<div class="chart-env">${row.environment}</div>
<div class="chart-track"><span class="chart-marks" aria-hidden="true">${bands}${marks}</span>${row.bars.map((bar) => renderBar(bar, positions))}</div>
</div>`;
}

function renderWeek(week: ChartWeek, positions: Positions, index: number): Markup {
  const id = `chart-week-${week.date}`;
  const current = week.now !== undefined;
  const days = week.days.map((day) => {
    const { weekday, day: number } = dayLabel(day.date);
    return markup`<li${day.today ? markup` class="is-today"` : ''}><span class="chart-weekday">${weekday}</span> ${number}${day.today ? markup` <span class="chart-today-label">today</span>` : ''}</li>`;
  });
  return markup`<div class="chart-week" role="group" aria-labelledby="${id}">
<h3 class="chart-week-heading" id="${id}">${weekTitle(week)}${current ? markup` <span class="relative">this week</span>` : index === 1 ? markup` <span class="relative">next week</span>` : ''}</h3>
<div class="chart-axis" aria-hidden="true"><span class="chart-env"></span><ol class="chart-days">${days}</ol></div>
${week.rows.map((row) => renderRow(row, week, positions))}
</div>`;
}

/** The same as the chart, in words: per environment its windows, freezes and maintenance. */
function renderText(chart: Chart, policy: Policy, now: number): Markup {
  const first = chart.weeks[0];
  const last = chart.weeks[chart.weeks.length - 1];
  if (!first || !last) return markup``;
  const environments = first.rows.map((row) => row.environment);
  const sections = environments.map((environment, r) => {
    const spec = policy.environments[environment];
    const windows = !spec
      ? 'none: the policy does not name this environment'
      : spec.anytime
        ? 'any time'
        : spec.windows.map((w) => describeWindow(w, first.start)).join('; ');
    const freezes = new Map<string, Markup>();
    const bars: ChartBar[] = [];
    for (const week of chart.weeks) {
      const row = week.rows[r]!;
      for (const f of row.freezes)
        freezes.set(
          `${f.period.name}|${f.period.start}`,
          markup`<li>${f.period.name}: <time datetime="${isoUtc(f.period.start)}">${describePeriod(f.period, chart.zone)}</time></li>`,
        );
      bars.push(...row.bars.filter((bar) => bar.primary));
    }
    const work = bars.map(
      (bar) =>
        markup`<li><a href="${`#${occurrenceId(bar.occurrence)}`}">${bar.occurrence.request.title}</a>: ${barFacts(bar)}</li>`,
    );
    const headingId = `chart-text-${idToken(environment)}`;
    return markup`<h3 id="${headingId}">${environment}</h3>
<ul aria-labelledby="${headingId}">
<li>Allowed windows: ${windows}</li>
<li>Change freezes: ${freezes.size === 0 ? 'none' : markup`<ul>${[...freezes.values()]}</ul>`}</li>
<li>Maintenance: ${work.length === 0 ? 'none' : markup`<ul>${work}</ul>`}</li>
</ul>`;
  });
  return markup`<details class="chart-text" id="chart-text">
<summary>The timeline as text</summary>
<p>From ${formatDay(first.start, chart.zone)} to ${formatDay(last.end - 1, chart.zone)}; today is ${formatDay(now, chart.zone)}.</p>
${sections}
</details>`;
}

export function renderChart(chart: Chart, policy: Policy, now: number): RenderedChart {
  const positions = new Positions();
  const weeks = chart.weeks.map((week, i) => renderWeek(week, positions, i));
  const html = markup`<section class="panel chart" id="timeline" aria-labelledby="timeline-heading">
<h2 id="timeline-heading">Timeline</h2>
<p class="section-intro chart-intro">The next ${chart.weeks.length} weeks, one row per environment: its allowed windows, change freezes and each maintenance as a bar by impact. Select a bar for its entry below. Days in ${chart.zone}.</p>
<ul class="chart-legend">
<li><span class="chart-key window" aria-hidden="true"></span> Allowed window</li>
<li><span class="chart-key freeze" aria-hidden="true"></span> Change freeze</li>
<li><span class="chart-key impact-low" aria-hidden="true"></span> Low impact (short bar)</li>
<li><span class="chart-key impact-medium" aria-hidden="true"></span> Medium impact</li>
<li><span class="chart-key impact-high" aria-hidden="true"></span> High impact (full height)</li>
<li><span class="chart-key is-cancelled" aria-hidden="true"></span> Cancelled (struck through)</li>
<li><span class="chart-key today" aria-hidden="true"></span> Today</li>
</ul>
<p class="chart-skip"><a href="#chart-text">Skip to the timeline as text</a></p>
<div class="chart-weeks">
${weeks}
</div>
${renderText(chart, policy, now)}
</section>`;
  const lanes = Math.max(1, ...chart.weeks.flatMap((w) => w.rows.map((r) => r.lanes)));
  return { html, css: positions.stylesheet(lanes) };
}
