// Overlap findings (`conflict` and `concurrency`) are one per request, rule and slot, naming a few
// of the others in the message and every one of them in `overlaps`; checked against a brute-force
// all-pairs computation on random schedules.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { LocatedFinding, Policy } from '../../src/model/types.ts';
import { validate, type FileReport } from '../../src/schedule/validate.ts';
import { NOW, requestFile } from '../helpers/requests.ts';
import { prng } from '../helpers/prng.ts';

const policy = defaultPolicy();
const of = (file: FileReport, rule: string) =>
  [...file.errors, ...file.warnings].filter((f) => f.rule === rule);
const byId = (files: readonly FileReport[], id: string) => files.find((f) => f.id === id)!;

describe('a crowded slot', () => {
  // 24 half-hour jobs on different services at the start of one Sunday production window.
  const ids = Array.from({ length: 24 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
  const files = ids.map((id, i) =>
    requestFile(id, { start: '2027-06-13T02:00', duration: '30m', services: `[svc-${i}]` }),
  );
  const report = validate({ policy, now: NOW, targets: files });

  it('is one same-environment warning per request, naming three and counting the rest', () => {
    for (const id of ids) {
      const [warning, ...more] = of(byId(report.files, id), 'conflict');
      expect(more).toEqual([]);
      expect(warning!.severity).toBe('warning');
      const others = ids.filter((o) => o !== id);
      expect(warning!.message).toBe(
        `overlaps 23 other requests in production on Sunday 13 June 2027, 02:00-02:30 UTC: ${others
          .slice(0, 3)
          .map((o) => `\`${o}\``)
          .join(', ')} and 20 more; check they do not depend on each other`,
      );
      expect(warning!.overlaps).toEqual({
        environment: 'production',
        slots: [
          {
            start: Date.parse('2027-06-13T02:00:00Z'),
            end: Date.parse('2027-06-13T02:30:00Z'),
            requests: others,
          },
        ],
      });
    }
  });

  it('is one concurrency error per request, with everyone running at the peak', () => {
    for (const id of ids) {
      const [error, ...more] = of(byId(report.files, id), 'concurrency');
      expect(more).toEqual([]);
      expect(error!.severity).toBe('error');
      expect(error!.message).toMatch(
        /^24 maintenances would run at once in production at Sunday 13 June 2027, 02:00 UTC \(the policy allows 2\): this one and `job-\d\d`, `job-\d\d`, `job-\d\d` and 20 more; move one of them$/,
      );
      expect(error!.overlaps!.slots).toEqual([
        {
          start: Date.parse('2027-06-13T02:00:00Z'),
          end: Date.parse('2027-06-13T02:30:00Z'),
          requests: ids.filter((o) => o !== id),
          peak: { at: Date.parse('2027-06-13T02:00:00Z'), running: 24, limit: 2 },
        },
      ]);
    }
    // 24 requests, each with one warning and one error (and nothing else: the slot is otherwise fine).
    expect(report.summary).toEqual({ files: 24, errors: 24, warnings: 24 });
  });
});

describe('conflict', () => {
  it('same-service overlaps are one error, other services one warning, in the same slot', () => {
    const files = [
      requestFile('main', { start: '2027-01-17T02:00', services: '[db, cache]' }),
      requestFile('db-backup', { start: '2027-01-17T02:30', services: '[db]' }),
      requestFile('cache-flush', { start: '2027-01-17T01:30', services: '[cache]', duration: '45m' }),
      requestFile('web', { start: '2027-01-17T02:15', services: '[web]', duration: '30m' }),
    ];
    const wide: Policy = {
      ...policy,
      environments: {
        ...policy.environments,
        production: { ...policy.environments.production!, maxConcurrent: 10 },
      },
    };
    const report = validate({ policy: wide, now: NOW, targets: files });
    const main = byId(report.files, 'main');
    const error = main.errors.find((f) => f.rule === 'conflict')!;
    expect(error.message).toMatch(
      /^overlaps 2 other requests on production\/db, cache on Sunday 17 January 2027, 02:00-03:00 UTC: `cache-flush` and `db-backup`; two changes to one service/,
    );
    expect(error.overlaps!.slots).toEqual([
      expect.objectContaining({ requests: ['cache-flush', 'db-backup'], services: ['db', 'cache'] }),
    ]);
    const [warning, ...more] = main.warnings.filter((f) => f.rule === 'conflict');
    expect(more).toEqual([]);
    expect(warning!.message).toBe(
      'overlaps `web` ("Test request", maintenance/2027/web.yaml) in production (services web) on Sunday 17 January 2027, 02:00-03:00 UTC; check they do not depend on each other',
    );
    // One other request on the same service: named with its title and file.
    expect(byId(report.files, 'db-backup').errors.find((f) => f.rule === 'conflict')!.message).toMatch(
      /^overlaps `main` \("Test request", maintenance\/2027\/main\.yaml\) on production\/db on Sunday 17 January 2027, 02:30-03:30 UTC; /,
    );
  });

  it('no warning when the policy turns same-environment overlaps off; same-service ones stay', () => {
    const quiet: Policy = { ...policy, conflicts: { sameService: 'error', sameEnvironment: 'off' } };
    const report = validate({
      policy: quiet,
      now: NOW,
      targets: [
        requestFile('a', { services: '[db]' }),
        requestFile('b', { services: '[db]' }),
        requestFile('c', { services: '[web]', duration: '30m' }),
      ],
    });
    expect(byId(report.files, 'a').warnings).toEqual([]);
    expect(of(byId(report.files, 'a'), 'conflict').map((f) => f.overlaps!.slots[0]!.requests)).toEqual([
      ['b'],
    ]);
  });

  it('a series is one finding per rule: its first crowded occurrence, counting the others', () => {
    const files = [
      requestFile('weekly', {
        start: '2027-01-17T02:00',
        recurrence: 'FREQ=WEEKLY;COUNT=6',
        services: '[web]',
        duration: '30m',
      }),
      requestFile('first', { start: '2027-01-24T02:00', services: '[db]', duration: '30m' }),
      requestFile('second', { start: '2027-02-07T02:15', services: '[cache]', duration: '30m' }),
      requestFile('third', { start: '2027-02-07T02:00', services: '[queue]', duration: '30m' }),
    ];
    const report = validate({ policy, now: NOW, targets: files });
    const [warning, ...more] = of(byId(report.files, 'weekly'), 'conflict');
    expect(more).toEqual([]);
    expect(warning!.message).toBe(
      'overlaps `first` ("Test request", maintenance/2027/first.yaml) in production (services db) on Sunday 24 January 2027, 02:00-02:30 UTC (and 1 more of the 6 occurrences checked); check they do not depend on each other',
    );
    expect(warning!.overlaps!.slots.map((s) => [new Date(s.start).toISOString(), s.requests])).toEqual([
      ['2027-01-24T02:00:00.000Z', ['first']],
      ['2027-02-07T02:00:00.000Z', ['third', 'second']],
    ]);
    // 7 February: weekly, third and second run at once (limit 2).
    const concurrency = of(byId(report.files, 'weekly'), 'concurrency');
    expect(concurrency.map((f) => f.overlaps!.slots.map((s) => s.peak))).toEqual([
      [{ at: Date.parse('2027-02-07T02:15:00Z'), running: 3, limit: 2 }],
    ]);
  });
});

describe('concurrency', () => {
  it('finds the busiest moment inside each slot, not only at its start', () => {
    const files = [
      requestFile('a', { start: '2027-01-17T02:00', services: '[a]', duration: '1h' }),
      requestFile('b', { start: '2027-01-17T02:30', services: '[b]', duration: '1h' }),
      requestFile('c', { start: '2027-01-17T02:45', services: '[c]', duration: '30m' }),
      requestFile('d', { start: '2027-01-17T03:20', services: '[d]', duration: '30m' }),
    ];
    const report = validate({ policy, now: NOW, targets: files });
    const peakOf = (id: string) =>
      of(byId(report.files, id), 'concurrency').flatMap((f) => f.overlaps!.slots.map((s) => s.peak));
    const peak = { at: Date.parse('2027-01-17T02:45:00Z'), running: 3, limit: 2 };
    expect(peakOf('a')).toEqual([peak]);
    expect(peakOf('b')).toEqual([peak]);
    expect(peakOf('c')).toEqual([peak]);
    // d runs with b only: two at once is allowed.
    expect(peakOf('d')).toEqual([]);
    expect(of(byId(report.files, 'a'), 'concurrency')[0]!.message).toBe(
      '3 maintenances would run at once in production at Sunday 17 January 2027, 02:45 UTC (the policy allows 2): this one and `b` and `c`; move one of them',
    );
  });
});

describe('against all pairs, on random schedules', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i', (seed) => {
    const rand = prng(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
    const files = Array.from({ length: 60 }, (_, i) => {
      const day = pick(['2027-01-17', '2027-01-20', '2027-01-24']);
      const minute = pick([0, 15, 30, 45, 60, 75, 90]);
      const time = `${String(2 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      return requestFile(`r${i}`, {
        start: `${day}T${time}`,
        duration: pick(['15m', '30m', '45m']),
        services: `[${pick(['a', 'b', 'c', 'd', 'e', 'f'])}]`,
        environment: pick(['production', 'staging']),
        ...(rand() < 0.1 ? { recurrence: 'FREQ=WEEKLY;COUNT=3' } : {}),
      });
    });
    const report = validate({ policy, now: NOW, targets: files });
    // Brute force: every occurrence against every other request's occurrences.
    const occurrences = files.map((f) => {
      const r = f.request!;
      const step = 7 * 86_400_000;
      const count = r.series ? 3 : 1;
      return Array.from({ length: count }, (_, k) => ({
        start: r.startsAt + k * step,
        end: r.endsAt + k * step,
      }));
    });
    for (let i = 0; i < files.length; i++) {
      const me = files[i]!.request!;
      const file = report.files[i]!;
      const expected: { start: number; others: string[]; peak: number }[] = [];
      for (const slot of occurrences[i]!) {
        const others: string[] = [];
        const moments = new Set<number>([slot.start]);
        files.forEach((f, j) => {
          if (j === i || f.request!.environment !== me.environment) return;
          for (const o of occurrences[j]!) {
            if (o.start < slot.end && o.end > slot.start) {
              if (!others.includes(f.id)) others.push(f.id);
              if (o.start > slot.start) moments.add(o.start);
            }
          }
        });
        let peak = 0;
        for (const at of moments) {
          const running = files.filter(
            (f, j) =>
              f.request!.environment === me.environment &&
              occurrences[j]!.some((o) => o.start <= at && o.end > at),
          ).length;
          peak = Math.max(peak, running);
        }
        if (others.length > 0) expected.push({ start: slot.start, others: others.sort(), peak });
      }
      const conflicts = of(file, 'conflict');
      const found = new Map<number, string[]>();
      for (const f of conflicts)
        for (const s of f.overlaps!.slots) found.set(s.start, [...(found.get(s.start) ?? []), ...s.requests]);
      expect(
        [...found].map(([start, ids]) => ({ start, others: ids.sort() })).sort((a, b) => a.start - b.start),
        `${file.id}: ${JSON.stringify(conflicts.map((c: LocatedFinding) => c.message))}`,
      ).toEqual(expected.map(({ start, others }) => ({ start, others })));
      const limit = policy.environments[me.environment]!.maxConcurrent!;
      const peaks = of(file, 'concurrency').flatMap((f) =>
        f.overlaps!.slots.map((s) => ({ start: s.start, peak: s.peak!.running })),
      );
      expect(peaks, file.id).toEqual(
        expected.filter((e) => e.peak > limit).map(({ start, peak }) => ({ start, peak })),
      );
    }
  });
});
