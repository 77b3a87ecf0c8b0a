// The monthly maintenance metrics of the runbooks (on-time completion, duration against the estimate,
// overruns, rollback rate, missed windows, emergency share), overall and per environment and service,
// for the occurrences planned to start in a calendar month; with the policy and `now`, the process
// metrics too (process-metrics.ts: reviews, request processing, notification coverage). Actual
// times come from the state's log.
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { occurrencesBetween } from '../schedule/recurrence.ts';
import { isoUtc, startOfLocalDay } from '../schedule/time.ts';
import { actualTimes } from './apply.ts';
import { keyInterval, occurrenceKey, parseOccurrenceKey } from './keys.ts';
import { processMetrics, type ProcessInput, type ProcessMetrics } from './process-metrics.ts';
import { hasDone, stateOf, type LifecycleState, type StateMap } from './state.ts';

export type Outcome = LifecycleState | 'untracked';

/** One occurrence planned in the month, as the report saw it. */
export interface OccurrenceRecord {
  key: string;
  environment: string;
  services: string[];
  emergency: boolean;
  /** Its state; `untracked` when no state was recorded (the tick never saw it). */
  outcome: Outcome;
  plannedStart: string;
  plannedEnd: string;
  actualStart?: string;
  actualEnd?: string;
  /** Completed by its planned end. */
  onTime: boolean;
  /** Ran longer than its estimate, or was stopped at its hard limit. */
  overrun: boolean;
}

export interface Metrics {
  /** Occurrences planned to start in the month, cancelled ones included. */
  total: number;
  cancelled: number;
  completed: number;
  failed: number;
  rolledBack: number;
  /** Missed windows: never started before their window closed. */
  missed: number;
  /** Tracked and not final yet: scheduled, announced, reminded or in progress. */
  open: number;
  untracked: number;
  onTime: number;
  /** onTime / (completed + failed + rolled back + missed); null when none. */
  onTimeRate: number | null;
  /** Occurrences with an actual start and end. */
  measured: number;
  meanDurationMs: number | null;
  meanEstimateMs: number | null;
  /** (mean duration - mean estimate) / mean estimate: 0.08 is 8% longer than estimated. */
  durationDeviation: number | null;
  /** The runbooks' target: mean duration within 10% of the estimate. */
  withinTenPercent: boolean | null;
  overruns: number;
  /** rolled back / (completed + failed + rolled back); null when nothing ran. */
  rollbackRate: number | null;
  emergencies: number;
  /** emergencies / (total - cancelled); null when none. */
  emergencyShare: number | null;
}

export interface MonthlyReport {
  month: string;
  zone: string;
  from: string;
  to: string;
  overall: Metrics;
  byEnvironment: Record<string, Metrics>;
  byService: Record<string, Metrics>;
  occurrences: OccurrenceRecord[];
  /** State keys of the month whose request is not among the requests given. */
  unknownKeys: string[];
  /** Reviews, request processing and notification coverage (when the policy and `now` were given). */
  process?: ProcessMetrics;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

/** [start, end) of a calendar month (YYYY-MM) in a zone. */
export function monthInterval(month: string, zone: string): { start: number; end: number } {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`${month} is not a month such as 2026-11`);
  const year = Number(match[1]);
  const index = Number(match[2]);
  const next = index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
  return { start: startOfLocalDay(`${month}-01`, zone), end: startOfLocalDay(`${next}-01`, zone) };
}

