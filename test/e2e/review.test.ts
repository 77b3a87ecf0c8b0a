// End to end: the bundled action as the scheduler and the execute job, on real checkouts mirrored into
// the local GitHub API server. A rolled-back run ends with the pre-filled review report in its result
// issue, the review-due label and the requester assigned; a tick a day later (the action's clock moved
// by libfaketime, as the runner's would have) posts the immediate review's reminder, once.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { REPO, dueRequest, startMaintenance, type Maintenance } from './maintenance.ts';

let repo: Maintenance;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
});

/** Debian's libfaketime (package faketime): the process sees the clock moved by an offset. */
const FAKETIME_LIBRARIES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

/** The environment that runs the action `offset` later (`+1d`): its wall clock only, not its timers. */
function later(offset: string): Record<string, string> {
  const library = FAKETIME_LIBRARIES.find((path) => existsSync(path));
  if (!library) throw new Error('libfaketime is missing: apt-get install faketime');
  return { LD_PRELOAD: library, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}

const issueOf = (id: string) => repo.server.state.issues(REPO).find((i) => i.body?.includes(id))!;
const commentsOf = (number: number) => repo.server.state.comments(REPO, number).map((c) => c.body);
const actionsOf = (outputs: Record<string, string>) =>
  (JSON.parse(outputs.actions ?? '[]') as { action: string }[]).map((a) => a.action);

describe('the review of a rolled-back maintenance', () => {
  it('ends with the pre-filled review in its issue, the label, the assignee, and one reminder a day later', async () => {
    repo = await startMaintenance();
    repo.merge({
      'maintenance/deploy.yaml': dueRequest({
        title: 'Deploy',
        steps: "[{name: deploy, run: 'echo deploying && exit 1'}]",
        rollback_steps: "[{name: restore, run: 'touch restored'}]",
      }),
    });
    const started = await repo.tick();
    expect(started.code, started.stdout + started.stderr).toBe(0);
    const [run] = repo.runs();
    // Someone took the issue over during the work.
    issueOf('deploy').assignees = ['bob'];

    const executed = await repo.execute(run!);
    expect(executed.outputs.outcome).toBe('rolled-back');
    repo.server.completeRun(REPO, run!.id, 'failure');
    const ended = await repo.tick();
    expect(ended.code, ended.stdout + ended.stderr).toBe(0);
    expect(actionsOf(ended.outputs)).toEqual(['rollback', 'unsilence']);

    const issue = issueOf('deploy');
    expect(issue.state).toBe('closed');
    expect(issue.labels).toEqual(
      expect.arrayContaining(['maintenance:rolled-back', 'maintenance:review-due']),
    );
    expect(issue.assignees).toEqual(['bob', 'alice']);
    const marker = decodeStateMarker(issue.body ?? '');
    expect(marker.kind === 'found' && marker.state.review).toMatchObject({ due: ['rolled-back'] });
    const report = commentsOf(issue.number).find((c) => c.includes('<!-- maint:notice review -->'))!;
    for (const text of [
      '## 📝 Maintenance Review Report',
      '**A review is due** (rolled back)',
      '- **Duration:** planned 20 min, actual',
      "- step 1 'deploy': ❌ failed",
      "- rollback step 1 'restore': ✅ passed",
      '**Rollback:** the rollback steps ran (above).',
      '- announcement: ',
      '### Performance Impact',
      '### Lessons Learned',
      '### Action Items',
      '[Execute run](https://github.com/acme/ops/actions/runs/',
    ])
      expect(report, text).toContain(text);

    // The same day: nothing more.
    const quiet = await repo.tick();
    expect(actionsOf(quiet.outputs)).toEqual([]);

    // A day later (and a few seconds): the immediate review's reminder; a repeated tick sends none.
    const dayLater = await repo.tick({ env: later('+1d') });
    expect(dayLater.code, dayLater.stdout + dayLater.stderr).toBe(0);
    expect(actionsOf(dayLater.outputs)).toEqual(['review-remind:P1D']);
    const again = await repo.tick({ env: later('+1d') });
    expect(actionsOf(again.outputs)).toEqual([]);
    const reminders = commentsOf(issue.number).filter((c) => c.includes('<!-- maint:notice review-remind:'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain('### 📝 Reminder: the immediate review of this maintenance is due');
    expect(reminders[0]).toContain('@alice, this maintenance ended');
    expect(issueOf('deploy').state).toBe('closed');
  }, 120_000);
});
