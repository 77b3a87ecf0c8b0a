// The VTIMEZONE of a tz database zone, written from the same tzdata tables the engine computes
// with (schedule/zone-rules.ts), so a calendar reading the feed finds exactly the engine's offsets
// from the feed's first instant on, for ever:
// - the zone's POSIX TZ rule as one STANDARD and one DAYLIGHT component with a yearly RRULE, from
//   its first change (what Outlook maps to its own zones, and all a zone needs when its rule is all
//   the feed's span sees: the common case);
// - the listed transitions from the one in force at the feed's first instant, one component per
//   kind of change with an RDATE line per change (each on its own line: ical.js reads one value per
//   RDATE), the first repeated as DTSTART;
// - a rule change no RRULE can say (Cairo's "24:00 after the last Thursday of October" is 1 November
//   in some years) as RDATEs up to LAST_RULE_YEAR.
// Each onset is written in the local time before it (TZOFFSETFROM), as RFC 5545 and readers have it.
import { transitionsOfYear, utcYear, type LocalTimeType, type PosixRule } from '../schedule/posix-tz.ts';
import type { Transition, ZoneRules } from '../schedule/zone-rules.ts';

/** Rule changes an RRULE cannot say are written as RDATEs up to this year. */
export const LAST_RULE_YEAR = 2100;

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY_SECONDS = 86_400;
/** The fewest days each month has (February 28). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type Kind = 'STANDARD' | 'DAYLIGHT';

interface Component {
  kind: Kind;
  before: LocalTimeType;
  after: LocalTimeType;
  /** UTC instants (ms) of the onsets, ascending; with an RRULE, only the first. */
  onsets: number[];
  rrule?: string;
}

/**
 * STANDARD or DAYLIGHT. Where DST starts or ends, the side with the larger offset is DAYLIGHT, as
 * calendars expect, even where tzdata calls the smaller one daylight time (Dublin's winter GMT,
 * Morocco's Ramadan +00); otherwise tzdata's DST flag says.
 */
function kindOf(before: LocalTimeType, after: LocalTimeType): Kind {
  if (before.isDst !== after.isDst) return after.offset > before.offset ? 'DAYLIGHT' : 'STANDARD';
  return after.isDst ? 'DAYLIGHT' : 'STANDARD';
}

function pad(n: number, width = 2): string {
  return String(Math.trunc(n)).padStart(width, '0');
}

/** `+0100`, `-0330`, `+004430` (seconds only when there are some). */
function utcOffset(seconds: number): string {
  const abs = Math.abs(seconds);
  const s = abs % 60;
  return `${seconds < 0 ? '-' : '+'}${pad(abs / 3600)}${pad((abs % 3600) / 60)}${s ? pad(s) : ''}`;
}

