// Policy blackouts that move with the calendar: a recurrence rule and a length in the policy's zone
// (`rule: FREQ=YEARLY;BYMONTH=11;BYDAY=4TH`, `duration: P5D`), checked when the policy is read,
// applied by validation, suggested around by next-slot, and published as freeze events.
import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { BlackoutCalendar } from '../../src/schedule/blackouts.ts';
import { nextSlot, scheduleIndex } from '../../src/schedule/next-slot.ts';
import { validate } from '../../src/schedule/validate.ts';
import { parseWithIcalJs, parseWithPython } from '../calendar/parsers.ts';
import { requestFile } from '../helpers/requests.ts';

const NOW = Date.parse('2027-01-04T00:00:00Z');

function policyWith(blackout: string, zone = 'America/New_York'): ReturnType<typeof parsePolicy> {
  return parsePolicy({
    path: '.github/maintenance-policy.yaml',
    text: `timezone: ${zone}
environments:
  production:
    windows: [{days: [mon, tue, wed, thu, fri, sat, sun], start: '02:00', end: '06:00'}]
blackouts:
${blackout}
`,
  });
}

const BLACK_FRIDAY = `  - name: Black Friday week
    reason: Peak sales
    rule: FREQ=YEARLY;BYMONTH=11;BYDAY=4TH
    duration: P5D`;

const policy = (): Policy => {
  const parsed = policyWith(BLACK_FRIDAY);
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.findings));
  return parsed.policy;
};

/** The fourth Thursday of November, counted by hand. */
function thanksgiving(year: number): string {
  const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return `${year}-11-${firstThursday + 21}`;
}

describe('a blackout with a rule and a length', () => {
  it('starts on the fourth Thursday of November at local midnight, for five calendar days', () => {
    const periods = new BlackoutCalendar(policy()).between(
      Date.parse('2026-01-01'),
      Date.parse('2031-01-01'),
    );
    const local = (ms: number) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'America/New_York',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(ms);
    expect(periods.map((p) => [local(p.start), local(p.end)])).toEqual(
      [2026, 2027, 2028, 2029, 2030].map((year) => {
        const start = thanksgiving(year);
        const end = new Date(Date.parse(`${start}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
        return [`${start} 00:00`, `${end} 00:00`];
      }),
    );
  });

  it.each([
    ['no BYMONTH for a yearly rule', 'FREQ=YEARLY;BYDAY=4TH', 'P5D', 'rule', 'needs BYMONTH'],
    ['a COUNT', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3', 'P5D', 'rule', 'cannot use COUNT'],
    ['a rule that cannot be read', 'FREQ=HOURLY', 'P5D', 'rule', 'FREQ=HOURLY is not allowed'],
    ['a month 13 UNTIL', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;UNTIL=20271301', 'P5D', 'rule', 'no month 13'],
    [
      'a length in months',
      'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
      'P1M',
      'duration',
      'is not valid: ISO 8601 duration',
    ],
    [
      'a length with seconds',
      'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
      'PT30S',
      'duration',
      'must be a length such as P5D',
    ],
    ['more than a year', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'P400D', 'duration', 'longer than a year'],
  ])('is checked: %s', (_name, rule, duration, field, message) => {
    const parsed = policyWith(`  - name: x\n    rule: ${rule}\n    duration: ${duration}`);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.findings).toMatchObject([
      { severity: 'error', line: field === 'rule' ? 7 : 8, message: expect.stringContaining(message) },
    ]);
  });

  it('needs its duration: rule alone is a schema error', () => {
    const parsed = policyWith(`  - name: x\n    rule: FREQ=YEARLY;BYMONTH=11;BYDAY=4TH`);
    expect(parsed.findings[0]?.message).toContain('`rule` with `duration`');
  });

  it('blocks requests inside it, and next-slot suggests the first slot after it', () => {
    const p = policy();
    const inside = requestFile('sale-deploy', {
      start: '2027-11-27T03:00',
      timezone: 'America/New_York',
      duration: '1h',
    });
    const report = validate({ policy: p, now: NOW, targets: [inside] });
    const blackout = report.files[0]!.errors.find((f) => f.rule === 'blackout');
    expect(blackout?.message).toContain('Black Friday week');
    const slot = nextSlot(
      {
        environment: 'production',
        services: ['api'],
        durationMs: 3_600_000,
        impact: 'low',
        after: Date.parse('2027-11-25T12:00:00Z'),
      },
      p,
      scheduleIndex([], p, NOW),
      NOW,
    );
    // The blackout ends at midnight New York time on 30 November; the window opens at 02:00.
    expect(slot).toMatchObject({ found: true, start: Date.parse('2027-11-30T07:00:00Z') });
  });

  it.each(['ical.js', 'python3-icalendar'] as const)(
    'is published as all-day freeze events (%s)',
    (reader) => {
      const feeds = buildFeeds({ requests: [], policy: policy(), now: NOW, sequences: new Map() });
      const text = feeds.get('freezes.ics')!;
      const events =
        reader === 'ical.js'
          ? parseWithIcalJs(text).events
          : parseWithPython(new Map([['f', text]])).get('f')!.events;
      // Those overlapping [now - keep_after_end, now + horizon]: last year's and this year's.
      expect(events.map((e) => [e.summary, e.all_day, e.dtstart, e.dtend])).toEqual([
        ['Change freeze: Black Friday week', true, '2026-11-26', '2026-12-01'],
        ['Change freeze: Black Friday week', true, '2027-11-25', '2027-11-30'],
      ]);
    },
  );
});
