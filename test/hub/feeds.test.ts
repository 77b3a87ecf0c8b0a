// The hub's feeds, read back by two independent parsers: every UID of every member once, with
// exactly the occurrences the members published (a series as DTSTART plus RDATEs), in the feeds of
// its environment, services, team and repository; and the hub's schedule.json, valid and whole.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crossRepositoryConflicts } from '../../src/hub/conflicts.ts';
import { mergeSchedules } from '../../src/hub/merge.ts';
import { buildHubSite, scheduleJsonPieces } from '../../src/hub/site.ts';
import { emptyState } from '../../src/hub/state.ts';
import { dataValidators } from '../../src/model/schema-validators.ts';
import type { ScheduleDocument } from '../../src/publish/schedule-json.ts';
import { parseWithIcalJs } from '../calendar/parsers.ts';
import { NOW, fixtureMembers, member, policy } from './site-fixture.ts';

function build() {
  const members = [member('acme/payments', ['payments']), member('acme/orders', ['orders', 'payments'])];
  const merged = mergeSchedules(fixtureMembers(), NOW - 90 * 86_400_000);
  const hubPolicy = policy();
  return buildHubSite({
    occurrences: merged.occurrences,
    members,
    reports: [],
    policy: hubPolicy,
    now: NOW,
    hub: { owner: 'acme', name: 'hub' },
    baseUrl: 'https://acme.github.io/hub/',
    conflicts: crossRepositoryConflicts(merged.occurrences, hubPolicy, NOW),
    state: emptyState(),
  });
}

