import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { defaultPolicy, parsePolicy } from '../../src/model/policy.ts';
import { loadPolicy } from '../../src/workspace/local.ts';

const parse = (text: string) => parsePolicy({ path: 'policy.yaml', text });

describe('the policy', () => {
  it('the default policy is the one of DESIGN.md section 3', () => {
    const policy = defaultPolicy();
    expect(Object.keys(policy.environments)).toEqual(['production', 'staging', 'development']);
    expect(
      policy.environments.production!.windows.map((w) => [w.days, w.startMinute / 60, w.endMinute / 60]),
    ).toEqual([
      [[7], 2, 6],
      [[3], 2, 4],
    ]);
    expect(
      policy.environments.staging!.windows.map((w) => [w.days.length, w.startMinute / 60, w.endMinute / 60]),
    ).toEqual([
      [7, 22, 23],
      [1, 18, 22],
    ]);
    expect(policy.environments.development!.anytime).toBe(true);
    expect(policy.blackouts.map((b) => b.name)).toEqual([
      'Year-end freeze',
      'Month-end close',
      'Quarter-end close',
    ]);
    const days = (ms: number) => ms / 86_400_000;
    expect([policy.notice.low, policy.notice.medium, policy.notice.high].map(days)).toEqual([1, 7, 14]);
    expect(policy.notice.emergency).toBe(2 * 3_600_000);
    expect(
      [policy.maxDuration.low, policy.maxDuration.medium, policy.maxDuration.high].map(
        (ms) => ms! / 3_600_000,
      ),
    ).toEqual([1, 3, 6]);
    expect(policy.approvals.high).toEqual({ codeOwners: 2, teams: [{ team: 'org/cto-office', count: 1 }] });
    expect(policy.approvals.emergency).toEqual({
      codeOwners: 1,
      teams: [{ team: 'org/incident-commanders', count: 1 }],
    });
    expect(policy.reminders.high).toEqual(['P14D', 'P7D', 'P1D', 'PT1H']);
    expect(policy.alerts.leadMs).toBe(30 * 60_000);
  });

  it('a section left out takes the default; environments are always the file own', () => {
    const { policy, findings } = parse('environments:\n  prod:\n    anytime: true\n');
    expect(findings).toEqual([]);
    expect(Object.keys(policy!.environments)).toEqual(['prod']);
    expect(policy!.notice.high).toBe(14 * 86_400_000);
    expect(policy!.blackouts).toHaveLength(0); // the default blackouts name production/staging...
  });

  it.each([
    [
      'unknown top-level field',
      'environments: {p: {anytime: true}}\nnotise: {low: P1D}\n',
      2,
      1,
      'unknown field `notise`; did you mean `notice`?',
    ],
    [
      'windows and anytime',
      'environments:\n  p:\n    anytime: true\n    windows: []\n',
      3,
      5,
      'give the environment either `windows` or `anytime: true`',
    ],
    [
      'bad clock',
      "environments:\n  p:\n    windows: [{days: [sun], start: '25:00', end: '06:00'}]\n",
      3,
      36,
      'HH:MM',
    ],
    [
      'bad day',
      "environments:\n  p:\n    windows: [{days: [sunday], start: '02:00', end: '06:00'}]\n",
      3,
      23,
      'must be one of mon, tue',
    ],
    [
      'bad ISO duration',
      'environments: {p: {anytime: true}}\nnotice: {low: 1 day}\n',
      2,
      15,
      'ISO 8601 duration',
    ],
    [
      'unknown environment in a blackout',
      "environments: {p: {anytime: true}}\nblackouts:\n  - name: x\n    yearly: {from: '12-20', to: '01-05'}\n    environments: [prod]\n",
      5,
      20,
      'environment `prod` is not in `environments`',
    ],
    [
      'blackout with two kinds',
      "environments: {p: {anytime: true}}\nblackouts:\n  - name: x\n    yearly: {from: '12-20', to: '01-05'}\n    from: '2027-01-01'\n    to: '2027-01-02'\n",
      3,
      5,
      'exactly one of `yearly`',
    ],
    [
      'a day that does not exist',
      "environments: {p: {anytime: true}}\nblackouts:\n  - name: x\n    yearly: {from: '02-30', to: '03-05'}\n",
      4,
      20,
      '`02-30` is not a day of the year',
    ],
    [
      'unknown zone',
      "environments:\n  p:\n    windows: [{days: [sun], start: '02:00', end: '06:00', timezone: Mars/Base}]\n",
      3,
      69,
      'is not a time zone name of the tz database',
    ],
    [
      'an allow_hosts entry with a scheme',
      'environments: {p: {anytime: true}}\nchecks:\n  allow_hosts: [10.0.0.0/8, "https://health.internal"]\n',
      3,
      29,
      '`https://health.internal` is not a host: write the host alone, without scheme, port or path',
    ],
    [
      'an allow_hosts entry that is an IPv4 address in another notation',
      'environments: {p: {anytime: true}}\nchecks:\n  allow_hosts:\n    - 0x7f.1\n',
      4,
      7,
      '`0x7f.1` reads as an IPv4 address: write it as four decimal numbers (10.0.0.5)',
    ],
    [
      'an allow_hosts range that is not one',
      'environments: {p: {anytime: true}}\nchecks: {allow_hosts: [10.0.0.0/40]}\n',
      2,
      24,
      '`10.0.0.0/40` is not a CIDR range such as 10.0.0.0/8 or fd00::/8',
    ],
    [
      'a webhook secret that is not a variable name',
      'environments: {p: {anytime: true}}\nnotices: {webhook_secrets: [ops-chat]}\n',
      2,
      29,
      'ops-chat',
    ],
  ])('%s', (_name, text, line, column, message) => {
    const { policy, findings } = parse(text);
    expect(policy).toBeUndefined();
    const hit = findings.find((f) => f.message.includes(message));
    expect(hit, JSON.stringify(findings)).toMatchObject({ line, column });
  });

  it('reads checks.allow_hosts and notices.webhook_secrets; without them, nothing internal and no extra secret', () => {
    const { policy, findings } = parse(
      'environments: {p: {anytime: true}}\nchecks:\n  allow_hosts: [health.internal, "*.svc.cluster.local", 10.0.0.0/8, "fd00::1"]\nnotices: {webhook_secrets: [OPS_CHAT]}\n',
    );
    expect(findings).toEqual([]);
    expect(policy!.checks.allowHosts).toEqual([
      'health.internal',
      '*.svc.cluster.local',
      '10.0.0.0/8',
      'fd00::1',
    ]);
    expect(policy!.notices.webhookSecrets).toEqual(['OPS_CHAT']);
    expect(defaultPolicy().checks).toEqual({ allowHosts: [] });
    expect(defaultPolicy().notices.webhookSecrets).toEqual([]);
  });

  it('reads holidays from the ICS file it names, relative to the policy file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-policy-'));
    writeFileSync(
      join(dir, 'holidays.ics'),
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:xmas\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261226\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Christmas Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    );
    writeFileSync(join(dir, 'policy.yaml'), `${DEFAULT_POLICY_YAML}\nholidays: { ics: holidays.ics }\n`);
    const { policy } = loadPolicy('policy.yaml', dir, Date.parse('2027-01-04T00:00:00Z'));
    expect(policy.holidays.days.map((h) => h.startDate)).toContain('2027-12-25');
  });

  it('an unusable policy is a configuration error naming the file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-policy-'));
    writeFileSync(join(dir, 'policy.yaml'), 'environments: {p: {anytime: true}}\nhorizon: forever\n');
    expect(() => loadPolicy('policy.yaml', dir)).toThrow(ConfigurationError);
    expect(() => loadPolicy('policy.yaml', dir)).toThrow(
      /policy\.yaml: line 2, column 10: `horizon` `forever` is not valid/,
    );
    expect(() => loadPolicy('missing.yaml', dir)).toThrow(/missing\.yaml: no such policy file/);
  });
});

describe('zone names in the policy', () => {
  it('a tz database link works, with a warning naming the current name', () => {
    const { policy, findings } = parse(
      "timezone: Asia/Calcutta\nenvironments:\n  p:\n    windows: [{days: [sun], start: '02:00', end: '06:00', timezone: US/Eastern}]\n",
    );
    expect(policy?.timezone).toBe('Asia/Calcutta');
    expect(policy?.environments.p!.windows[0]!.zone).toBe('US/Eastern');
    expect(findings).toMatchObject([
      { severity: 'warning', line: 1, message: expect.stringContaining('write `Asia/Kolkata`') },
      { severity: 'warning', line: 4, message: expect.stringContaining('write `America/New_York`') },
    ]);
  });

  it('current names that Intl calls aliases are fine', () => {
    expect(parse('timezone: Asia/Kolkata\nenvironments: {p: {anytime: true}}\n').findings).toEqual([]);
  });
});
