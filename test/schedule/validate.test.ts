// The engine's decisions beyond single rules: what is history, what a cancellation skips, how
// emergencies bypass, duplicate ids, unknown environments, series and notice scope.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import { validate } from '../../src/schedule/validate.ts';
import { NOW, requestFile, requestYaml } from '../helpers/requests.ts';

const policy = defaultPolicy();
const check = (...files: ReturnType<typeof requestFile>[]) => validate({ policy, now: NOW, targets: files });
const rules = (report: ReturnType<typeof check>, i = 0) => ({
  errors: report.files[i]!.errors.map((f) => f.rule),
  warnings: report.files[i]!.warnings.map((f) => f.rule),
});

describe('validation engine', () => {
  it('a valid request has no findings', () => {
    expect(rules(check(requestFile('ok')))).toEqual({ errors: [], warnings: [] });
  });

  it('past requests are history: only their format is checked', () => {
    const past = check(requestFile('past', { start: '2026-11-03T10:00' }));
    expect(past.files[0]!.history).toBe(true);
    expect(rules(past)).toEqual({ errors: [], warnings: [] });
    const brokenPast = check(requestFile('broken-past', { start: '2026-11-03T10:00', colour: 'red' }));
    expect(rules(brokenPast).errors).toEqual(['schema']);
  });

  it('a cancelled request is not held to windows or notice (cancelling is always allowed)', () => {
    const cancelled = check(requestFile('c', { start: '2027-01-05T10:00', status: 'cancelled' }));
    expect(rules(cancelled)).toEqual({ errors: [], warnings: [] });
  });

  it('an emergency bypasses window, notice and blackout as warnings under its own rule id', () => {
    const emergency = check(
      requestFile('e', {
        type: 'emergency',
        justification: 'Actively exploited CVE',
        start: '2027-01-04T01:00',
      }),
    );
    expect(rules(emergency)).toEqual({ errors: [], warnings: ['emergency', 'emergency', 'emergency'] });
    expect(emergency.files[0]!.warnings.map((w) => w.message).join('\n')).toMatch(
      /bypass `window`[\s\S]*bypass `blackout`[\s\S]*bypass `notice`/,
    );
  });

  it('an emergency with an incident reference needs no notice', () => {
    const withIncident = check(
      requestFile('e', {
        type: 'emergency',
        justification: 'x',
        incident: 'INC-1',
        start: '2027-01-04T00:10',
      }),
    );
    expect(withIncident.files[0]!.warnings.some((w) => w.message.includes('bypass `notice`'))).toBe(false);
  });

  it('only what the policy lets emergencies bypass', () => {
    const strict = { ...policy, emergency: { ...policy.emergency, mayBypass: ['notice' as const] } };
    const report = validate({
      policy: strict,
      now: NOW,
      targets: [requestFile('e', { type: 'emergency', justification: 'x', start: '2027-01-04T01:00' })],
    });
    expect(report.files[0]!.errors.map((f) => f.rule).sort()).toEqual(['blackout', 'window']);
  });

  it('duplicate ids are errors naming the other file', () => {
    const a = requestFile('same', {});
    const b = { ...requestFile('same', {}), path: 'maintenance/2028/same.yaml' };
    const report = check(a, b);
    expect(report.files[0]!.errors[0]!.message).toContain('also used by maintenance/2028/same.yaml');
  });

  it('an environment the policy does not name, with a suggestion', () => {
    const report = check(requestFile('x', { environment: 'prodution' }));
    expect(report.files[0]!.errors[0]).toMatchObject({ rule: 'schema', line: 4 });
    expect(report.files[0]!.errors[0]!.message).toContain('did you mean `production`?');
  });

  it('checks every occurrence of a series within the horizon and counts the failures', () => {
    // Every Wednesday 02:00-03:00 for a year: month-end blackouts and the year-end freeze hit some.
    const report = check(
      requestFile('weekly', { start: '2027-01-06T02:00', recurrence: 'FREQ=WEEKLY;BYDAY=WE' }),
    );
    const [blackout] = report.files[0]!.errors;
    expect(blackout!.rule).toBe('blackout');
    expect(blackout!.message).toMatch(/and \d+ more of the \d+ occurrences checked/);
  });

  it('minimum notice applies only where the caller says (requests added or re-timed)', () => {
    const soon = requestFile('soon', { start: '2027-01-06T02:00', impact: 'medium' });
    const all = validate({ policy, now: NOW, targets: [soon] });
    const onlyNew = validate({ policy, now: NOW, targets: [soon], noticeApplies: () => false });
    expect(rules(all).errors).toContain('notice');
    expect(rules(onlyNew).errors).not.toContain('notice');
  });

  it('suggests the next free slot when the time is refused', () => {
    const report = check(requestFile('late', { start: '2027-01-19T10:00' }));
    expect(report.files[0]!.nextSlot).toMatchObject({
      found: true,
      start: Date.parse('2027-01-06T02:00:00Z'),
    });
  });

  it('finds conflicts among hundreds of requests without comparing all pairs', () => {
    // 400 one-hour requests on distinct services, all on Sunday mornings over 100 weeks: no two share a service.
    const files = Array.from({ length: 400 }, (_, i) => {
      const week = Math.floor(i / 4);
      const date = new Date(Date.parse('2027-01-10T02:00:00Z') + week * 7 * 86_400_000)
        .toISOString()
        .slice(0, 16);
      return requestFile(`r${i}`, { start: date, services: `[svc-${i}]` });
    });
    const report = validate({
      policy: {
        ...policy,
        environments: {
          ...policy.environments,
          production: { ...policy.environments.production!, maxConcurrent: 10 },
        },
      },
      now: NOW,
      targets: files,
    });
    expect(report.summary.errors).toBeGreaterThan(0); // some Sundays are in blackouts (year end)
    expect(report.files.every((f) => f.errors.every((e) => e.rule !== 'conflict'))).toBe(true);
    // The three others of its Sunday are one warning, naming them all in `overlaps`.
    const [warning, ...more] = report.files[0]!.warnings.filter((w) => w.rule === 'conflict');
    expect(more).toEqual([]);
    expect(warning!.overlaps?.slots.map((s) => s.requests)).toEqual([['r1', 'r2', 'r3']]);
  });
});

