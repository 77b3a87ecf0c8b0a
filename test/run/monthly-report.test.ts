import { afterEach, describe, expect, it } from 'vitest';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { ensureMonthlyReport, reportMonth, schedulerHealth } from '../../src/modes/monthly-report.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { requestFile } from '../helpers/requests.ts';
import { seedClosedResult, testRepo } from './support.ts';

let server: GitHubServer | undefined;
afterEach(async () => {
  if (!server) return;
  expect(server.violations).toEqual([]);
  await server.close();
  server = undefined;
});

const track = (started: GitHubServer) => (server = started);
const policy = defaultPolicy();

const DAY = 86_400_000;

describe('the monthly report issue', () => {
  it('is made once in the first days of the month, with the previous month figures', async () => {
    const now = Date.parse('2027-02-01T00:22:00Z');
    const server = await startGitHubServer({ clock: () => new Date(now - 3 * DAY) });
    track(server);
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    const files = [
      requestFile('jan-patch', { start: '2027-01-17T02:00' }),
      requestFile('jan-missed', { start: '2027-01-20T02:00' }),
    ];
    const closed = (key: string, state: OccurrenceState) => seedClosedResult(server, key, state);
    closed('jan-patch', {
      state: 'completed',
      done: ['announce', 'start', 'complete'],
      actual: { start: '2027-01-17T02:00:00Z', end: '2027-01-17T02:50:00Z' },
    });
    closed('jan-missed', {
      state: 'missed',
      done: ['announce', 'miss', 'review'],
      review: { since: '2027-01-20T05:00:00Z', due: ['missed'] },
    });
    const github = testRepo(server);
    const facts = async () => ({
      previousRunAt: now - 3 * 3_600_000,
      isPublic: true,
      lastActivityAt: now - 50 * DAY,
    });

    const made = await ensureMonthlyReport(github, { files, policy, now, facts });
    expect(made).toBeDefined();
    const report = server.state.issues('acme/ops').find((i) => i.number === made)!;
    expect(report.title).toBe('Maintenance report 2027-01');
    expect(report.labels).toContain('maintenance-report');
    expect(report.body).toMatch(/2 planned, 1 completed, 1 missed/);
    expect(report.body).toMatch(/runs were late or dropped/);
    expect(report.body).toContain(
      'Reviews: 1 due; 0 done within 24 h, 0 within 7 days, 1 overdue; completion 0% (target 100%).',
    );
    expect(report.body).toMatch(/No activity in this public repository for 50 days/);

    expect(await ensureMonthlyReport(github, { files, policy, now: now + 3_600_000, facts })).toBeUndefined();
    expect(
      server.state.issues('acme/ops').filter((i) => i.title.startsWith('Maintenance report')),
    ).toHaveLength(1);
  });

  it.each([
    ['2027-02-01T00:22:00Z', '2027-01'],
    ['2027-01-03T23:00:00Z', '2026-12'],
    ['2027-02-04T00:00:00Z', undefined],
    ['2027-02-15T12:00:00Z', undefined],
  ])('at %s reports %s', (now, month) => {
    expect(reportMonth(Date.parse(now), 'UTC')).toBe(month);
  });

  it('says nothing alarming when the scheduler is healthy', () => {
    const now = Date.parse('2027-02-01T00:22:00Z');
    const lines = schedulerHealth(now, 'UTC', {
      previousRunAt: now - 15 * 60_000,
      isPublic: true,
      lastActivityAt: now - 2 * DAY,
    });
    expect(lines).toEqual(['- The scheduled run before this one started 15 min earlier, as expected.']);
  });
});
