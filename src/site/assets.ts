// The page's inline stylesheet and filter script. Both are constants, hashed into the page's
// Content-Security-Policy, so they are the only style and script the page may run.

/*
 * Colours meet WCAG AA on their backgrounds (text >= 4.5:1, borders >= 3:1); impact is also always
 * written out, never shown by colour alone.
 */
export const STYLESHEET = `
:root {
  --text: #1f2328; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --card: #ffffff; --link: #0550ae;
  --focus: #0969da;
  --low: #1a7f37; --low-bg: #dafbe1; --low-text: #116329;
  --medium: #bf8700; --medium-bg: #fff8c5; --medium-text: #6f4400;
  --high: #cf222e; --high-bg: #ffebe9; --high-text: #a40e26;
  --freeze: #8250df; --freeze-bg: #fbefff; --freeze-text: #512a97;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
body { margin: 0; color: var(--text); background: var(--bg); }
a { color: var(--link); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
code { font: 0.875em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3;
  padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
.skip { position: absolute; left: 1rem; top: -3rem; background: var(--card); padding: 0.5rem 1rem;
  border: 2px solid var(--focus); z-index: 10; }
.skip:focus { top: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  clip-path: inset(50%); white-space: nowrap; }
.wrap { max-width: 68rem; margin: 0 auto; padding: 0 1.25rem; }
.site-header { background: #24292f; color: #ffffff; padding: 1.5rem 0 1.25rem; }
.site-header h1 { margin: 0 0 0.25rem; font-size: 1.75rem; line-height: 1.25; }
.site-header p { margin: 0; color: #d8dee4; }
.site-header a { color: #ffffff; }
.site-nav { background: #32383f; }
.site-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; margin: 0; padding: 0.5rem 0; }
.site-nav a { color: #ffffff; text-decoration: none; }
.site-nav a:hover { text-decoration: underline; }
main.wrap { padding-top: 1.5rem; padding-bottom: 2rem; }
h2 { font-size: 1.375rem; margin: 0 0 0.75rem; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem;
  margin-bottom: 1.5rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: 0.75rem;
  margin: 0 0 1rem; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem; background: var(--bg); }
.stats strong { display: block; font-size: 1.5rem; line-height: 1.2; }
.legend { margin: 0; color: var(--muted); font-size: 0.9375rem; }
.filters form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1.25rem; }
.filters label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.filters select, .filters button { font: inherit; padding: 0.375rem 0.625rem; border: 1px solid #6e7781;
  border-radius: 6px; background: var(--card); color: var(--text); min-width: 12rem; }
.filters button { min-width: 0; cursor: pointer; background: var(--bg); }
.count { margin: 0.75rem 0 0; font-weight: 600; }
.timeline { margin-bottom: 2rem; }
.timeline > h2 { margin-top: 0.5rem; }
.section-intro { color: var(--muted); margin: -0.5rem 0 1rem; }
.day { margin: 0 0 1.25rem; }
.day-heading { font-size: 1.0625rem; margin: 0 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--line); }
.day-heading .relative { color: var(--muted); font-weight: 400; }
.entries { display: grid; gap: 0.75rem; }
.item { background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--muted);
  border-radius: 8px; padding: 0.875rem 1.125rem; }
.item.impact-low { border-left-color: var(--low); }
.item.impact-medium { border-left-color: var(--medium); }
.item.impact-high { border-left-color: var(--high); }
.item.is-emergency { box-shadow: inset 0 3px 0 var(--high); }
.item.is-cancelled { background: #f6f8fa; border-left-style: dashed; }
.item.is-cancelled .item-title s { text-decoration-thickness: 2px; color: var(--muted); }
.item-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.75rem; margin-bottom: 0.25rem; }
.item-title { font-size: 1.125rem; margin: 0; line-height: 1.35; overflow-wrap: anywhere; }
.badges { margin: 0; display: flex; flex-wrap: wrap; gap: 0.375rem; }
.badge { display: inline-block; font-size: 0.8125rem; font-weight: 600; line-height: 1.4; padding: 0.0625rem 0.5rem;
  border-radius: 999px; border: 1px solid currentColor; }
.badge.impact-low { color: var(--low-text); background: var(--low-bg); }
.badge.impact-medium { color: var(--medium-text); background: var(--medium-bg); }
.badge.impact-high { color: var(--high-text); background: var(--high-bg); }
.badge.emergency { color: #ffffff; background: var(--high-text); border-color: var(--high-text); }
.badge.cancelled { color: #ffffff; background: #57606a; border-color: #57606a; }
.badge.live { color: #ffffff; background: #0550ae; border-color: #0550ae; }
.badge.past, .badge.neutral { color: #424a53; background: #eaeef2; }
.badge.freeze { color: var(--freeze-text); background: var(--freeze-bg); }
.when { margin: 0 0 0.25rem; font-weight: 600; }
.sep { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: 0 1.5rem; margin: 0 0 0.375rem; }
.summary .fact { display: flex; gap: 0.375rem; align-items: baseline; }
.summary dt { color: var(--muted); }
.summary dt::after { content: ":"; }
.summary dd { margin: 0; font-weight: 600; }
.notice { margin: 0 0 0.5rem; padding: 0.375rem 0.625rem; background: var(--bg); border-radius: 6px; }
.notice-label { font-weight: 600; }
.details { display: grid; grid-template-columns: 8rem 1fr; gap: 0.25rem 1rem; margin: 0; }
.details .fact { display: contents; }
.details dt { font-weight: 600; color: var(--muted); }
.details dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.details .prose dd { white-space: pre-line; }
details { margin-top: 0.375rem; }
details > summary { cursor: pointer; color: var(--link); width: max-content; max-width: 100%; }
details > .details { margin-top: 0.375rem; }
.same-as { margin: 0; color: var(--muted); }
.inline { list-style: none; margin: 0; padding: 0; display: inline; }
.inline li { display: inline; }
.inline li + li::before { content: "\\00b7" / ""; color: var(--muted); margin: 0 0.45em; }
.plain { list-style: none; margin: 0; padding: 0; }
.hint { color: var(--muted); }
.findings { margin-top: 0.75rem; border: 1px solid #d4a72c; background: #fff8c5; border-radius: 6px; padding: 0.5rem 0.75rem; }
.findings.has-errors { border-color: var(--high); background: var(--high-bg); }
.findings-title { margin: 0 0 0.25rem; font-weight: 700; }
.findings ul { margin: 0; padding-left: 1.25rem; }
.finding { overflow-wrap: anywhere; }
.finding-label { font-weight: 700; }
.finding-error .finding-label { color: var(--high-text); }
.rule { font-size: 0.8125rem; color: #424a53; border: 1px solid #8c959f; border-radius: 4px; padding: 0 0.25rem; }
.freeze-entry { border: 1px dashed var(--freeze); background: var(--freeze-bg); border-radius: 8px; padding: 0.625rem 1rem; }
.freeze-entry p { margin: 0.125rem 0; }
.freeze-entry .hint { color: #4c2889; }
.empty { color: var(--muted); font-style: italic; }
.feeds { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(min(21rem, 100%), 1fr)); }
.feed { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; min-width: 0; }
.feed-name { font-size: 1rem; margin: 0 0 0.25rem; }
.feed-url { margin: 0 0 0.5rem; font-size: 0.875rem; }
.feed-links { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.note { background: #ddf4ff; border: 1px solid #54aeff; border-radius: 6px; padding: 0.5rem 0.75rem; }
.site-footer { border-top: 1px solid var(--line); padding: 1rem 0 2rem; color: var(--muted); font-size: 0.9375rem; }
@media (max-width: 40rem) { .filters select { min-width: 0; width: 100%; } .filters form > div { flex: 1 1 100%; }
  .details { grid-template-columns: 1fr; } }
@media print { .site-nav, .filters, .skip { display: none !important; } body { background: #ffffff; }
  .item, .panel { break-inside: avoid; } }
`;

