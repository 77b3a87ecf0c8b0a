// A year of the run mode against the local GitHub API server: scheduled ticks every 15 minutes as
// GitHub delivers them (late up to an hour, sometimes dropped, sometimes twice, serialised by the
// workflow's concurrency group: one running, one pending, a newer trigger replacing the pending
// one), over generated requests that are merged, sometimes cancelled, and run by a fake executor;
// with the API failing a share of requests (502 before or after doing the work, hangs, secondary
// rate limits). Everything random is seeded.
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import { applyAction } from '../../src/lifecycle/apply.ts';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { FINAL_STATES, type OccurrenceState, type StateMap } from '../../src/lifecycle/state.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { RequestParse } from '../../src/model/request.ts';
import { runTick, type Executor } from '../../src/modes/run.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { prng } from '../helpers/prng.ts';
import { requestFile } from '../helpers/requests.ts';
import { TEMPLATES } from './support.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SimulationOptions {
  requests: number;
  days: number;
  seed: number;
  /** Share of API requests that fail (split among the fault kinds). */
  faultRate: number;
}

export interface SimulationResult {
  ticks: number;
  triggers: number;
  dropped: number;
  delayed: number;
  duplicated: number;
  replaced: number;
  apiRequests: number;
  faults: number;
  tickProblems: number;
  finalStates: Record<string, number>;
  issues: number;
  occurrencesWithIssue: number;
  noticesSent: number;
  remindersSkipped: number;
  executions: number;
  stepsRun: number;
  /** Every check the end state must pass, by name: the failures found (empty when all is well). */
  failures: string[];
  wallMs: number;
}

interface PlannedRequest {
  file: RequestParse;
  mergeAt: number;
  cancelAt?: number;
  manual: boolean;
}

/** Requests spread over the year: production, staging and development work, some monthly series. */
function generate(count: number, from: number, days: number, rand: () => number): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  for (let i = 0; out.length < count; i++) {
    const kind = rand();
    const dayStart = from + Math.floor(rand() * (days - 10) + 5) * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    let fields: Record<string, string>;
    if (kind < 0.5) {
      // production: Sunday 02:00-06:00 or Wednesday 02:00-04:00 windows
      const shift = weekday === 0 || weekday === 3 ? 0 : (7 - weekday) % 7; // to Sunday
      const start = dayStart + shift * DAY + 2 * HOUR + Math.floor(rand() * 4) * 15 * MINUTE;
      fields = {
        environment: 'production',
        start: iso(start),
        duration: '1h',
        impact: rand() < 0.6 ? 'low' : 'medium',
        services: `[svc-${i}]`,
      };
      if (fields.impact === 'medium') fields.duration = '90m';
    } else if (kind < 0.8) {
      fields = {
        environment: 'staging',
        start: iso(dayStart + 22 * HOUR),
        duration: '45m',
        impact: 'low',
        services: `[svc-${i}]`,
      };
    } else {
      fields = {
        environment: 'development',
        start: iso(dayStart + Math.floor(rand() * 24) * HOUR),
        duration: '30m',
        impact: 'low',
        services: `[svc-${i}]`,
      };
    }
    const series = rand() < 0.05;
    if (series) fields.recurrence = 'FREQ=MONTHLY;COUNT=3';
    const manual = rand() < 0.1;
    if (!manual) fields.steps = '[{name: work, run: ./work.sh}, {name: verify, run: ./verify.sh}]';
    const id = `sim-${String(i).padStart(3, '0')}`;
    const file = requestFile(id, { ...fields, title: `Simulated ${id}`, requester: 'alice' });
    if (!file.request) continue; // a generated time the schedule cannot take (a DST gap): try again
    const start = file.request.startsAt;
    const mergeAt = start - (1 + Math.floor(rand() * 20)) * DAY;
    const cancel = rand() < 0.06 ? start - Math.floor(rand() * 15) * DAY : undefined;
    out.push({ file, mergeAt, ...(cancel !== undefined ? { cancelAt: cancel } : {}), manual });
  }
  return out;
}

