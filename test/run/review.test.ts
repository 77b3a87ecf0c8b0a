// The post-maintenance review against the local GitHub API server: a rolled-back run ends with the
// pre-filled review report on its result issue, the review-due label and the requester assigned;
// the reminders fall once at T+24 h and once at T+7 d, late or repeated ticks neither skip nor repeat
// them, people complete the review (an owner's `/maint reviewed`, or removing the label), and while a
// review waits a quiet tick still costs two requests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { Executor } from '../../src/modes/execute.ts';
import { loadTemplates } from '../../src/notices/template-loader.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { testOctokit } from '../harness/octokit.ts';
import { REPO, startWorld, type TickOptions, type World } from './support.ts';

let world: World;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const stateOf = (body: string | null) => {
  const marker = decodeStateMarker(body ?? '');
  if (marker.kind !== 'found') throw new Error('no state');
  return marker.state;
};
const actionsOf = async (w: World) => (await w.tick()).actions.map((a) => a.action);

// Sunday 17 January 2027, 02:00-03:00 UTC in production, low impact (a P1D notice reminder).
const deploy = {
  title: 'Deploy the API',
  start: '2027-01-17T02:00',
  steps: '[{name: migrate, run: ./migrate.sh}, {name: deploy, run: ./deploy.sh}]',
  rollback_steps: '[{name: restore, run: ./restore.sh}]',
};

/** The execute run, 9 minutes long: step 1 passes, step 2 fails, the rollback passes. */
const rollsBack: Executor = async (_work, context) => {
  const item = (phase: 'step' | 'rollback', index: number, name: string) => ({
    phase,
    index,
    name,
    key: `${phase}:${index}`,
  });
  for (const ref of [item('step', 0, 'migrate'), item('step', 1, 'deploy'), item('rollback', 0, 'restore')]) {
    await context.beforeEach(ref);
    world.clock.now += 3 * 60_000;
  }
  return {
    outcome: 'rolled-back',
    reason: "Step 2 'deploy' failed (exit code 1); the rollback steps ran and passed.",
    windowEndReached: false,
    items: [
      { ...item('step', 0, 'migrate'), status: 'passed', detail: 'exit code 0' },
      { ...item('step', 1, 'deploy'), status: 'failed', detail: 'exit code 1' },
      { ...item('rollback', 0, 'restore'), status: 'passed', detail: 'exit code 0' },
    ],
  };
};

/** Lands the request, announces it, starts it at 02:07; the execute run begins at 02:08 and rolls back at 02:17. */
async function rolledBack(options: TickOptions = {}): Promise<{ issue: number; end: number }> {
  world = await startWorld('2027-01-10T09:07:00Z');
  world.land('deploy', deploy);
  await world.tick(options);
  world.clock.now = at('2027-01-16T02:07:00Z');
  await world.tick(options);
  world.clock.now = at('2027-01-17T02:07:00Z');
  await world.tick(options);
  const issue = world.issues()[0]!;
  issue.assignees = ['carol']; // someone took the issue over during the work
  world.clock.now = at('2027-01-17T02:08:00Z');
  await world.execute(rollsBack);
  world.clock.now = at('2027-01-17T02:22:00Z');
  expect((await world.tick(options)).actions.map((a) => a.action)).toEqual(['rollback', 'unsilence']);
  return { issue: issue.number, end: at('2027-01-17T02:17:00Z') };
}

const reminders = (w: World, issue: number) =>
  w.comments(issue).filter((c) => c.includes('<!-- maint:notice review-remind:'));