/*
 * Progressive enhancement: without JavaScript every entry is listed and the filter form stays hidden.
 * With it, the form appears; choosing an environment or a service hides the other entries and the
 * count (a live region) says how many remain. Freezes follow the environment filter only. The timeline
 * is not filtered; following one of its bars to a hidden entry clears the filters.
 */
export const FILTER_SCRIPT = `
(function () {
  'use strict';
  var panel = document.getElementById('filters');
  var form = document.getElementById('filter-form');
  var env = document.getElementById('filter-environment');
  var service = document.getElementById('filter-service');
  var count = document.getElementById('filter-count');
  var repository = document.getElementById('filter-repository');
  if (!panel || !form || !env || !service || !count) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll('[data-filter-item]'));
  var days = Array.prototype.slice.call(document.querySelectorAll('[data-day]'));
  var timelines = Array.prototype.slice.call(document.querySelectorAll('[data-timeline]'));
  function list(el, name) {
    try { var v = JSON.parse(el.getAttribute(name) || '[]'); return Array.isArray(v) ? v : []; }
    catch (e) { return []; }
  }
  var data = entries.map(function (el) {
    return { el: el, kind: el.getAttribute('data-filter-item'),
      envs: list(el, 'data-environments'), services: list(el, 'data-services'),
      repository: el.getAttribute('data-repository') };
  });
  var total = data.filter(function (d) { return d.kind === 'maintenance'; }).length;
  function noun(n) { return n === 1 ? 'maintenance item' : 'maintenance items'; }
  function apply() {
    var e = env.value, s = service.value, r = repository ? repository.value : '', shown = 0;
    data.forEach(function (d) {
      var match;
      if (d.kind === 'freeze') match = !e || d.envs.length === 0 || d.envs.indexOf(e) >= 0;
      else match = (!e || d.envs.indexOf(e) >= 0) && (!s || d.services.indexOf(s) >= 0) &&
        (!r || d.repository === r);
      if (match && d.kind !== 'freeze') shown++;
      d.el.hidden = !match;
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector('[data-filter-item]:not([hidden])');
    });
    timelines.forEach(function (section) {
      var none = section.querySelector('[data-no-match]');
      var item = '[data-filter-item="maintenance"]';
      if (none) none.hidden = !!section.querySelector(item + ':not([hidden])') || !section.querySelector(item);
    });
    var parts = [];
    if (r) parts.push('repository ' + r);
    if (e) parts.push('environment ' + e);
    if (s) parts.push('service ' + s);
    count.textContent = parts.length === 0
      ? 'Showing all ' + total + ' ' + noun(total) + '.'
      : 'Showing ' + shown + ' of ' + total + ' ' + noun(total) + ' (' + parts.join(', ') + ').';
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
  form.addEventListener('reset', function () { window.setTimeout(apply, 0); });
  // A timeline bar leads to its entry even when the filters hide it: they are cleared first.
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[data-chart-bar]') : null;
    var target = link && document.getElementById(link.getAttribute('href').slice(1));
    if (target && target.hidden) {
      env.value = ''; service.value = ''; if (repository) repository.value = ''; apply();
    }
  });
  panel.hidden = false;
  if (env.value || service.value || (repository && repository.value)) apply();
})();
`;
