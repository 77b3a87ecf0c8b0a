import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerPlanCommand } from '../../src/cli/plan.ts';
import { registerReportCommand } from '../../src/cli/report.ts';
import { EXIT } from '../../src/cli/io.ts';
import { ConfigurationError, UsageError } from '../../src/errors.ts';

// The commands as the lead registers them in program.ts, with its exit-code mapping.
async function maint(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (text: string) => out.push(text),
    err: (text: string) => err.push(text),
    now: () => Date.parse('2027-01-04T00:00:00Z'),
    cwd: process.cwd(),
    env: {},
  };
  let code: number = EXIT.ok;
  const program = new Command('maint')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) });
  registerPlanCommand(program, io, (c) => (code = c));
  registerReportCommand(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = EXIT.usage;
    else if (error instanceof UsageError || error instanceof ConfigurationError) {
      io.err(`maint: ${error.message}`);
      code = EXIT.usage;
    } else throw error;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const FIXTURES = 'test/fixtures/lifecycle';

describe('maint plan', () => {
  it('--format json prints {"actions":[{id, action, at}]} and nothing else', async () => {
    const { code, stdout, stderr } = await maint([
      'plan',
      '--now',
      '2027-01-09T02:00:00Z',
      '--state',
      `${FIXTURES}/state-weekly-announced.json`,
      '--format',
      'json',
    ]);
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual({
      actions: [
        {
          id: 'weekly-api-rolling-update@2027-01-10T02:00',
          action: 'remind:P1D',
          at: '2027-01-09T02:00:00Z',
        },
        { id: 'weekly-api-rolling-update@2027-01-17T02:00', action: 'announce', at: '2027-01-09T02:00:00Z' },
      ],
    });
  });

  it('text: one line per action, in plain language', async () => {
    const { code, stdout } = await maint([
      'plan',
      '--now',
      '2027-01-09T02:00:00Z',
      '--state',
      `${FIXTURES}/state-weekly-announced.json`,
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'weekly-api-rolling-update@2027-01-10T02:00: send the 1-day reminder (due Saturday 9 January 2027, 02:00 UTC)',
      'weekly-api-rolling-update@2027-01-17T02:00: announce it and open its result issue (due Saturday 9 January 2027, 02:00 UTC)',
    ]);
  });

  it('text gives times in the request zone with UTC, and why a step is skipped', async () => {
    const { stdout } = await maint(['plan', '--now', '2027-01-10T03:10:00Z']);
    expect(stdout).toContain(
      'orders-schema-migration: skip the 14-day reminder (due Sunday 10 January 2027, 04:00 CET (03:00 UTC); the announcement covers it)',
    );
  });

  it('without --state nothing has happened yet: everything in view is announced', async () => {
    const { stdout } = await maint(['plan', '--now', '2027-01-04T00:00:00Z', '--format', 'json']);
    expect(
      JSON.parse(stdout).actions.map((a: { id: string; action: string }) => `${a.id} ${a.action}`),
    ).toEqual([
      'emergency-openssh-patch announce',
      'weekly-api-rolling-update@2027-01-10T02:00 announce',
      'dev-database-refresh announce',
      'api-certificate-renewal announce',
      'staging-kubernetes-upgrade announce',
      'openssl-security-patch announce',
      'orders-schema-migration announce',
    ]);
  });

  it('says so when nothing is due', async () => {
    const { stdout } = await maint([
      'plan',
      '--now',
      '2027-01-09T03:00:00Z',
      '--dir',
      `${FIXTURES}/broken-requests`,
      '--state',
      `${FIXTURES}/state-weekly-announced.json`,
    ]);
    expect(stdout).toBe('Nothing is due at Saturday 9 January 2027, 03:00 UTC.');
  });

  it('a request file that no longer parses is a warning; the others are planned', async () => {
    const { code, stdout, stderr } = await maint([
      'plan',
      '--now',
      '2027-01-04T00:00:00Z',
      '--dir',
      `${FIXTURES}/broken-requests`,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^maint plan: warning: test\/fixtures\/lifecycle\/broken-requests\/half-written.yaml: no longer parses \(line \d+: .*\); skipped$/,
    );
    expect(JSON.parse(stdout).actions).toEqual([
      { id: 'api-certificate-renewal', action: 'announce', at: '2027-01-04T00:00:00Z' },
    ]);
  });

  it.each([
    [
      'a state file with a bad action: exit 2 with the JSON path',
      ['--state', `${FIXTURES}/state-bad-action.json`],
      'maint: --state test/fixtures/lifecycle/state-bad-action.json: $["weekly-api-rolling-update@2027-01-10T02:00"].done[1]: `remind:one day` is not an action',
    ],
    [
      'a state file that is not JSON',
      ['--state', `${FIXTURES}/state-not-json.json`],
      'maint: --state test/fixtures/lifecycle/state-not-json.json: not JSON (',
    ],
    [
      'a state file that does not exist',
      ['--state', `${FIXTURES}/nope.json`],
      'maint: --state test/fixtures/lifecycle/nope.json: no such file',
    ],
    [
      'a --now without offset',
      ['--now', '2027-01-04T00:00'],
      'maint: --now 2027-01-04T00:00: expected an ISO 8601 instant',
    ],
    ['a --dir that does not exist', ['--dir', 'nowhere'], 'maint: nowhere: no such file or folder'],
  ])('%s', async (_, extra, message) => {
    const args = extra.includes('--now') ? extra : ['--now', '2027-01-04T00:00:00Z', ...extra];
    const { code, stderr } = await maint(['plan', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('--now is required', async () => {
    const { code, stderr } = await maint(['plan']);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--now <iso>' not specified");
  });
});

describe('maint report', () => {
  it('--format json: the month’s metrics from the recorded states', async () => {
    const { code, stdout } = await maint([
      'report',
      '--month',
      '2027-01',
      '--state',
      `${FIXTURES}/state-january.json`,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      month: '2027-01',
      zone: 'UTC',
      from: '2027-01-01T00:00:00Z',
      to: '2027-02-01T00:00:00Z',
    });
    // Weekly API (4 Sundays), emergency, dev refresh, certificate, staging upgrade, OpenSSL, orders.
    expect(report.overall).toMatchObject({
      total: 10,
      completed: 2,
      rolledBack: 1,
      missed: 1,
      overruns: 1,
      emergencies: 1,
    });
    expect(report.overall.rollbackRate).toBeCloseTo(1 / 3);
    expect(report.occurrences[0]).toEqual({
      key: 'emergency-openssh-patch',
      environment: 'production',
      services: ['bastion'],
      emergency: true,
      outcome: 'completed',
      plannedStart: '2027-01-04T09:30:00Z',
      plannedEnd: '2027-01-04T10:30:00Z',
      actualStart: '2027-01-04T09:31:00Z',
      actualEnd: '2027-01-04T10:16:00Z',
      onTime: true,
      overrun: false,
    });
  });

  it('text: a summary, a table overall and per environment and service, then each occurrence', async () => {
    const { code, stdout } = await maint([
      'report',
      '--month',
      '2027-01',
      '--state',
      `${FIXTURES}/state-january.json`,
    ]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Maintenance in 2027-01 (UTC): 10 planned, 2 completed, 1 missed, 0 cancelled.');
    expect(lines[1]).toBe('Mean duration 2 h against 1 h estimated, over 3 measured.');
    expect(lines[3]).toMatch(/^SCOPE\s+PLANNED\s+CANCELLED\s+COMPLETED\s+ON TIME\s+DURATION VS ESTIMATE/);
    expect(lines[4]).toMatch(/^all\s+10\s+0\s+2\s+50%\s+\+100% \(outside 10%\)\s+1\s+33%\s+1\s+10%\s+6$/);
    expect(stdout).toContain('environment production');
    expect(stdout).toContain('service api');
    expect(stdout).toContain(
      '2027-01-17T02:00:00Z  weekly-api-rolling-update@2027-01-17T02:00  rolled-back (overran)',
    );
  });

  it('adds the process metrics: reviews, request processing, notification coverage', async () => {
    const { code, stdout } = await maint([
      'report',
      '--month',
      '2027-01',
      '--state',
      `${FIXTURES}/state-january.json`,
      '--now',
      '2027-02-01T00:00:00Z',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const { process } = JSON.parse(stdout);
    expect(process.reviews).toMatchObject({ due: 0, rate: null });
    // Three requests were tracked (the weekly one twice), none with its pull request recorded.
    expect(process.processing).toMatchObject({ pullRequests: 0, medianMs: null, unrecorded: 3 });
    // The emergency: announced as it started, without its 2 hours of notice. The others' log holds no times.
    expect(process.notifications).toEqual({
      maintenance: 4,
      byChannel: { issue: { maintenance: 4, covered: 0, rate: 0 } },
    });
    const text = await maint(['report', '--month', '2027-01', '--state', `${FIXTURES}/state-january.json`]);
    expect(text.stdout).toContain('Reviews: none due.');
    expect(text.stdout).toContain(
      'Notification coverage (announcement and every due reminder on time; target 100%): result issue 0/4 (0%).',
    );
  });

  it('--now must be an instant', async () => {
    const { code, stderr } = await maint(['report', '--month', '2027-01', '--now', 'yesterday']);
    expect(code).toBe(2);
    expect(stderr).toContain('--now yesterday');
  });

  it('a month that is not YYYY-MM is exit 2', async () => {
    const { code, stderr } = await maint(['report', '--month', '2027-13']);
    expect(code).toBe(2);
    expect(stderr).toBe('maint: --month 2027-13: expected a month such as 2026-11');
  });
});
