// The moments of one maintenance occurrence: its reminders, the alert silence, until when it may
// start, and its hard limit once running. Derived from the request, the policy and the allowed windows.
import type { Interval, MaintenanceRequest, Policy } from '../model/types.ts';
import { parseIsoDuration } from '../schedule/time.ts';
import type { WindowCalendar, WindowOccurrence } from '../schedule/windows.ts';

export interface Reminder {
  /** The action name: `remind:P7D`. */
  name: `remind:${string}`;
  /** As the policy writes it: P7D. */
  offset: string;
  offsetMs: number;
  /** start - offset. */
  at: number;
}

export interface Timeline extends Interval {
  /** Latest first reminder lead (0 without reminders): the announcement should come before start - this. */
  leadMs: number;
  /** Sorted by moment, earliest first. */
  reminders: Reminder[];
  /** When the alert silence is due: start - policy.alerts.leadMs. */
  silenceAt: number;
  /**
   * The window occurrence the planned work lies in; undefined for an emergency, an any-time
   * environment, or work no window contains any more (the policy changed after the merge).
   */
  window?: WindowOccurrence;
  durationMs: number;
}

type ParsedReminders = { reminders: Omit<Reminder, 'at'>[]; invalid: string[] };

// Parsing ISO durations is most of a tick's work; a policy's lists are parsed once.
const parsedLists = new WeakMap<Policy['reminders'], Map<string, ParsedReminders>>();

/** The reminder offsets that apply to a request: the policy's list for its impact, or for emergencies. */
export function remindersFor(
  request: Pick<MaintenanceRequest, 'type' | 'impact'>,
  policy: Pick<Policy, 'reminders'>,
): ParsedReminders {
  const key = request.type === 'emergency' ? 'emergency' : request.impact;
  let lists = parsedLists.get(policy.reminders);
  if (!lists) parsedLists.set(policy.reminders, (lists = new Map()));
  let parsed = lists.get(key);
  if (!parsed) {
    parsed = { reminders: [], invalid: [] };
    for (const offset of new Set(policy.reminders[key] ?? [])) {
      const offsetMs = parseIsoDuration(offset);
      if (offsetMs === undefined || offsetMs <= 0) parsed.invalid.push(offset);
      else parsed.reminders.push({ name: `remind:${offset}`, offset, offsetMs });
    }
    lists.set(key, parsed);
  }
  return parsed;
}

/** How long before the start the first reminder is due (0 without reminders). */
export function firstReminderLead(
  request: Pick<MaintenanceRequest, 'type' | 'impact'>,
  policy: Pick<Policy, 'reminders'>,
): number {
  return Math.max(0, ...remindersFor(request, policy).reminders.map((r) => r.offsetMs));
}

export function timelineOf(
  request: MaintenanceRequest,
  occurrence: Interval,
  policy: Policy,
  windows: WindowCalendar | undefined,
): Timeline {
  const { reminders } = remindersFor(request, policy);
  const window = request.type === 'emergency' || !windows ? undefined : windows.containing(occurrence);
  return {
    start: occurrence.start,
    end: occurrence.end,
    durationMs: occurrence.end - occurrence.start,
    leadMs: Math.max(0, ...reminders.map((r) => r.offsetMs)),
    reminders: reminders
      .map((r) => ({ ...r, at: occurrence.start - r.offsetMs }))
      .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name)),
    silenceAt: occurrence.start - policy.alerts.leadMs,
    ...(window ? { window } : {}),
  };
}

/**
 * Whether the work may start at `now`: from the planned start while it still fits in its window
 * occurrence (now + duration <= window end); without a window, while now is before the planned end.
 */
export function mayStart(timeline: Timeline, now: number): boolean {
  if (now < timeline.start) return false;
  return timeline.window ? now + timeline.durationMs <= timeline.window.end : now < timeline.end;
}

/** From when it can no longer start: the last start that fits the window, or the planned end. */
export function missedFrom(timeline: Timeline): number {
  return timeline.window ? Math.max(timeline.start, timeline.window.end - timeline.durationMs) : timeline.end;
}

/**
 * When running work must stop (stop, roll back, report): the end of its window occurrence; without a
 * window, its planned end or its full duration from when it really started, whichever is later.
 */
export function hardLimit(timeline: Timeline, actualStart: number | undefined): number {
  if (timeline.window) return timeline.window.end;
  return Math.max(timeline.end, (actualStart ?? timeline.start) + timeline.durationMs);
}
