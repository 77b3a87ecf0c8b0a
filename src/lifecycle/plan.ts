// The lifecycle state machine: (requests, states, policy, now) -> the actions a tick should take.
// Pure. Each occurrence's actions are planned against its recorded state, applied to a copy, and
// planned again until nothing more is due, so a tick does in one pass all that is due (a miss and
// the silence it lifts) and nothing that is done or skipped is ever planned again.
import type { RequestParse } from '../model/request.ts';
import type { EnvironmentPolicy, MaintenanceRequest, Policy } from '../model/types.ts';
import { isoUtc } from '../schedule/time.ts';
import { WindowCalendar } from '../schedule/windows.ts';
import { actualTimes, applyAction } from './apply.ts';
import { keyInterval, occurrenceKey, occurrenceOfKey, parseOccurrenceKey } from './keys.ts';
import { reminderMoment, reviewRemindersDue } from './review.ts';
import { LOOK_AHEAD_MS, LOOK_BACK_MS, announcementMoment, occurrencesInView, type View } from './select.ts';
import {
  FINAL_STATES,
  coherentState,
  hasDone,
  isAnnounced,
  isHandled,
  isSettled,
  isSilenced,
  stateOf,
  type OccurrenceState,
  type PlannedAction,
  type StateMap,
} from './state.ts';
import {
  firstReminderLead,
  hardLimit,
  mayStart,
  missedFrom,
  remindersFor,
  timelineOf,
  type Timeline,
} from './timeline.ts';

/** A request file as read: parsed into a request, or not (then its findings say why). */
export type RequestSource = Pick<RequestParse, 'id' | 'path' | 'request' | 'findings'>;

export interface PlanInput {
  requests: readonly RequestSource[];
  states: StateMap;
  policy: Policy;
  now: number;
  /** Default LOOK_AHEAD_MS. */
  lookAheadMs?: number;
  /** Default LOOK_BACK_MS. */
  lookBackMs?: number;
}

/** Something the tick could not act on; it skipped it and went on. */
export interface PlanProblem {
  /** The request id or occurrence key, when there is one. */
  id?: string;
  file?: string;
  message: string;
}

/** An occurrence the tick looked at. */
export interface PlanOccurrence {
  key: string;
  request: MaintenanceRequest;
  timeline: Timeline;
  /** The request no longer has it (an exdate or a new recurrence since): due a cancel if announced. */
  removed: boolean;
}

export interface Plan {
  actions: PlannedAction[];
  problems: PlanProblem[];
  occurrences: PlanOccurrence[];
}

export function planTick(input: PlanInput): Plan {
  const view: View = {
    now: input.now,
    lookAheadMs: input.lookAheadMs ?? LOOK_AHEAD_MS,
    lookBackMs: input.lookBackMs ?? LOOK_BACK_MS,
  };
  const { policy } = input;
  const problems = policyProblems(policy);
  const { usable, unusable } = usableRequests(input.requests, policy, problems);

  const windowsOf = (environment: string) => calendarOf(policy.environments[environment]!);

  const occurrences = new Map<string, PlanOccurrence>();
  for (const request of usable.values()) {
    for (const interval of occurrencesInView(request, firstReminderLead(request, policy), view)) {
      const key = occurrenceKey(request, interval.start);
      const timeline = timelineOf(request, interval, policy, windowsOf(request.environment));
      occurrences.set(key, { key, request, timeline, removed: false });
    }
  }
  for (const [key, state] of Object.entries(input.states)) {
    if (occurrences.has(key) || isSettled(state)) continue;
    const parsed = parseOccurrenceKey(key);
    if (!parsed) {
      problems.push({ id: key, message: 'is not an occurrence key (<id> or <id>@yyyy-MM-ddTHH:mm)' });
      continue;
    }
    if (unusable.has(parsed.id)) continue;
    const request = usable.get(parsed.id);
    const interval = request && keyInterval(request, key);
    if (!request || !interval) {
      problems.push({
        id: key,
        message: request
          ? `does not name an occurrence of ${request.file}; its ${state.state} state is left as it is`
          : `no request file has the id ${parsed.id}; its ${state.state} state is left as it is (cancel by setting status: cancelled, not by deleting the file)`,
      });
      continue;
    }
    const timeline = timelineOf(request, interval, policy, windowsOf(request.environment));
    const removed = occurrenceOfKey(request, key) === undefined;
    occurrences.set(key, { key, request, timeline, removed });
  }

  const ordered = [...occurrences.values()].sort(
    (a, b) => a.timeline.start - b.timeline.start || a.key.localeCompare(b.key),
  );
  const actions = ordered.flatMap((o) => planOccurrence(o, stateOf(input.states, o.key), view));
  return { actions, problems, occurrences: ordered };
}

// Window calendars cache the days they were asked about; keep one per policy environment across ticks.
const calendars = new WeakMap<EnvironmentPolicy, WindowCalendar>();

/** The allowed windows of an environment; undefined when work may happen at any time. */
function calendarOf(environment: EnvironmentPolicy): WindowCalendar | undefined {
  if (environment.anytime) return undefined;
  let calendar = calendars.get(environment);
  if (!calendar) calendars.set(environment, (calendar = new WindowCalendar(environment.windows)));
  return calendar;
}

/** The actions due for one occurrence, in the order to take them. */
export function planOccurrence(
  occurrence: PlanOccurrence,
  recorded: OccurrenceState | undefined,
  view: View,
): PlannedAction[] {
  const planned: PlannedAction[] = [];
  let state = coherentState(recorded);
  // Three rounds reach every follow-up: pending -> in-progress or final -> unsilence.
  for (let round = 0; round < 3; round++) {
    const batch = dueNow(occurrence, state, view);
    let progressed = false;
    for (const action of batch) {
      const outcome = applyAction(state, action, view.now);
      if (!outcome.ok) continue;
      state = outcome.state;
      planned.push(action);
      progressed = true;
    }
    if (!progressed) break;
  }
  return planned;
}

