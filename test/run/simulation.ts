// A year of the scheduler and its execute runs against the local GitHub API server. Requests reach
// the default branch through reviewed pull requests (a few by direct push or with a red check, whose
// work must never run), sometimes cancelled later. Scheduled ticks come every 15 minutes as GitHub
// delivers them (late up to an hour, sometimes dropped, sometimes twice), plus one whenever an execute
// run ends (the workflow_run trigger). Dispatched execute runs are played as GitHub runs them, side
// by side with the ticks on one simulated clock: queued for a while (some past their window, held
// for the environment's reviewers), some cancelled before they start, some timing out mid-step, the
// rest running their steps for a while. The API fails a share of requests (502 before or after doing
// the work, hangs, secondary rate limits). Reviews due are completed by a code owner's
// `/maint reviewed` some time after the end, or never. Everything random is seeded.
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { FINAL_STATES, type OccurrenceState } from '../../src/lifecycle/state.ts';
import { executeRunName } from '../../src/lifecycle/work.ts';
import type { Executor } from '../../src/modes/execute.ts';
import type { RequestParse } from '../../src/model/request.ts';
import { parseRequest } from '../../src/model/request.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import type { RunRecord } from '../harness/state.ts';
import { prng } from '../helpers/prng.ts';
import { requestYaml } from '../helpers/requests.ts';
import { REPO, executeRun, landRequest, seedRepository, tickOnce, type Landing } from './support.ts';

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
  /** Ticks started by an execute run's end (the workflow_run trigger). */
  afterRuns: number;
  apiRequests: number;
  faults: number;
  tickProblems: number;
  finalStates: Record<string, number>;
  issues: number;
  occurrencesWithIssue: number;
  noticesSent: number;
  remindersSkipped: number;
  /** Reviews due; completed by a code owner; their reminders sent. */
  reviews: { due: number; completed: number; reminders: number };
  /** Execute runs by how GitHub ran them. */
  runs: {
    dispatched: number;
    ran: number;
    delayed: number;
    cancelled: number;
    timedOut: number;
    heldPastWindow: number;
  };
  /** Occurrences whose request's content was not approved (direct push, red check). */
  unapproved: number;
  stepsRun: number;
  /** Every check the end state must pass, by name: the failures found (empty when all is well). */
  failures: string[];
  wallMs: number;
}

interface PlannedRequest {
  id: string;
  text: string;
  file: RequestParse;
  mergeAt: number;
  cancelAt?: number;
  manual: boolean;
  landing: Landing;
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
    if (rand() < 0.05) fields.recurrence = 'FREQ=MONTHLY;COUNT=3';
    const manual = rand() < 0.1;
    if (!manual) fields.steps = '[{name: work, run: ./work.sh}, {name: verify, run: ./verify.sh}]';
    const id = `sim-${String(i).padStart(3, '0')}`;
    const text = `${requestYaml({ ...fields, title: `Simulated ${id}`, requester: 'alice' })}\n`;
    const file = parseRequest({ path: `maintenance/2027/${id}.yaml`, text });
    if (!file.request) continue; // a generated time the schedule cannot take (a DST gap): try again
    const start = file.request.startsAt;
    const mergeAt = start - (1 + Math.floor(rand() * 20)) * DAY;
    const cancel = rand() < 0.06 ? start - Math.floor(rand() * 15) * DAY : undefined;
    const how = rand();
    const landing: Landing =
      how < 0.03 ? { via: 'push' } : how < 0.05 ? { check: 'failure' } : how < 0.3 ? { via: 'squash' } : {};
    out.push({
      id,
      text,
      file,
      mergeAt,
      ...(cancel !== undefined ? { cancelAt: cancel } : {}),
      manual,
      landing,
    });
  }
  return out;
}

const ended = (run: RunRecord) => run.status === 'completed';

/** How GitHub runs one dispatched execute run. */
type Fate = 'runs' | 'cancelled' | 'timed-out' | 'held';

/** One execute job on the simulated clock: it runs until it waits for a moment, then lets others go. */
class Actor {
  waitingUntil: number | undefined;
  private wake: (() => void) | undefined;
  private settle: (() => void) | undefined;
  constructor(private readonly time: SimulatedTime) {}