/** DTSTART and each RDATE of every VEVENT, in UTC, as python3-icalendar reads them. */
function pythonStarts(ics: string): Record<string, string[]> {
  const script = `
import json, sys, datetime
from icalendar import Calendar
out = {}
for event in Calendar.from_ical(sys.stdin.read()).walk("VEVENT"):
    start = event.decoded("DTSTART")
    if not isinstance(start, datetime.datetime):
        continue
    starts = {start}
    rdate = event.get("RDATE")
    for item in (rdate if isinstance(rdate, list) else [rdate] if rdate is not None else []):
        starts |= {entry.dt for entry in item.dts}
    out[str(event["UID"])] = sorted(s.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") for s in starts)
print(json.dumps(out))
`;
  const result = spawnSync('/usr/bin/python3', ['-c', script], { input: ics, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

describe('the hub site', () => {
  const files = build();
  const schedule = JSON.parse(files.get('schedule.json')!) as ScheduleDocument;
  const expected = new Map<string, string[]>();
  for (const o of schedule.occurrences) expected.set(o.uid, [...(expected.get(o.uid) ?? []), o.start_utc]);

  it('publishes a schedule.json that follows the schema, each occurrence with its repository', () => {
    expect(dataValidators().schedule(schedule), JSON.stringify(dataValidators().schedule.errors)).toBe(true);
    expect(schedule.repository).toBe('acme/hub');
    expect(new Set(schedule.occurrences.map((o) => o.repository))).toEqual(
      new Set(['acme/payments', 'acme/orders']),
    );
    // 1 + 6 + 1 of payments, 2 + 1 of orders.
    expect(schedule.occurrences).toHaveLength(11);
    expect(Object.keys(schedule.occurrences[0]!).slice(0, 3)).toEqual(['uid', 'id', 'repository']);
  });

  it('writes each UID once, with exactly the published occurrences (ical.js)', () => {
    const feed = parseWithIcalJs(files.get('maintenance.ics')!);
    const events = feed.events.filter((e) => !e.uid.startsWith('freeze-'));
    expect(events.map((e) => e.uid).sort()).toEqual([...expected.keys()].sort());
    for (const event of events) {
      const starts = event.occurrences ?? [event.dtstart];
      expect(starts, event.uid).toEqual(expected.get(event.uid));
      const published = schedule.occurrences.find((o) => o.uid === event.uid)!;
      expect(Date.parse(event.dtend!) - Date.parse(event.dtstart)).toBe(
        Date.parse(published.end_utc) - Date.parse(published.start_utc),
      );
    }
    expect(events.find((e) => e.uid === 'old-plan@acme.payments.maint')?.status).toBe('CANCELLED');
    expect(events.find((e) => e.uid === 'db-failover@acme.payments.maint')?.tzid).toBe('Europe/Berlin');
  });

  it('writes the same occurrences as python3-icalendar reads them', () => {
    const starts = pythonStarts(files.get('maintenance.ics')!);
    for (const [uid, list] of expected) expect(starts[uid], uid).toEqual([...list].sort());
  });

  it('writes a published series as DTSTART, its RDATEs and one DURATION, never an RRULE', () => {
    const text = files.get('maintenance.ics')!.replace(/\r\n /g, '');
    expect(text).not.toMatch(/RRULE:RDATE/);
    // The two-occurrence series: DTSTART, both starts as RDATE, their length exact, no DTEND.
    const twice = /BEGIN:VEVENT\r\nUID:twice@acme\.orders\.maint[\s\S]*?END:VEVENT/.exec(text)![0];
    expect(twice).toContain('\r\nRDATE:20270308T020000Z,20270315T010000Z\r\nDURATION:PT1H\r\n');
    expect(twice).not.toMatch(/\r\n(DTEND|RRULE)[:;]/);
  });

  it('has a feed per environment, service, team and repository with the right events', () => {
    const uids = (path: string) =>
      parseWithIcalJs(files.get(path)!)
        .events.map((e) => e.uid)
        .filter((u) => !u.startsWith('freeze-'))
        .sort();
    expect(uids('repo/acme/orders.ics')).toEqual(['db-upgrade@acme.orders.maint', 'twice@acme.orders.maint']);
    expect(uids('team/orders.ics')).toEqual(uids('repo/acme/orders.ics'));
    expect(uids('team/payments.ics')).toEqual([...expected.keys()].sort());
    expect(uids('service/db.ics')).toEqual([
      'db-failover@acme.payments.maint',
      'db-upgrade@acme.orders.maint',
    ]);
    expect(uids('env/staging.ics')).toEqual(['weekly-patch@acme.payments.maint']);
    expect(uids('env/development.ics')).toEqual([]);
  });

  it('links every event back to its request file and pull request in its own repository', () => {
    const event = parseWithIcalJs(files.get('maintenance.ics')!).events.find(
      (e) => e.uid === 'db-upgrade@acme.orders.maint',
    )!;
    expect(event.url).toBe('https://github.com/acme/orders/pull/12');
    expect(event.description).toContain('Repository: acme/orders');
    expect(event.description).toContain(
      'Request file: https://github.com/acme/orders/blob/HEAD/maintenance/2027/db-upgrade.yaml',
    );
  });

  it('writes schedule.json in pieces that join to exactly what JSON.stringify writes', () => {
    expect(files.get('schedule.json')).toBe(`${JSON.stringify(schedule, null, 2)}\n`);
    const empty = { ...schedule, occurrences: [] };
    expect([...scheduleJsonPieces(empty)].join('')).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    const again = build();
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [path, text] of files) expect(again.get(path), path).toBe(text);
  });

  it('shows the page with a repository filter, the timeline and the conflicts between repositories', () => {
    const page = files.get('index.html')!;
    expect(page).toContain('<select id="filter-repository" name="repository">');
    expect(page).toContain('<option value="acme/orders">acme/orders</option>');
    expect(page).toContain('data-repository="acme/payments"');
    expect(page).toContain('id="timeline"');
    expect(page).toMatch(/id="conflicts"[\s\S]*production\/db:[\s\S]*db-upgrade[\s\S]*db-failover/);
    expect(page).toContain(
      'href="https://github.com/acme/orders/blob/HEAD/maintenance/2027/db-upgrade.yaml"',
    );
  });
});