/** The 1-based line of the first line containing (or matching) `what`. */
function lineOf(text: string, what: string | RegExp): number {
  return text.split('\n').findIndex((l) => (typeof what === 'string' ? l.includes(what) : what.test(l))) + 1;
}

describe('notify: the secrets a request may name in notify', () => {
  const listing = { ...policy, notices: { ...policy.notices, webhookSecrets: ['OPS_CHAT'] } };
  it.each([
    ['slack_webhook_secret', 'MAINT_SLACK_OPS', policy, undefined],
    ['teams_webhook_secret', 'TEAMS_WEBHOOK_URL', policy, undefined],
    ['slack_webhook_secret', 'OPS_CHAT', listing, undefined],
    ['slack_webhook_secret', 'OPS_CHAT', policy, /may not be named by a request.*`notices\.webhook_secrets`/],
    [
      'teams_webhook_secret',
      'MAINT_TOKEN',
      listing,
      /`MAINT_TOKEN` is a GitHub token, never a webhook secret/,
    ],
    ['slack_webhook_secret', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', policy, /a variable of the runner/],
  ])('notify.%s: %s', (field, name, withPolicy, refusal) => {
    const fields = { notify: `\n  ${field}: ${name}` };
    const file = requestFile('n', fields);
    const report = validate({ policy: withPolicy, now: NOW, targets: [file] });
    const found = report.files[0]!.errors.filter((f) => f.rule === 'notify');
    if (refusal === undefined) return expect(found).toEqual([]);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(new RegExp(`^\`notify\\.${field}\`: `));
    expect(found[0]!.message).toMatch(refusal);
    expect(found[0]!.line).toBe(lineOf(requestYaml(fields), name));
  });
});

describe('runner-time: work longer than a hosted runner job', () => {
  const roomy = { ...policy, maxDuration: {} };
  it.each([
    ['6 h of steps: fits', { duration: '6h', steps: '[{name: s, run: x}]' }, false],
    ['6 h 1 min of steps: warned', { duration: '361m', steps: '[{name: s, run: x}]' }, true],
    [
      '8 h of steps, written with end',
      { end: '2027-01-17T10:00', duration: undefined, steps: '[{name: s, run: x}]' },
      true,
    ],
    ['8 h without steps (manual work)', { duration: '8h' }, false],
    ['8 h of checks only', { duration: '8h', checks: '{before: [{name: c, run: x}]}' }, false],
  ])('%s', (_name, fields, warned) => {
    const all = { environment: 'development', ...fields };
    const file = requestFile('long', all);
    const report = validate({ policy: roomy, now: NOW, targets: [file] });
    const found = report.files[0]!.warnings.filter((f) => f.rule === 'runner-time');
    expect(found).toHaveLength(warned ? 1 : 0);
    if (warned) {
      expect(found[0]!.message).toMatch(/a job may run on a GitHub-hosted runner.*`runs-on`/);
      expect(found[0]!.line).toBe(lineOf(requestYaml(all), /^(duration|end):/));
    }
    expect(report.files[0]!.errors).toEqual([]);
  });
});