  /** Waits until the clock reaches `at` (the main loop moves it). */
  until(at: number): Promise<void> {
    this.waitingUntil = at;
    const woken = new Promise<void>((resolve) => (this.wake = resolve));
    this.settled();
    return woken;
  }

  /** Done, or stuck for good (a killed job): it never runs again. */
  finish(): void {
    this.waitingUntil = undefined;
    this.time.actors.delete(this);
    this.settled();
  }

  resume(): Promise<void> {
    const settled = new Promise<void>((resolve) => (this.settle = resolve));
    this.waitingUntil = undefined;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    return settled;
  }

  private settled(): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.();
  }
}

/** A cooperative clock: jobs wait on it, and the main loop moves it, letting each go on at its moment. */
class SimulatedTime {
  readonly actors = new Set<Actor>();
  constructor(readonly clock: { now: number }) {}

  /** Starts a job; it must begin by waiting (`actor.until`) and end with `actor.finish()`. */
  spawn(job: (actor: Actor) => Promise<void>): void {
    const actor = new Actor(this);
    this.actors.add(actor);
    void job(actor).finally(() => actor.finish());
  }

  /** Moves the clock to `to`: each job waiting for a moment up to it runs, in time order, until it waits again. */
  async advance(to: number): Promise<void> {
    for (;;) {
      const next = [...this.actors]
        .filter((a) => a.waitingUntil !== undefined && a.waitingUntil <= to)
        .sort((a, b) => a.waitingUntil! - b.waitingUntil!)[0];
      if (!next) break;
      this.clock.now = Math.max(this.clock.now, next.waitingUntil!);
      await next.resume();
    }
    this.clock.now = Math.max(this.clock.now, to);
  }
}

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const wallStarted = performance.now();
  const rand = prng(options.seed);
  const from = Date.parse('2027-01-01T00:00:00Z');
  const until = from + options.days * DAY;
  const clock = { now: from };
  const time = new SimulatedTime(clock);
  const server: GitHubServer = await startGitHubServer({ clock: () => new Date(clock.now) });
  try {
    seedRepository(server);
    const planned = generate(options.requests, from, options.days, rand);
    const unapprovedIds = new Set(
      planned.filter((p) => p.landing.via === 'push' || p.landing.check === 'failure').map((p) => p.id),
    );

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
    // The execute job's action retries as in production (5xx, rate limits), with waits shrunk.
    const jobGithub = createMaintenanceRepo({
      token: 'ghs_job',
      owner: 'acme',
      repo: 'ops',
      baseUrl: server.url,
      writeSpacingMs: 0,
      notificationSpacingMs: 0,
      requestTimeoutMs: 150,
      retryBaseMs: 1,
    });
    const manualIds = new Set(planned.filter((p) => p.manual).map((p) => p.id));

    // Steps that really ran: counted once their start was recorded (beforeEach returned).
    const stepRuns = new Map<string, number>();
    const executedKeys = new Set<string>();
    const fates = prng(options.seed + 2);
    const outcomes = prng(options.seed + 3);
    const runStats = { dispatched: 0, ran: 0, delayed: 0, cancelled: 0, timedOut: 0, heldPastWindow: 0 };
    const extraTriggers: number[] = [];

    /** The work itself, taking simulated time; `dieAt` is the step index where the job is killed. */
    const workOf =
      (run: RunRecord, actor: Actor, dieAt: number | undefined): Executor =>
      async (work, context) => {
        const occurrence = context.env.MAINT_OCCURRENCE!;
        executedKeys.add(occurrence);
        const items = [];
        for (const [index, step] of work.steps.entries()) {
          const item = { phase: 'step' as const, index, name: step.name, key: `step:${index}` };
          await context.beforeEach(item);
          const key = `${occurrence} ${item.key}`;
          stepRuns.set(key, (stepRuns.get(key) ?? 0) + 1);
          if (index === dieAt) {
            // The job hits its timeout: GitHub kills it; nothing more is written.
            server.completeRun(REPO, run.id, 'timed_out');
            extraTriggers.push(clock.now);
            actor.finish();
            await new Promise(() => undefined);
          }
          await actor.until(clock.now + (5 + Math.floor(fates() * 20)) * MINUTE);
          items.push({ ...item, status: 'passed' as const, detail: 'exit code 0' });
        }
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

    /** GitHub takes a dispatched run: queues it, then cancels it, kills it, or runs it. */
    const scheduled = new Set<number>();
    const takeRuns = () => {
      for (const run of server.state.runs(REPO)) {
        if (scheduled.has(run.id)) continue;
        scheduled.add(run.id);
        runStats.dispatched++;
        const roll = fates();
        const fate: Fate =
          roll < 0.05 ? 'cancelled' : roll < 0.1 ? 'timed-out' : roll < 0.13 ? 'held' : 'runs';
        const delay =
          fate === 'held'
            ? 6 * HOUR
            : fates() < 0.2
              ? (10 + Math.floor(fates() * 50)) * MINUTE
              : Math.floor(fates() * 3) * MINUTE;
        if (delay >= 10 * MINUTE) runStats.delayed++;
        time.spawn(async (actor) => {
          await actor.until(clock.now + delay);
          if (run.status === 'completed') {
            if (fate === 'held') runStats.heldPastWindow++; // the scheduler cancelled it at the window's end
            return;
          }
          if (fate === 'cancelled') {
            runStats.cancelled++;
            server.completeRun(REPO, run.id, 'cancelled');
            extraTriggers.push(clock.now);
            return;
          }
          run.status = 'in_progress';
          if (fate === 'timed-out') runStats.timedOut++;
          else runStats.ran++;
          const executor = workOf(run, actor, fate === 'timed-out' ? 0 : undefined);
          const outcome = await executeRun(server, jobGithub, run, executor, () => clock.now).catch(
            () => undefined,
          );
          if (ended(run)) return;
          server.completeRun(
            REPO,
            run.id,
            outcome?.admitted && outcome.outcome === 'completed' ? 'success' : 'failure',
          );
          extraTriggers.push(clock.now);
        });
      }
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

    // Requests land on the default branch at their merge moment; cancellations by a later pull request.
    const landings = planned
      .flatMap((p) => [
        { at: p.mergeAt, land: () => landRequest(server, p.id, p.text, p.landing) },
        ...(p.cancelAt !== undefined && p.cancelAt > p.mergeAt
          ? [
              {
                at: p.cancelAt,
                land: () =>
                  landRequest(server, p.id, p.text.replace(/^(title: .*)$/m, '$1\nstatus: cancelled'), {}),
              },
            ]
          : []),
      ])
      .sort((a, b) => a.at - b.at);
    let landed = 0;

    const manualOutcomes = new Map<string, number>();
    /** When a code owner means to complete each review due (never: Infinity), and when they did. */
    const reviewAt = new Map<string, number>();
    const reviewedAt = new Map<string, number>();
    let ticks = 0;
    let afterRuns = 0;
    let tickProblems = 0;
    /** When ticks ran that hit no failure: they took every action due, for every occurrence. */
    const cleanTicks: number[] = [];
    const runTickAt = async (at: number) => {
      await time.advance(at);
      while (landed < landings.length && landings[landed]!.at <= clock.now) landings[landed++]!.land();
      const now = clock.now;
      for (const issue of server.state.issues(REPO)) {
        if (issue.state !== 'open') continue;
        const marker = decodeStateMarker(issue.body ?? '');
        if (marker.kind !== 'found') continue;
        const id = marker.key.split('@')[0]!;
        const blocked = !manualIds.has(id) && unapprovedIds.has(id) && marker.state.state !== 'in-progress';
        const manualInProgress = manualIds.has(id) && issue.labels.includes('maintenance:in-progress');
        if (!manualInProgress && !(blocked && rand() < 0.01)) continue;
        // People record manual work some time after the start (and, rarely, unapproved work done by hand).
        const due = manualOutcomes.get(marker.key) ?? now + (30 + Math.floor(rand() * 90)) * MINUTE;
        manualOutcomes.set(marker.key, due);
        const answered = server.state.comments(REPO, issue.number).some((c) => c.body.startsWith('/maint'));
        if ((due <= now || blocked) && !answered)
          server.seed.comment(REPO, issue.number, { user: 'alice', body: '/maint complete' });
      }
      for (const issue of server.state.issues(REPO)) {
        if (!issue.labels.includes('maintenance:review-due')) continue;
        const marker = decodeStateMarker(issue.body ?? '');
        if (marker.kind !== 'found' || !marker.state.review) continue;
        // Seven in ten reviews are completed, at any time in the ten days after the end.
        let at = reviewAt.get(marker.key);
        if (at === undefined) {
          at =
            rand() < 0.7 ? Date.parse(marker.state.review.since) + Math.floor(rand() * 10 * DAY) : Infinity;
          reviewAt.set(marker.key, at);
        }
        const said = server.state.comments(REPO, issue.number).some((c) => c.body === '/maint reviewed');
        if (at <= now && !said) {
          server.seed.comment(REPO, issue.number, { user: 'bob', body: '/maint reviewed' });
          reviewedAt.set(marker.key, now);
        }
      }
      ticks++;
      const report = await tickOnce(server, github, () => clock.now).catch((error: unknown) => ({
        actions: [],
        problems: [String(error)],
      }));
      if (report.problems.length > 0) tickProblems++;
      else cleanTicks.push(now);
      takeRuns();
    };

    for (const trigger of triggers) {
      // Ticks the execute runs started (workflow_run) before this scheduled one.
      for (;;) {
        extraTriggers.sort((a, b) => a - b);
        if (extraTriggers.length === 0 || extraTriggers[0]! > trigger) break;
        afterRuns++;
        await runTickAt(extraTriggers.shift()!);
      }
      await runTickAt(trigger);
    }
    await time.advance(until);
    await runTickAt(until);

    // Read everything back, with the faults off.
    server.clearFaults();
    clock.now = until + DAY;
    const faults = server.requests.filter((r) => r.faulted).length;
    const apiRequests = server.requests.filter((r) => r.route !== 'codeload').length;
    const listed = await Promise.all([
      github.openIssues('maintenance'),
      github.recentlyClosedIssues('maintenance', new Date(from).toISOString()),
    ]).catch(() => undefined);
    const failures: string[] = [];
    const finalStates: Record<string, number> = {};
    const byKey = new Map<string, number[]>();
    let noticesSent = 0;
    let remindersSkipped = 0;
    const noticeActions =
      /^(announce|remind:.+|start|complete|rollback|fail|miss|cancel|review|review-remind:.+)$/;
    const reviews = { due: 0, completed: 0, reminders: 0 };
    const states = new Map<string, OccurrenceState>();
    /** The first tick at or after `at` that hit no failure. */
    const firstCleanTick = (at: number): number | undefined => {
      let low = 0;
      let high = cleanTicks.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (cleanTicks[mid]! < at) low = mid + 1;
        else high = mid;
      }
      return cleanTicks[low];
    };
    /**
     * A review due got each reminder that a tick hitting no failure could send: one that ran at or
     * after the reminder's moment and before the code owner's comment (a tick that already sees the
     * comment rightly sends none). Each went out at or after its moment and never after the
     * completion; the completion recorded is the code owner's comment, at its time.
     */
    const checkReview = (key: string, state: OccurrenceState, comments: string[]) => {
      const review = state.review;
      if (!review || review.due.length === 0) return;
      reviews.due++;
      const completedAt = reviewedAt.get(key) ?? Infinity;
      const done = review.done ? Date.parse(review.done.at) : Infinity;
      if (review.done) reviews.completed++;
      if (completedAt <= until - 2 * HOUR && done !== completedAt)
        failures.push(
          `${key}: completed ${new Date(completedAt).toISOString()}, recorded ${review.done?.at}`,
        );
      for (const [name, after] of [
        ['review-remind:P1D', DAY],
        ['review-remind:P7D', 7 * DAY],
      ] as const) {
        const moment = Date.parse(review.since) + after;
        const sent = state.log?.find((e) => e.action === name);
        if (sent) reviews.reminders++;
        const chance = firstCleanTick(moment);
        if (chance !== undefined && chance < Math.min(completedAt, done) && !sent)
          failures.push(
            `${key}: ${name} was never sent: due ${new Date(moment).toISOString()}, a tick at ${new Date(chance).toISOString()} could send it, completed ${review.done?.at ?? 'never'}`,
          );
        if (sent && (Date.parse(sent.at) < moment || Date.parse(sent.at) >= done))
          failures.push(
            `${key}: ${name} sent ${sent.at}, due ${new Date(moment).toISOString()}, done ${review.done?.at}`,
          );
      }
      if (comments.filter((c) => c.includes('Maintenance Review Report')).length !== 1)
        failures.push(`${key}: not one review report`);
    };
    for (const issue of server.state.issues(REPO)) {
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
      const comments = server.state.comments(REPO, issue.number).map((c) => c.body);
      for (const action of state.done) {
        if (action.startsWith('skip:remind:')) remindersSkipped++;
        if (!noticeActions.test(action)) continue;
        const marked = comments.filter((c) => c.includes(`<!-- maint:notice ${action} -->`)).length;
        if (marked !== 1) failures.push(`${marker.key}: ${marked} comments for ${action}`);
        else noticesSent++;
      }
      checkReview(marker.key, state, comments);
      for (const comment of comments) {
        const action = /<!-- maint:notice (\S+) -->/.exec(comment)?.[1];
        // Provenance and not-run comments are about the content, not lifecycle actions.
        if (action && !/^(provenance|not-run):/.test(action) && !state.done.includes(action as never))
          failures.push(`${marker.key}: a ${action} comment, but ${action} is not recorded`);
      }
    }
    for (const [key, numbers] of byKey)
      if (numbers.length > 1) failures.push(`${key}: ${numbers.length} issues (#${numbers.join(', #')})`);
    // Every occurrence that ended before the last days of the year reached a final state.
    for (const [key, state] of states) {
      const plannedRequest = planned.find((p) => key.split('@')[0] === p.id);
      if (
        !FINAL_STATES.has(state.state) &&
        plannedRequest &&
        plannedRequest.file.request!.endsAt < until - 2 * DAY &&
        !plannedRequest.file.request!.series
      )
        failures.push(`${key}: still ${state.state}`);
    }
    for (const [step, count] of stepRuns) if (count > 1) failures.push(`${step} ran ${count} times`);
    // Unapproved content never ran; every occurrence had at most one execute run.
    for (const key of executedKeys)
      if (unapprovedIds.has(key.split('@')[0]!)) failures.push(`${key}: unapproved work ran`);
    const runsByName = new Map<string, number>();
    for (const run of server.state.runs(REPO))
      runsByName.set(run.display_title ?? '', (runsByName.get(run.display_title ?? '') ?? 0) + 1);
    for (const key of states.keys()) {
      const count = runsByName.get(executeRunName(key)) ?? 0;
      if (count > 1) failures.push(`${key}: ${count} execute runs`);
    }
    // The states read back through the API are the ones in the issues.
    if (!listed) failures.push('the issues could not be read back');
    else {
      const rebuilt = new Map(
        listed.flat().flatMap((issue) => {
          const marker = decodeStateMarker(issue.body);
          return marker.kind === 'found' ? [[marker.key, marker.state] as const] : [];
        }),
      );
      for (const [key, state] of states) {
        const again = rebuilt.get(key);
        if (!again || again.state !== state.state || again.done.join() !== state.done.join())
          failures.push(`${key}: read back as ${again?.state ?? 'nothing'}`);
      }
    }
    return {
      ticks,
      triggers: triggers.length,
      dropped,
      delayed,
      duplicated,
      afterRuns,
      apiRequests,
      faults,
      tickProblems,
      finalStates,
      issues: server.state.issues(REPO).length,
      occurrencesWithIssue: byKey.size,
      noticesSent,
      remindersSkipped,
      reviews,
      runs: runStats,
      unapproved: [...states.keys()].filter((k) => unapprovedIds.has(k.split('@')[0]!)).length,
      stepsRun: stepRuns.size,
      failures,
      wallMs: performance.now() - wallStarted,
    };
  } finally {
    await server.close();
  }
}