describe('the review of a maintenance that ended', () => {
  it('a rolled-back run: the pre-filled report, the label, the requester assigned; one reminder a day later', async () => {
    const { issue, end } = await rolledBack();
    const result = world.server.state.issue(REPO, issue)!;
    expect(result.state).toBe('closed');
    expect(result.labels).toContain('maintenance:review-due');
    expect(result.assignees).toEqual(['carol', 'alice']);
    expect(result.body).toContain(
      '**Review:** due \\(rolled back\\): the immediate review by Monday 18 January 2027, 02:17 UTC',
    );
    const report = world.comments(issue).find((c) => c.includes('<!-- maint:notice review -->'))!;
    for (const line of [
      '## 📝 Maintenance Review Report',
      '**A review is due** (rolled back): the immediate review by Monday 18 January 2027, 02:17 UTC, the formal review by Sunday 24 January 2027, 02:17 UTC.',
      '- **Date:** Sunday 17 January 2027, 02:00 UTC',
      '- **Duration:** planned 1 h, actual 9 min',
      '| Start | Sunday 17 January 2027, 02:00 UTC | Sunday 17 January 2027, 02:08 UTC |',
      '| End | Sunday 17 January 2027, 03:00 UTC | Sunday 17 January 2027, 02:17 UTC |',
      "- step 1 'migrate': ✅ passed",
      "- step 2 'deploy': ❌ failed",
      "- rollback step 1 'restore': ✅ passed",
      '- Started 8 min after its planned start.',
      '**Rollback:** the rollback steps ran (above).',
      '- announcement: Sunday 10 January 2027, 09:07 UTC (result issue)',
      '- reminder: Saturday 16 January 2027, 02:07 UTC (result issue)',
      '- rollback: Sunday 17 January 2027, 02:17 UTC (result issue)',
      '- **Downtime:** ✍️',
      '- **What went well:** ✍️',
      '[Request file](https://github.com/acme/ops/blob/main/maintenance/2027/deploy.yaml)',
    ])
      expect(report, line).toContain(line);
    expect(report).toMatch(
      /- Rolled back: Step 2 'deploy' failed \\\(exit code 1\\\); the rollback steps ran and passed\.\n/,
    );
    expect(report).toMatch(/\[Execute run\]\(https:\/\/github\.com\/acme\/ops\/actions\/runs\/\d+\)/);
    expect(stateOf(result.body).review).toMatchObject({
      since: '2027-01-17T02:17:00Z',
      due: ['rolled-back'],
    });

    // Quiet ticks while the review waits: the two issue lists, nothing more.
    world.clock.now = end + 30 * 60_000;
    world.server.resetLog();
    expect(await actionsOf(world)).toEqual([]);
    expect(world.server.requests.map((r) => r.route)).toEqual([
      '/repos/{owner}/{repo}/issues',
      '/repos/{owner}/{repo}/issues',
    ]);

    world.clock.now = end + DAY - 60_000;
    expect(await actionsOf(world)).toEqual([]);
    world.clock.now = end + DAY + 5 * 60_000;
    expect(await actionsOf(world)).toEqual(['review-remind:P1D']);
    world.clock.now += 15 * 60_000;
    expect(await actionsOf(world)).toEqual([]);
    const [reminder] = reminders(world, issue);
    expect(reminders(world, issue)).toHaveLength(1);
    expect(reminder).toContain('### 📝 Reminder: the immediate review of this maintenance is due');
    expect(reminder).toContain('@alice, this maintenance ended Sunday 17 January 2027, 02:17 UTC');
    expect(reminder).toContain('The formal review is due by Sunday 24 January 2027, 02:17 UTC.');
    expect(world.server.state.issue(REPO, issue)!.state).toBe('closed');
  });

  it("an owner's `/maint reviewed` completes it and stops the reminders; anyone else's is ignored", async () => {
    const { issue, end } = await rolledBack();
    world.clock.now = end + 2 * HOUR;
    world.server.seed.comment(REPO, issue, { user: 'mallory', body: '/maint reviewed' });
    world.clock.now += 15 * 60_000;
    expect(await actionsOf(world)).toEqual([]);
    expect(world.server.state.issue(REPO, issue)!.labels).toContain('maintenance:review-due');

    world.server.seed.comment(REPO, issue, {
      user: 'bob',
      body: [
        'Reviewed with the team.',
        '',
        '- [ ] Add an alert on deploy errors — @bob — 2027-02-01',
        '- [x] Fix deploy.sh',
        '```',
        '- [ ] not an item: inside a code block',
        '```',
        '/maint reviewed',
      ].join('\n'),
    });
    const said = world.clock.now;
    world.clock.now += 15 * 60_000;
    expect(await actionsOf(world)).toEqual(['reviewed']);
    const result = world.server.state.issue(REPO, issue)!;
    expect(result.labels).not.toContain('maintenance:review-due');
    expect(stateOf(result.body).review).toMatchObject({
      done: { at: isoUtc(said), by: '@bob' },
      actions: { open: 1, done: 1 },
    });
    expect(result.body).toContain(
      '**Review:** done Sunday 17 January 2027, 04:32 UTC, by @\u200bbob; 2 action items, 1 done',
    );

    for (const later of [end + DAY + 5 * 60_000, end + 7 * DAY + 5 * 60_000, end + 8 * DAY]) {
      world.clock.now = later;
      expect(await actionsOf(world)).toEqual([]);
    }
    expect(reminders(world, issue)).toEqual([]);
  });

  it('a late tick sends each reminder still due, once; removing the label completes the review', async () => {
    const { issue, end } = await rolledBack();
    // No tick for eight days: both reminders are due, and both go out, once.
    world.clock.now = end + 8 * DAY;
    expect(await actionsOf(world)).toEqual(['review-remind:P1D', 'review-remind:P7D']);
    expect(await actionsOf(world)).toEqual([]);
    expect(reminders(world, issue).map((c) => c.split('\n')[0])).toEqual([
      '### 📝 Reminder: the immediate review of this maintenance is due',
      '### 📝 Reminder: the formal review of this maintenance is due',
    ]);

    world.server.seed.token('ghp_bob', { login: 'bob' });
    world.clock.now += HOUR;
    await testOctokit(world.server, 'ghp_bob').rest.issues.removeLabel({
      owner: 'acme',
      repo: 'ops',
      issue_number: issue,
      name: 'maintenance:review-due',
    });
    world.clock.now += 15 * 60_000;
    expect(await actionsOf(world)).toEqual(['reviewed']);
    expect(stateOf(world.server.state.issue(REPO, issue)!.body).review).toMatchObject({
      done: {
        at: isoUtc(end + 8 * DAY + HOUR),
        by: 'removing the label maintenance:review-due',
      },
    });
    expect(await actionsOf(world)).toEqual([]);
  });

  it('a completed low-impact maintenance gets the report for the record, and no review is due', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', { ...deploy, rollback_steps: undefined });
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    await world.execute(async (work, context) => {
      const items = [];
      for (const [index, step] of work.steps.entries()) {
        const ref = { phase: 'step' as const, index, name: step.name, key: `step:${index}` };
        await context.beforeEach(ref);
        items.push({ ...ref, status: 'passed' as const, detail: 'exit code 0' });
      }
      return { outcome: 'completed', reason: 'All steps passed.', windowEndReached: false, items };
    });
    expect(await actionsOf(world)).toEqual(['complete', 'unsilence']);
    const issue = world.issues()[0]!;
    expect(issue.labels).not.toContain('maintenance:review-due');
    expect(stateOf(issue.body).review).toEqual({ since: '2027-01-17T02:07:00Z', due: [] });
    const report = world.comments(issue.number).find((c) => c.includes('<!-- maint:notice review -->'))!;
    expect(report).toContain('No review is required for this maintenance');
    world.clock.now = at('2027-01-25T02:07:00Z');
    expect(await actionsOf(world)).toEqual([]);
  });
});