function dueNow(occurrence: PlanOccurrence, state: OccurrenceState | undefined, view: View): PlannedAction[] {
  const { key: id, timeline } = occurrence;
  const { now } = view;
  const due = (action: PlannedAction['action'], at: number, note?: string): PlannedAction => ({
    id,
    action,
    at: isoUtc(at),
    ...(note ? { note } : {}),
  });
  const phase = state?.state ?? 'scheduled';

  if (FINAL_STATES.has(phase)) {
    const out = isSilenced(state)
      ? [due('unsilence', endedAt(state!) ?? now, `the maintenance is ${phase}`)]
      : [];
    // Each review reminder once, however late the tick: a late one is still worth sending.
    for (const reminder of reviewRemindersDue(state, now))
      out.push(due(reminder.name, reminderMoment(state!.review!, reminder), `the ${reminder.what} is due`));
    return out;
  }

  if (phase === 'in-progress') {
    const limit = hardLimit(timeline, actualTimes(state!).start);
    const out: PlannedAction[] = [];
    if (!isHandled(state, 'silence') && now < limit) out.push(due('silence', timeline.silenceAt));
    if (now >= limit && !hasDone(state, 'stop'))
      out.push(
        due(
          'stop',
          limit,
          timeline.window ? 'its window closes' : 'it ran its full duration past the planned end',
        ),
      );
    return out;
  }

  // Not started: announce, remind, silence, then start, miss or cancel.
  if (occurrence.request.status === 'cancelled' || occurrence.removed) {
    if (!isAnnounced(state)) return [];
    return [
      due(
        'cancel',
        now,
        occurrence.removed ? 'the occurrence was removed from its series' : 'the request was cancelled',
      ),
    ];
  }
  const canStart = mayStart(timeline, now);
  const missed = !canStart && now >= timeline.start;
  const announcing = !isAnnounced(state) && !missed;
  const out: PlannedAction[] = [];
  if (announcing) {
    const moment = occurrence.request.series
      ? Math.min(now, announcementMoment(timeline, timeline.leadMs, view))
      : now; // a plain request is due its announcement from its merge, which only GitHub knows
    out.push(due('announce', moment));
  }
  const reminders = timeline.reminders.filter((r) => r.at <= now && !isHandled(state, r.name));
  const send = announcing || canStart || missed ? undefined : reminders[reminders.length - 1];
  for (const reminder of reminders) {
    if (reminder === send) out.push(due(reminder.name, reminder.at));
    else
      out.push(
        due(
          `skip:${reminder.name}`,
          reminder.at,
          announcing
            ? 'the announcement covers it'
            : canStart
              ? 'the start has come'
              : missed
                ? 'the maintenance was missed'
                : `${send!.name} supersedes it`,
        ),
      );
  }
  if (!isHandled(state, 'silence') && now >= timeline.silenceAt && (canStart || now < timeline.start))
    out.push(due('silence', timeline.silenceAt));
  if (canStart) out.push(due('start', timeline.start));
  if (missed)
    out.push(
      due(
        'miss',
        missedFrom(timeline),
        timeline.window ? 'it no longer fits in its window' : 'its planned end passed before it started',
      ),
    );
  return out;
}

/** When the work ended: its recorded end, else when its final state was recorded. */
function endedAt(state: OccurrenceState): number | undefined {
  const end = actualTimes(state).end;
  if (end !== undefined) return end;
  const finals = ['miss', 'cancel', 'complete', 'fail', 'rollback'];
  const entry = state.log?.findLast((e) => finals.includes(e.action));
  const at = entry === undefined ? NaN : Date.parse(entry.at);
  return Number.isNaN(at) ? undefined : at;
}

function policyProblems(policy: Policy): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const key of ['low', 'medium', 'high', 'emergency'] as const) {
    const { invalid } = remindersFor(
      key === 'emergency' ? { type: 'emergency', impact: 'low' } : { type: 'standard', impact: key },
      policy,
    );
    for (const offset of invalid)
      problems.push({
        message: `the policy's ${key} reminder ${offset} is not a positive duration; ignored`,
      });
  }
  return problems;
}

/** Requests a tick can act on, by id; ids it cannot (unparsed, duplicated, unknown environment). */
function usableRequests(
  sources: readonly RequestSource[],
  policy: Policy,
  problems: PlanProblem[],
): { usable: Map<string, MaintenanceRequest>; unusable: Set<string> } {
  const byId = new Map<string, RequestSource[]>();
  for (const source of sources) byId.set(source.id, [...(byId.get(source.id) ?? []), source]);
  const usable = new Map<string, MaintenanceRequest>();
  const unusable = new Set<string>();
  for (const [id, files] of byId) {
    const [file] = files;
    const skip = (message: string, path?: string) => {
      problems.push({ id, ...(path ? { file: path } : {}), message });
      unusable.add(id);
    };
    if (files.length > 1) {
      skip(`the id is used by ${files.map((f) => f.path).join(', ')}; skipped until one is renamed`);
    } else if (!file!.request) {
      const error = file!.findings.find((f) => f.severity === 'error');
      skip(`no longer parses${error ? ` (line ${error.line}: ${error.message})` : ''}; skipped`, file!.path);
    } else if (!policy.environments[file!.request.environment]) {
      skip(`environment ${file!.request.environment} is not in the policy; skipped`, file!.path);
    } else {
      usable.set(id, file!.request);
    }
  }
  return { usable, unusable };
}
