// The timeline's stylesheet: a constant, hashed into the page's CSP with the positions and lane
// heights chart.ts adds (a 1.25rem lane per bar stacked in a row; a row of one lane is 1.75rem).

/*
 * Bars are coloured by impact and also differ in height (low short, high full), so impact does not rest
 * on colour alone; their colours keep 3:1 against the track. A cancelled bar is pale (its border in
 * the impact's colour), full height so the line through it shows, and struck through.
 */
export const CHART_STYLESHEET = `
.chart-intro { margin: 0 0 0.5rem; }
.chart-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0 0 0.5rem; padding: 0;
  font-size: 0.875rem; }
.chart-key { display: inline-block; position: relative; width: 1.5rem; height: 0.875rem; vertical-align: -0.125rem;
  border: 1px solid var(--line); border-radius: 3px; background: #ffffff; }
.chart-key.window { background: #d1f4da; box-shadow: inset 0 -3px 0 #2da44e; }
.chart-key.freeze, .chart-band.freeze { background: repeating-linear-gradient(135deg, #8250df 0 2px, #fbefff 2px 7px); }
.chart-key.impact-low, .chart-bar.impact-low { background: #1a7f37; border-color: #1a7f37; }
.chart-key.impact-medium, .chart-bar.impact-medium { background: #9a6700; border-color: #9a6700; }
.chart-key.impact-high, .chart-bar.impact-high { background: #cf222e; border-color: #cf222e; }
.chart-key.is-cancelled, .chart-bar.is-cancelled { background: #ffffff; border: 2px solid #57606a; }
.chart-bar.is-cancelled.impact-low { border-color: #1a7f37; background: #dafbe1; }
.chart-bar.is-cancelled.impact-medium { border-color: #9a6700; background: #fff8c5; }
.chart-bar.is-cancelled.impact-high { border-color: #cf222e; background: #ffebe9; }
.chart-key.is-cancelled::after, .chart-bar.is-cancelled::after { content: ""; position: absolute; left: -2px; right: -2px;
  top: calc(50% - 1px); height: 2px; background: #24292f; }
.chart-key.today { background: #ddf4ff; box-shadow: inset 2px 0 0 #0550ae; }
.chart-skip { margin: 0 0 0.75rem; font-size: 0.875rem; }
.chart-weeks { display: grid; gap: 1rem; }
.chart-week-heading { font-size: 1rem; margin: 0 0 0.25rem; }
.chart-week-heading .relative { color: var(--muted); font-weight: 400; }
.chart-axis, .chart-row { display: grid; grid-template-columns: 8.5rem minmax(0, 1fr); }
.chart-days { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(7, minmax(0, 1fr));
  font-size: 0.8125rem; color: var(--muted); }
.chart-days li { padding: 0 0.25rem; border-left: 1px solid var(--line); white-space: nowrap; overflow: hidden; }
.chart-days li.is-today { color: #0550ae; font-weight: 700; background: #ddf4ff; }
.chart-env { font-size: 0.875rem; font-weight: 600; padding-right: 0.5rem; align-self: center; overflow-wrap: anywhere; }
.chart-track { position: relative; height: 1.75rem; background-color: #ffffff; border: 1px solid var(--line);
  border-top-width: 0; background-image: linear-gradient(to right, var(--line) 1px, transparent 1px);
  background-size: calc(100% / 7) 100%; }
.chart-row:first-of-type .chart-track, .chart-axis + .chart-row .chart-track { border-top-width: 1px; }
.chart-marks { position: absolute; inset: 0; }
.chart-band, .chart-today, .chart-now { position: absolute; top: 0; bottom: 0; }
.chart-band.window { background: #d1f4da; box-shadow: inset 0 -3px 0 #2da44e; }
.chart-band.freeze { opacity: 0.8; }
.chart-today { background: rgba(84, 174, 255, 0.2); }
.chart-now { border-left: 2px solid #0550ae; margin-left: -1px; }
.chart-bar { position: absolute; display: block; top: 0; min-width: 0.75rem; height: 1rem; margin-top: 0.375rem;
  border: 1px solid; border-radius: 3px; z-index: 1; }
.chart-bar.impact-low { height: 0.5rem; margin-top: 0.875rem; }
.chart-bar.impact-medium { height: 0.75rem; margin-top: 0.625rem; }
.chart-bar.is-cancelled { height: 1rem; margin-top: 0.375rem; }
.chart-bar.from-earlier { border-top-left-radius: 0; border-bottom-left-radius: 0; }
.chart-bar.into-later { border-top-right-radius: 0; border-bottom-right-radius: 0; }
a.chart-bar:hover { filter: brightness(0.8); }
a.chart-bar:focus-visible { z-index: 3; }
.chart-text { margin-top: 1rem; }
.chart-text h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
.chart-text ul { margin: 0; padding-left: 1.25rem; }
.chart-text li { overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  .chart-axis, .chart-row { grid-template-columns: minmax(0, 1fr); }
  .chart-axis .chart-env { display: none; }
  .chart-env { padding: 0.375rem 0 0.125rem; }
  .chart-row .chart-track { border-top-width: 1px; }
  .chart-days { font-size: 0.75rem; }
  .chart-days li { padding: 0 1px; text-align: center; line-height: 1.25; }
  .chart-weekday { display: block; }
  .chart-today-label { display: none; }
}
`;
