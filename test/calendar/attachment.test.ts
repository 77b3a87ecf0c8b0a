// The calendar event an e-mail carries is the feed's own: for every fixture and example request
// (series, cancelled, hostile text included), ical.js reads in the attachment the very event it reads
// in maintenance.ics (UID, SEQUENCE, times, rule, status, description), in a METHOD:PUBLISH calendar.
import { describe, expect, it } from 'vitest';
import { eventCalendar } from '../../src/calendar/attachment.ts';
import { buildFeeds, type FeedInput } from '../../src/calendar/feeds.ts';
import { exampleInput, fixtureInput } from './fixture-feeds.ts';
import { parseWithIcalJs } from './parsers.ts';

function pairs(input: FeedInput) {
  const feed = parseWithIcalJs(buildFeeds(input).get('maintenance.ics')!);
  return input.requests.map((request) => {
    const ics = eventCalendar(request, {
      policy: input.policy,
      now: input.now,
      ...(input.repo ? { repo: input.repo } : {}),
      sequence: input.sequences.get(request.id) ?? 0,
      links: input.links?.(request.id) ?? {},
    });
    return { id: request.id, ics, attached: parseWithIcalJs(ics), feed };
  });
}

describe('the calendar event of an e-mail', () => {
  const all = [...pairs(fixtureInput()), ...pairs(exampleInput())];

  it.each(all.map((p) => [p.id, p] as const))('%s: the feed’s event, published', (_id, pair) => {
    const { attached, feed, ics } = pair;
    expect(attached.errors).toEqual([]);
    expect(ics).toMatch(/\r\nMETHOD:PUBLISH\r\n/);
    expect(attached.events).toHaveLength(1);
    const event = attached.events[0]!;
    expect(event.uid).toMatch(/^[a-z0-9-]+@acme\.platform\.maint$/);
    const inFeed = feed.events.find((e) => e.uid === event.uid);
    // A request the feed no longer retains has no event there to compare with.
    if (!inFeed) return;
    expect(event).toEqual(inFeed);
  });

  it('the SEQUENCE is the one given (the feed’s, from git history)', () => {
    const changed = all.find((p) => p.id === 'weekly-cache-flush')!;
    expect(changed.attached.events[0]!.sequence).toBe(3);
  });
});

describe('the comparison above', () => {
  it('finds the event in the feed for every request but the one past retention', () => {
    const all = [...pairs(fixtureInput()), ...pairs(exampleInput())];
    const missing = all.filter((p) => !p.feed.events.some((e) => e.uid === p.attached.events[0]!.uid));
    expect(missing.map((p) => p.id)).toEqual(['finished-long-ago']);
  });
});