export function monthlyReport(
  states: StateMap,
  requests: readonly MaintenanceRequest[],
  month: string,
  zone: string,
  context?: { policy: Pick<Policy, 'notice' | 'reminders'>; now: number },
): MonthlyReport {
  const { start: from, end: to } = monthInterval(month, zone);
  const byId = new Map(requests.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const records: OccurrenceRecord[] = [];
  const inputs: ProcessInput[] = [];
  const add = (request: MaintenanceRequest, key: string, start: number, end: number) => {
    if (seen.has(key) || start < from || start >= to) return;
    seen.add(key);
    records.push(recordOf(request, key, start, end, states));
    inputs.push({ request, plannedStart: start, state: stateOf(states, key) });
  };
  for (const request of requests) {
    for (const o of occurrencesBetween(request, from, to))
      add(request, occurrenceKey(request, o.start), o.start, o.end);
  }
  const unknownKeys: string[] = [];
  for (const key of Object.keys(states)) {
    if (seen.has(key)) continue;
    const parsed = parseOccurrenceKey(key);
    const request = parsed && byId.get(parsed.id);
    const interval = request && keyInterval(request, key);
    if (request && interval) add(request, key, interval.start, interval.end);
    else if (parsed?.local !== undefined && inMonth(parsed.local, month)) unknownKeys.push(key);
  }
  records.sort((a, b) => a.plannedStart.localeCompare(b.plannedStart) || a.key.localeCompare(b.key));

  const group = (keyOf: (r: OccurrenceRecord) => string[]) => {
    const groups = new Map<string, OccurrenceRecord[]>();
    for (const record of records)
      for (const name of keyOf(record)) groups.set(name, [...(groups.get(name) ?? []), record]);
    return Object.fromEntries(
      [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, rs]) => [name, metricsOf(rs)]),
    );
  };
  return {
    month,
    zone,
    from: isoUtc(from),
    to: isoUtc(to),
    overall: metricsOf(records),
    byEnvironment: group((r) => [r.environment]),
    byService: group((r) => [...new Set(r.services)]),
    occurrences: records,
    unknownKeys: unknownKeys.sort(),
    ...(context ? { process: processMetrics(inputs, context.policy, context.now) } : {}),
  };
}

function inMonth(local: string, month: string): boolean {
  return local.startsWith(`${month}-`);
}

function recordOf(
  request: MaintenanceRequest,
  key: string,
  start: number,
  end: number,
  states: StateMap,
): OccurrenceRecord {
  const state = stateOf(states, key);
  const actual = state ? actualTimes(state) : {};
  const outcome: Outcome = state?.state ?? (request.status === 'cancelled' ? 'cancelled' : 'untracked');
  const measured = actual.start !== undefined && actual.end !== undefined;
  return {
    key,
    environment: request.environment,
    services: request.services,
    emergency: request.type === 'emergency',
    outcome,
    plannedStart: isoUtc(start),
    plannedEnd: isoUtc(end),
    ...(actual.start !== undefined ? { actualStart: isoUtc(actual.start) } : {}),
    ...(actual.end !== undefined ? { actualEnd: isoUtc(actual.end) } : {}),
    onTime: outcome === 'completed' && actual.end !== undefined && actual.end <= end,
    overrun: (measured && actual.end! - actual.start! > end - start) || hasDone(state, 'stop'),
  };
}

function metricsOf(records: readonly OccurrenceRecord[]): Metrics {
  const count = (outcome: Outcome) => records.filter((r) => r.outcome === outcome).length;
  const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  const completed = count('completed');
  const failed = count('failed');
  const rolledBack = count('rolled-back');
  const missed = count('missed');
  const cancelled = count('cancelled');
  const untracked = count('untracked');
  const onTime = records.filter((r) => r.onTime).length;
  const measured = records.filter((r) => r.actualStart !== undefined && r.actualEnd !== undefined);
  const mean = (values: number[]) =>
    values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  const meanDurationMs = mean(measured.map((r) => Date.parse(r.actualEnd!) - Date.parse(r.actualStart!)));
  const meanEstimateMs = mean(measured.map((r) => Date.parse(r.plannedEnd) - Date.parse(r.plannedStart)));
  const durationDeviation =
    meanDurationMs === null || !meanEstimateMs ? null : (meanDurationMs - meanEstimateMs) / meanEstimateMs;
  const emergencies = records.filter((r) => r.emergency && r.outcome !== 'cancelled').length;
  return {
    total: records.length,
    cancelled,
    completed,
    failed,
    rolledBack,
    missed,
    open: records.length - cancelled - completed - failed - rolledBack - missed - untracked,
    untracked,
    onTime,
    onTimeRate: ratio(onTime, completed + failed + rolledBack + missed),
    measured: measured.length,
    meanDurationMs,
    meanEstimateMs,
    durationDeviation,
    withinTenPercent: durationDeviation === null ? null : Math.abs(durationDeviation) <= 0.1,
    overruns: records.filter((r) => r.overrun).length,
    rollbackRate: ratio(rolledBack, completed + failed + rolledBack),
    emergencies,
    emergencyShare: ratio(emergencies, records.length - cancelled),
  };
}
