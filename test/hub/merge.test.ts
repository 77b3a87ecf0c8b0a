// Merging members' schedules: in the published order, each UID once across repositories, history
// beyond the hub's retention left out; SEQUENCE raised exactly when an event's times or status change.
import { describe, expect, it } from 'vitest';
import { byUid, mergeSchedules, nextSequences, timingSignature } from '../../src/hub/merge.ts';
import type { RepositoryOccurrence } from '../../src/hub/schedule-input.ts';
import { request } from '../helpers/requests.ts';
import { NOW, fixtureMembers, published } from './site-fixture.ts';

describe('mergeSchedules', () => {
  it('lists every member occurrence once, sorted by start then UID, with counts per repository', () => {
    const merged = mergeSchedules(fixtureMembers(), NOW - 90 * 86_400_000);
    const starts = merged.occurrences.map((o) => o.start_utc);
    expect(starts).toEqual([...starts].sort());
    expect(merged.counts).toEqual(
      new Map([
        ['acme/payments', 8],
        ['acme/orders', 3],
      ]),
    );
    expect(merged.collisions).toEqual([]);
  });

  it('keeps a UID for the repository that had it first, reporting the other', () => {
    // acme/a.b and acme/a-b share the UID domain `acme.a-b.maint`.
    const first = published('acme/a.b', [request('same')]);
    const second = published('acme/a-b', [request('same')]);
    const merged = mergeSchedules(
      [
        { repository: 'acme/a.b', occurrences: first },
        { repository: 'acme/a-b', occurrences: second },
      ],
      0,
    );
    expect(merged.occurrences.map((o) => o.repository)).toEqual(['acme/a.b']);
    expect(merged.collisions).toEqual(["same@acme.a-b.maint of acme/a-b is already acme/a.b's: left out"]);
  });

  it('drops what ended before the retention', () => {
    const old = published('acme/a', [request('old', { start: '2026-01-04T02:00' })]);
    expect(
      mergeSchedules([{ repository: 'acme/a', occurrences: old }], NOW - 90 * 86_400_000).occurrences,
    ).toEqual([]);
  });
});

describe('SEQUENCE', () => {
  const series = (start: string, count = 6): RepositoryOccurrence[] =>
    published('acme/a', [request('weekly', { start, recurrence: `FREQ=WEEKLY;COUNT=${count}` })]);

  it('stays while a series only slides forward, and rises when it moves to another day or hour', () => {
    const today = series('2027-03-07T02:00');
    const slid = today.slice(1);
    expect(timingSignature(slid)).toBe(timingSignature(today));
    expect(timingSignature(series('2027-03-06T02:00'))).not.toBe(timingSignature(today));
    expect(timingSignature(series('2027-03-07T03:00'))).not.toBe(timingSignature(today));
  });

  it('counts up by one per change of a one-off request, and starts new UIDs at 0', () => {
    const v1 = published('acme/a', [request('once', { start: '2027-03-14T02:00' })]);
    const v2 = published('acme/a', [request('once', { start: '2027-03-14T03:00' })]);
    const v3 = published('acme/a', [request('once', { start: '2027-03-14T03:00', status: 'cancelled' })]);
    let sequences = nextSequences({}, byUid(v1));
    expect(sequences['once@acme.a.maint']?.[0]).toBe(0);
    sequences = nextSequences(sequences, byUid(v1));
    expect(sequences['once@acme.a.maint']?.[0]).toBe(0);
    sequences = nextSequences(sequences, byUid(v2));
    expect(sequences['once@acme.a.maint']?.[0]).toBe(1);
    sequences = nextSequences(sequences, byUid(v3));
    expect(sequences['once@acme.a.maint']?.[0]).toBe(2);
  });
});
