// Request files: every problem located at its field, with the fix in the message. Hostile text is
// valid input (it is escaped where it is shown, never refused).
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/model/request.ts';
import { requestYaml } from '../helpers/requests.ts';

const parse = (fields: Record<string, string | undefined>, path = 'maintenance/2027/r.yaml') =>
  parseRequest({ path, text: requestYaml(fields) });

describe('request files', () => {
  it('a valid request resolves its instants', () => {
    const { request, findings } = parse({
      start: '2027-01-17T02:00',
      timezone: 'Europe/Berlin',
      duration: '90m',
    });
    expect(findings).toEqual([]);
    expect(new Date(request!.startsAt).toISOString()).toBe('2027-01-17T01:00:00.000Z');
    expect(request!.durationMs).toBe(90 * 60_000);
    expect(request!.status).toBe('scheduled');
  });

  it.each([
    [
      'unknown field with suggestion',
      { rollbak: 'x', rollback: undefined },
      'schema',
      13,
      1,
      'unknown field `rollbak`; did you mean `rollback`?',
    ],
    [
      'missing field says what it is for',
      { rollback: undefined },
      'schema',
      1,
      1,
      'missing required field `rollback` (How to revert.)',
    ],
    [
      'enum with suggestion',
      { impact: 'hgih' },
      'schema',
      9,
      9,
      '`impact` must be one of low, medium, high; got `hgih`; did you mean `high`?',
    ],
    [
      'wrong type',
      { services: 'api' },
      'schema',
      5,
      11,
      '`services` must be a list (e.g. `[api, db]`); got `api`',
    ],
    [
      'bad duration',
      { duration: '2 hours' },
      'schema',
      8,
      11,
      '`duration` `2 hours` is not valid: How long the work takes: 90m, 2h',
    ],
    [
      'duration and end',
      { end: '2027-01-17T03:00' },
      'schema',
      1,
      1,
      'give exactly one of `duration` (e.g. 2h) or `end`',
    ],
    ['neither duration nor end', { duration: undefined }, 'schema', 1, 1, 'give exactly one of `duration`'],
    [
      'not a date-time',
      { start: 'next sunday' },
      'schema',
      6,
      8,
      'is not a date-time: write a local date-time such as 2027-01-17T02:00',
    ],
    ['impossible date', { start: '2027-02-30T02:00' }, 'schema', 6, 8, 'February 2027 has 28 days'],
    ['no zone, no offset', { timezone: undefined }, 'timezone', 6, 8, 'add `timezone:` with an IANA name'],
    ['unknown zone', { timezone: 'Europe/Berln' }, 'timezone', 7, 11, 'did you mean `Europe/Berlin`?'],
    ['zone in the wrong case', { timezone: 'europe/berlin' }, 'timezone', 7, 11, 'write `Europe/Berlin`'],
    [
      'offset disagrees with the zone',
      { start: '2027-07-18T02:00+01:00', timezone: 'Europe/Berlin' },
      'timezone',
      6,
      8,
      'says +01:00 but Europe/Berlin is at +02:00',
    ],
    [
      'DST gap',
      { start: '2027-03-14T02:30', timezone: 'America/New_York' },
      'timezone',
      6,
      8,
      'clocks jump from 02:00 to 03:00',
    ],
    [
      'DST overlap needs an offset',
      { start: '2027-10-31T02:30', timezone: 'Europe/Berlin' },
      'timezone',
      6,
      8,
      '2027-10-31T02:30+02:00 for the first or 2027-10-31T02:30+01:00 for the second',
    ],
    [
      'end before start',
      { duration: undefined, end: '2027-01-17T01:00' },
      'duration',
      13,
      6,
      'is not after `start`',
    ],
    [
      'end in a DST gap',
      { start: '2027-03-28T01:00', timezone: 'Europe/Berlin', duration: undefined, end: '2027-03-28T02:30' },
      'timezone',
      13,
      6,
      'does not exist',
    ],
    [
      'bad recurrence',
      { recurrence: 'FREQ=SECONDLY' },
      'schema',
      14,
      13,
      'maintenance repeats at most daily',
    ],
    [
      'start not an occurrence',
      { recurrence: 'FREQ=WEEKLY;BYDAY=MO' },
      'schema',
      14,
      13,
      'is not an occurrence of `recurrence`',
    ],
    [
      'exdates without recurrence',
      { exdates: '["2027-01-24T02:00"]' },
      'schema',
      14,
      10,
      'removes occurrences of a `recurrence`',
    ],
    [
      'step with run and workflow',
      { steps: '[{name: x, run: y, workflow: z.yml}]' },
      'schema',
      14,
      9,
      'a step runs exactly one of `run`',
    ],
    [
      'requester with spaces',
      { requester: 'Alice Smith' },
      'schema',
      13,
      12,
      '`requester` `Alice Smith` is not valid',
    ],
  ])('%s', (_name, fields, rule, line, column, message) => {
    const finding = parse(fields).findings.find((f) => f.message.includes(message));
    expect(finding, JSON.stringify(parse(fields).findings)).toMatchObject({
      rule,
      severity: 'error',
      line,
      column,
    });
  });

  it('a file name that is not a kebab-case id', () => {
    const parsed = parse({}, 'maintenance/2027/DB Upgrade.yaml');
    expect(parsed.findings[0]!.message).toContain('rename the file to db-upgrade.yaml');
  });

  it('a start with only an offset takes that fixed zone', () => {
    const { request } = parse({ start: '2027-01-17T02:00+05:30', timezone: undefined });
    expect(request!.zone).toBe('UTC+5:30');
    expect(new Date(request!.startsAt).toISOString()).toBe('2027-01-16T20:30:00.000Z');
  });

  it.each([
    ['Markdown and mentions', '"**Bold** @org/everyone [click](http://evil) #123"'],
    ['HTML', '"<script>alert(1)</script> & <b>"'],
    ['template syntax', '"{{constructor}} {{#each x}}"'],
    ['shell metacharacters', '"$(rm -rf /); `id` | tee"'],
    ['non-Latin and emoji', '"データベース移行 🚧 ترقية"'],
  ])('hostile text in the title is valid input: %s', (_name, title) => {
    const { request, findings } = parse({ title });
    expect(findings).toEqual([]);
    expect(request!.title.length).toBeGreaterThan(0);
  });

  it('a title with a line break is refused at its line: titles are one line (issue 11)', () => {
    const { request, findings } = parse({ title: '"line one\\r\\nATTENDEE:evil"' });
    expect(request).toBeUndefined();
    expect(findings).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('`title` must be one line') }),
    ]);
  });

  it('the requester may be written with or without @', () => {
    expect(parse({ requester: '"@alice"' }).request!.requester).toBe('alice');
  });
});