/** yyyyMMddTHHmmss of an instant (ms) at an offset (seconds). */
function localStamp(instant: number, offset: number): string {
  const d = new Date(instant + offset * 1000);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/**
 * The RRULE of a POSIX rule's dates, or undefined if none says them so that every reader expands it
 * alike. The time of day comes from DTSTART; a time past 24:00 or before 00:00 moves the day: the
 * Sunday after the first Saturday is the Sunday among days 2 to 8 (BYDAY=SU;BYMONTHDAY=2,...,8).
 */
export function rruleOf(rule: PosixRule): string | undefined {
  const { date } = rule;
  if (date.form !== 'M') return undefined;
  const shift = Math.floor(rule.time / DAY_SECONDS);
  const month = `FREQ=YEARLY;BYMONTH=${date.month}`;
  const weekday = WEEKDAYS[(((date.weekday + shift) % 7) + 7) % 7]!;
  if (shift === 0) return `${month};BYDAY=${date.week === 5 ? -1 : date.week}${weekday}`;
  const fewest = MONTH_DAYS[date.month - 1]!;
  // The days the weekday can fall on: for the last week, counted back from the month's end and
  // then forward again (ical.js finds nothing for negative BYMONTHDAY with BYDAY), which only a
  // month of fixed length allows: not February.
  let [low, high] = [7 * date.week - 6 + shift, 7 * date.week + shift];
  if (date.week === 5) {
    if (date.month === 2) return undefined;
    [low, high] = [fewest - 6 + shift, fewest + shift];
  }
  if (low < 1 || high > fewest) return undefined;
  const days = Array.from({ length: 7 }, (_, i) => low + i).join(',');
  return `${month};BYDAY=${weekday};BYMONTHDAY=${days}`;
}

/** The rule's components: an RRULE each where one says the dates, else RDATEs to LAST_RULE_YEAR. */
function ruleComponents(zone: ZoneRules): Component[] {
  const rule = zone.rule;
  if (!rule?.dst) return [];
  const dst = rule.dst.type;
  const firstYear = Number.isFinite(zone.ruleFrom) ? utcYear(zone.ruleFrom / 1000) : 1970;
  const after = Number.isFinite(zone.ruleFrom) ? zone.ruleFrom : Date.UTC(1970, 0, 1);
  const components: Component[] = [];
  for (const [index, posixRule] of [rule.dst.start, rule.dst.end].entries()) {
    const [before, next] = index === 0 ? [rule.std, dst] : [dst, rule.std];
    const onsets: number[] = [];
    for (let year = firstYear; year <= LAST_RULE_YEAR; year++) {
      const at = transitionsOfYear(rule, year)[index]!.at * 1000;
      if (at > after) onsets.push(at);
    }
    const rrule = rruleOf(posixRule);
    components.push({
      kind: kindOf(before, next),
      before,
      after: next,
      onsets: rrule ? onsets.slice(0, 1) : onsets,
      ...(rrule ? { rrule } : {}),
    });
  }
  return components;
}

/**
 * Listed transitions grouped by kind and offsets, each group one component with its onsets. When
 * no rule follows, the last one starts the zone's time for good: STANDARD, whatever tzdata calls it
 * (Windhoek's +02 since 2017 was its summer time), as readers want one STANDARD at least.
 */
function listedComponents(transitions: readonly Transition[], lastForGood: boolean): Component[] {
  const groups = new Map<string, Component>();
  for (const [i, { at, before, after }] of transitions.entries()) {
    const kind = lastForGood && i === transitions.length - 1 ? 'STANDARD' : kindOf(before, after);
    const key = `${kind} ${before.offset} ${after.offset} ${after.abbr}`;
    const group = groups.get(key);
    if (group) group.onsets.push(at);
    else groups.set(key, { kind, before, after, onsets: [at] });
  }
  return [...groups.values()];
}

function componentText(component: Component): string[] {
  const { kind, before, after, onsets, rrule } = component;
  const stamps = onsets.map((at) => localStamp(at, before.offset));
  return [
    `BEGIN:${kind}`,
    `TZNAME:${after.abbr}`,
    `TZOFFSETFROM:${utcOffset(before.offset)}`,
    `TZOFFSETTO:${utcOffset(after.offset)}`,
    `DTSTART:${stamps[0]}`,
    ...(rrule ? [`RRULE:${rrule}`] : stamps.length > 1 ? stamps.map((s) => `RDATE:${s}`) : []),
    `END:${kind}`,
  ];
}

/**
 * The VTIMEZONE lines of a zone under the name `tzid`, true from `from` (ms, the earliest instant
 * the feed writes in it) on.
 */
export function vtimezoneLines(tzid: string, zone: ZoneRules, from: number): string[] {
  // A day's margin, so that local times near `from` read across a change still find it.
  from -= 86_400_000;
  const rule = ruleComponents(zone);
  const firstRuleOnset = Math.min(...rule.map((c) => c.onsets[0] ?? Infinity));
  const listed = zone.listedTransitions();
  let components: Component[];
  if (firstRuleOnset <= from) {
    components = rule;
  } else {
    // From the listed transition in force at `from` on, or from 1970 (local midnight) with its type.
    const inForce = listed.findLastIndex((t) => t.at <= from);
    const first: Component[] = [];
    if (inForce < 0) {
      const type = zone.typeAt(Date.UTC(1970, 0, 1));
      const start = Math.min(from, Date.UTC(1970, 0, 1) - type.offset * 1000);
      const kind = type.isDst && rule.length > 0 ? 'DAYLIGHT' : 'STANDARD';
      first.push({ kind, before: type, after: type, onsets: [start] });
    }
    const lastForGood = rule.length === 0;
    components = [...first, ...listedComponents(listed.slice(Math.max(inForce, 0)), lastForGood), ...rule];
  }
  components.sort((a, b) => a.onsets[0]! - b.onsets[0]!);
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    `X-LIC-LOCATION:${tzid}`,
    ...components.flatMap(componentText),
    'END:VTIMEZONE',
  ];
}
