// A member's schedule.json is untrusted: what is not JSON of the schema's version 1, or not the
// member's own, is refused with the reason; occurrences that could do harm are left out and counted.
import { describe, expect, it } from 'vitest';
import { readHubSchedule, readMemberSchedule } from '../../src/hub/schedule-input.ts';
import { buildScheduleDocument, type ScheduleDocument } from '../../src/publish/schedule-json.ts';
import { request } from '../helpers/requests.ts';
import { NOW, policy } from './site-fixture.ts';

function document(repository = 'acme/payments'): ScheduleDocument {
  const [owner = '', name = ''] = repository.split('/');
  return buildScheduleDocument({
    requests: [
      request('db-failover', { start: '2027-03-14T03:00', services: '[db, payments]' }),
      request('patch', { start: '2027-03-21T03:00', recurrence: 'FREQ=WEEKLY;COUNT=2' }),
    ],
    policy: policy(),
    now: NOW,
    repo: { owner, name },
  });
}

const text = (doc: unknown) => JSON.stringify(doc);

describe('readMemberSchedule', () => {
  it('takes the member own schedule and places each occurrence in the repository', () => {
    const read = readMemberSchedule(text(document()), 'ACME/Payments');
    if ('problem' in read) throw new Error(read.problem);
    expect(read.dropped).toEqual([]);
    expect(read.occurrences.map((o) => [o.uid, o.repository])).toEqual([
      ['db-failover@acme.payments.maint', 'ACME/Payments'],
      ['patch@acme.payments.maint', 'ACME/Payments'],
      ['patch@acme.payments.maint', 'ACME/Payments'],
    ]);
  });

  it.each([
    ['text that is not JSON', '<html>Site not found</html>', 'is not JSON'],
    ['another version', text({ ...document(), version: 2 }), '`version` must be 1'],
    [
      'a missing field',
      text({ ...document(), occurrences: undefined }),
      'missing required field `occurrences`',
    ],
    [
      "another repository's schedule",
      text(document('acme/orders')),
      'is the schedule of acme/orders, not of acme/payments',
    ],
  ])('refuses %s', (_name, input, problem) => {
    const read = readMemberSchedule(input, 'acme/payments');
    expect('problem' in read && read.problem).toContain(problem);
  });

  it.each([
    ['a UID of another repository', { uid: 'db@acme.orders.maint' }, 'its UID is not of acme/payments'],
    [
      'an environment that cannot name a file',
      { environment: '../etc' },
      'environment "../etc" is not a valid name',
    ],
    ['a service that cannot name a file', { services: ['db', 'a b'] }, 'service "a b" is not a valid name'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'time zone "Mars/Olympus" is unknown'],
    ['an end before its start', { end_utc: '2027-03-14T01:00:00Z' }, 'does not end after it starts'],
  ])('leaves out an occurrence with %s, saying why', (_name, change, why) => {
    const doc = document();
    doc.occurrences[0] = { ...doc.occurrences[0]!, ...change };
    const read = readMemberSchedule(text(doc), 'acme/payments');
    if ('problem' in read) throw new Error(read.problem);
    expect(read.occurrences).toHaveLength(2);
    expect(read.dropped).toHaveLength(1);
    expect(read.dropped[0]).toContain(why);
  });

  it('leaves out an occurrence listed twice', () => {
    const doc = document();
    doc.occurrences.push(doc.occurrences[0]!);
    const read = readMemberSchedule(text(doc), 'acme/payments');
    if ('problem' in read) throw new Error(read.problem);
    expect(read.dropped).toEqual(['db-failover@acme.payments.maint: it is listed twice']);
  });
});

describe('readHubSchedule', () => {
  it('needs every occurrence to name its repository', () => {
    const doc = document();
    doc.occurrences = doc.occurrences.map((o, i) => (i === 0 ? o : { ...o, repository: 'acme/payments' }));
    const read = readHubSchedule(text(doc));
    if ('problem' in read) throw new Error(read.problem);
    expect(read.occurrences).toHaveLength(2);
    expect(read.dropped).toEqual(['db-failover@acme.payments.maint: it names no repository']);
  });
});