describe("the repository's own review template", () => {
  it("issue/review.markdown.hbs in the repository's templates folder replaces the built-in report", async () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-review-'));
    try {
      mkdirSync(join(root, '.maint', 'issue'), { recursive: true });
      writeFileSync(
        join(root, '.maint', 'issue', 'review.markdown.hbs'),
        '## Post-incident review: {{md heading}}\n\nOutcome: {{md outcome}}. {{#if due}}Due by {{md formalBy}}.{{/if}}\n',
      );
      const { source, user } = loadTemplates({ root, userDir: '.maint' });
      expect(user?.names()).toEqual(['issue/review.markdown.hbs']);
      const { issue } = await rolledBack({ templates: source });
      const report = world.comments(issue).find((c) => c.includes('<!-- maint:notice review -->'))!;
      expect(report).toContain('## Post-incident review: \\[PRODUCTION\\] Maintenance: Deploy the API');
      expect(report).toContain('Due by Sunday 24 January 2027, 02:17 UTC.');
      expect(report).not.toContain('Maintenance Review Report');
      // The other templates are still the built-in ones: the result issue keeps its usual body.
      expect(world.server.state.issue(REPO, issue)!.body).toContain('**Review:** due');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('what request processing counts', () => {
  it('the pull request that brought the request, opened and merged, recorded at the announcement', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const automated = world.land('deploy', deploy); // its provenance names it
    world.clock.now += 2 * HOUR;
    const manual = world.land('kernel', { title: 'Kernel', start: '2027-01-20T02:00' }); // read from history
    world.land('pushed', { title: 'Pushed', start: '2027-01-24T02:00' }, { via: 'push' });
    world.clock.now += 15 * 60_000;
    await world.tick();
    const recorded = new Map(
      world.issues().map((i) => {
        const marker = decodeStateMarker(i.body ?? '');
        return [
          marker.kind === 'found' ? marker.key : i.title,
          marker.kind === 'found' && marker.state.pullRequest,
        ];
      }),
    );
    const times = (number: number) => ({
      number,
      opened: world.server.state.issue(REPO, number)!.created_at,
      merged: world.server.state.repo(REPO).pulls.get(number)!.merged_at,
    });
    expect(recorded.get('deploy')).toEqual(times(automated.pull!));
    expect(recorded.get('kernel')).toEqual(times(manual.pull!));
    expect(times(manual.pull!).opened).toBe('2027-01-10T11:07:00Z');
    expect(recorded.get('pushed')).toBeUndefined();
  });
});