function cancelled(file: RequestParse): RequestParse {
  return { ...file, request: { ...file.request!, status: 'cancelled' } };
}

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const wallStarted = performance.now();
  const rand = prng(options.seed);
  const from = Date.parse('2027-01-01T00:00:00Z');
  const until = from + options.days * DAY;
  const clock = { now: from };
  const server: GitHubServer = await startGitHubServer({ clock: () => new Date(clock.now) });
  try {
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    server.seed.user('alice');
    const planned = generate(options.requests, from, options.days, rand);

    // Faults: 502 before or after the work is done, hangs (client timeout), secondary rate limits.
    const faultRand = prng(options.seed + 1);
    const share = options.faultRate;
    const api = /^\/(repos|orgs)\//;
    server.fail({ route: api, status: 502, probability: share * 0.45, random: faultRand, times: Infinity });
    server.fail({
      route: api,
      status: 502,
      probability: share * 0.25,
      random: faultRand,
      times: Infinity,
      afterHandling: true,
    });
    server.fail({
      route: api,
      rateLimit: 'secondary',
      status: 403,
      retryAfter: 1,
      probability: share * 0.25,
      random: faultRand,
      times: Infinity,
    });
    server.fail({ route: api, hang: true, probability: share * 0.05, random: faultRand, times: Infinity });

    const github = createMaintenanceRepo({
      token: 'ghs_sim',
      owner: 'acme',
      repo: 'ops',
      baseUrl: server.url,
      writeSpacingMs: 0,
      notificationSpacingMs: 0,
      requestTimeoutMs: 150,
      retries: false,
    });
    const policy = defaultPolicy();
    const manualIds = new Set(planned.filter((p) => p.manual).map((p) => p.file.id));

    // Steps that really ran: counted once their start was recorded (beforeEach returned).
    const stepRuns = new Map<string, number>();
    const executions = new Set<string>();
    const outcomes = prng(options.seed + 2);
    const execute: Executor = async (work, context) => {
      const occurrence = context.env.MAINT_OCCURRENCE!;
      executions.add(occurrence);
      const items = [];
      for (const [index, step] of work.steps.entries()) {
        const item = { phase: 'step' as const, index, name: step.name, key: `step:${index}` };
        await context.beforeEach(item);
        stepRuns.set(`${occurrence} ${item.key}`, (stepRuns.get(`${occurrence} ${item.key}`) ?? 0) + 1);
        items.push({ ...item, status: 'passed' as const, detail: 'exit code 0' });
      }
      clock.now += Math.floor(outcomes() * 40) * MINUTE; // the work takes time
      const roll = outcomes();
      if (roll < 0.85)
        return { outcome: 'completed', reason: 'All steps passed.', windowEndReached: false, items };
      if (roll < 0.95)
        return {
          outcome: 'rolled-back',
          reason: 'A check failed; the rollback ran.',
          windowEndReached: false,
          items,
        };
      return {
        outcome: 'failed',
        reason: 'A step failed and there was nothing to roll back.',
        windowEndReached: false,
        items,
      };
    };

    // The scheduler: triggers at :07 :22 :37 :52, delayed, dropped (sometimes for hours), doubled.
    const triggers: number[] = [];
    let dropped = 0;
    let delayed = 0;
    let duplicated = 0;
    let outageUntil = 0;
    for (let t = from + 7 * MINUTE; t < until; t += 15 * MINUTE) {
      if (t < outageUntil) {
        dropped++;
        continue;
      }
      const r = rand();
      if (r < 0.002) {
        outageUntil = t + (1 + Math.floor(rand() * 3)) * HOUR; // nothing at all for a while
        dropped++;
        continue;
      }
      if (r < 0.03) {
        dropped++;
        continue;
      }
      const late = r < 0.15 ? Math.floor(rand() * 60) * MINUTE : Math.floor(rand() * 5) * MINUTE;
      if (late > 5 * MINUTE) delayed++;
      triggers.push(t + late);
      if (rand() < 0.03) {
        duplicated++;
        triggers.push(t + late);
      }
    }
    triggers.sort((a, b) => a - b);

    // Manual maintenance: the requester records the outcome some time after the start.
    const manualOutcomes = new Map<string, number>();
    let ticks = 0;
    let replaced = 0;
    let tickProblems = 0;
    let runningUntil = 0;
    let pending: number | undefined;
    const ledger: StateMap = {};
    const runAt = async (at: number) => {
      clock.now = Math.max(clock.now, at);
      const now = clock.now;
      const files = planned
        .filter((p) => p.mergeAt <= now)
        .map((p) => (p.cancelAt !== undefined && p.cancelAt <= now ? cancelled(p.file) : p.file));
      for (const issue of server.state.issues('acme/ops')) {
        if (issue.state !== 'open' || !issue.labels.includes('maintenance:in-progress')) continue;
        const marker = decodeStateMarker(issue.body ?? '');
        if (marker.kind !== 'found' || !manualIds.has(marker.key.split('@')[0]!)) continue;
        const due = manualOutcomes.get(marker.key) ?? now + (30 + Math.floor(rand() * 90)) * MINUTE;
        manualOutcomes.set(marker.key, due);
        const answered = server.state
          .comments('acme/ops', issue.number)
          .some((c) => c.body.startsWith('/maint'));
        if (due <= now && !answered)
          server.seed.comment('acme/ops', issue.number, { user: 'alice', body: '/maint complete' });
      }
      ticks++;
      const report = await runTick(
        { github, execute, now: () => clock.now, log: () => undefined },
        {
          files,
          policy,

          templates: TEMPLATES,
          codeowners: null,
          repo: { owner: 'acme', name: 'ops' },
          serverUrl: 'https://github.com',
          defaultRef: 'main',
          workspace: '.',
          stepEnv: {},
          secrets: [],
          secret: () => undefined,
        },
      ).catch((error: unknown) => ({ actions: [], problems: [String(error)] }));
      if (report.problems.length > 0) tickProblems++;
      runningUntil = clock.now;
    };
    for (const trigger of triggers) {
      // The concurrency group: a trigger during a run waits; a newer one replaces it.
      if (trigger < runningUntil) {
        if (pending !== undefined) replaced++;
        pending = trigger;
        continue;
      }
      if (pending !== undefined) {
        await runAt(runningUntil);
        pending = undefined;
        if (trigger < runningUntil) {
          pending = trigger;
          continue;
        }
      }
      await runAt(trigger);
    }
    if (pending !== undefined) await runAt(runningUntil);
    void ledger;
    void applyAction;

    // Read everything back, with the faults off.
    server.clearFaults();
    clock.now = until;
    const faults = server.requests.filter((r) => r.faulted).length;
    const apiRequests = server.requests.filter((r) => r.route !== 'codeload').length;
    // Read every result issue back through the API, as a fresh run would.
    const listed = await Promise.all([
      github.openIssues('maintenance'),
      github.recentlyClosedIssues('maintenance', new Date(from).toISOString()),
    ]).catch(() => undefined);
    const rebuilt = listed && {
      states: Object.fromEntries(
        listed.flat().flatMap((issue) => {
          const marker = decodeStateMarker(issue.body);
          return marker.kind === 'found' ? [[marker.key, marker.state] as const] : [];
        }),
      ),
    };
    const failures: string[] = [];
    const finalStates: Record<string, number> = {};
    const byKey = new Map<string, number[]>();
    let noticesSent = 0;
    let remindersSkipped = 0;
    const noticeActions = /^(announce|remind:.+|start|complete|rollback|fail|miss|cancel)$/;
    const states = new Map<string, OccurrenceState>();
    for (const issue of server.state.issues('acme/ops')) {
      const marker = decodeStateMarker(issue.body ?? '');
      if (marker.kind !== 'found') {
        failures.push(`#${issue.number} has no readable state`);
        continue;
      }
      byKey.set(marker.key, [...(byKey.get(marker.key) ?? []), issue.number]);
      const state = marker.state;
      states.set(marker.key, state);
      if ((state.owed ?? []).length > 0) failures.push(`${marker.key}: still owes ${state.owed!.join(', ')}`);

      finalStates[state.state] = (finalStates[state.state] ?? 0) + 1;
      const comments = server.state.comments('acme/ops', issue.number).map((c) => c.body);
      for (const action of state.done) {
        if (action.startsWith('skip:remind:')) remindersSkipped++;
        if (!noticeActions.test(action)) continue;
        const marked = comments.filter((c) => c.includes(`<!-- maint:notice ${action} -->`)).length;
        if (marked !== 1) failures.push(`${marker.key}: ${marked} comments for ${action}`);
        else noticesSent++;
      }
      for (const comment of comments) {
        const action = /<!-- maint:notice (\S+) -->/.exec(comment)?.[1];
        // `report` is the execution report, which goes with the outcome rather than being an action.
        if (action && !action.startsWith('report') && !state.done.includes(action as never))
          failures.push(`${marker.key}: a ${action} comment, but ${action} is not recorded`);
      }
    }
    for (const [key, numbers] of byKey)
      if (numbers.length > 1) failures.push(`${key}: ${numbers.length} issues (#${numbers.join(', #')})`);
    // Every occurrence that ended before the last days of the year reached a final state.
    for (const [key, state] of states) {
      const planned_ = planned.find((p) => key.startsWith(`${p.file.id}`));
      if (
        !FINAL_STATES.has(state.state) &&
        planned_ &&
        planned_.file.request!.endsAt < until - 2 * DAY &&
        !planned_.file.request!.series
      )
        failures.push(`${key}: still ${state.state}`);
    }
    for (const [step, count] of stepRuns) if (count > 1) failures.push(`${step} ran ${count} times`);
    // The states read back through the API are the ones in the issues.
    if (!rebuilt) failures.push('the issues could not be read back');
    else
      for (const [key, state] of states) {
        const again = rebuilt.states[key];
        if (!again || again.state !== state.state || again.done.join() !== state.done.join())
          failures.push(`${key}: read back as ${again?.state ?? 'nothing'}`);
      }
    return {
      ticks,
      triggers: triggers.length,
      dropped,
      delayed,
      duplicated,
      replaced,
      apiRequests,
      faults,
      tickProblems,
      finalStates,
      issues: server.state.issues('acme/ops').length,
      occurrencesWithIssue: byKey.size,
      noticesSent,
      remindersSkipped,
      executions: executions.size,
      stepsRun: stepRuns.size,
      failures,
      wallMs: performance.now() - wallStarted,
    };
  } finally {
    await server.close();
  }
}
