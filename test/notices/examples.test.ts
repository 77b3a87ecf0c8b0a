// Every notice kind for every channel, rendered from the built-in templates for every example in
// maintenance/: something is said, about the right maintenance, at the right times in every zone.
import { describe, expect, it } from 'vitest';
import { CHANNELS, NOTICE_KINDS } from '../../src/notices/kinds.ts';
import type { NoticeDetails } from '../../src/notices/view.ts';
import { HOUR, formatClock, formatDay, isoUtc, zoneLabel } from '../../src/schedule/time.ts';
import { NOW, RESULT_ISSUE, examplePolicy, examples, render, visibleText } from './support.ts';

const requests = examples();
const policy = examplePolicy();
const cases = NOTICE_KINDS.flatMap((kind) => CHANNELS.map((channel) => [kind, channel] as const));

describe('notices for the examples', () => {
  it('reads every example in maintenance/', () => {
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(new Set(requests.map((r) => r.zone))).toContain('Europe/Berlin');
  });

  it.each(cases)(
    '%s for %s names the maintenance and its times in its zone, UTC and the extra zone',
    (kind, channel) => {
      for (const request of requests) {
        const details: NoticeDetails = {
          offset: 'P7D',
          newEnd: request.endsAt + HOUR,
          resultIssueUrl: RESULT_ISSUE,
        };
        const notice = render({ kind, channel, request, policy, now: NOW, details });
        const text = visibleText(notice);
        expect(text.trim().length, request.id).toBeGreaterThan(0);
        expect(text, request.id).toContain(request.title);
        const start = request.startsAt;
        // In the request's zone, with its day...
        expect(text, request.id).toContain(formatDay(start, request.zone));
        expect(text, request.id).toContain(`${formatClock(start, request.zone)}`);
        expect(text, request.id).toContain(zoneLabel(start, request.zone));
        // ...in UTC...
        expect(text, request.id).toMatch(new RegExp(`${formatClock(start, 'UTC')}[–\\d: ]*UTC`));
        // ...and in each of the policy's extra zones.
        expect(text, request.id).toContain(formatClock(start, 'America/New_York'));
        if (channel === 'email') expect(notice.subject, request.id).toContain(request.title);
        if (channel === 'statuspage' && (kind === 'announcement' || kind === 'emergency')) {
          const { incident } = notice.json as {
            incident: { scheduled_for: string; scheduled_until: string };
          };
          expect(incident.scheduled_for).toBe(isoUtc(start));
          expect(incident.scheduled_until).toBe(isoUtc(request.endsAt));
        }
      }
    },
  );

  it('says the Berlin migration in CET first, then UTC', () => {
    const request = requests.find((r) => r.id === 'orders-schema-migration')!;
    const notice = render({
      kind: 'announcement',
      channel: 'email',
      request,
      policy: examplePolicy([]),
      now: NOW,
    });
    expect(notice.text).toContain('When:        Sunday 24 January 2027, 04:00–07:00 CET (03:00–06:00 UTC)');
  });

  it('puts the kind-specific inputs in the text', () => {
    const request = requests.find((r) => r.id === 'orders-schema-migration')!;
    const at = (iso: string) => Date.parse(iso);
    const say = (kind: (typeof NOTICE_KINDS)[number], details: NoticeDetails) =>
      visibleText(render({ kind, channel: 'markdown', request, policy, now: NOW, details }));
    expect(say('reminder', { offset: 'PT1H' })).toContain('starts in 1 h');
    expect(say('extension', { newEnd: at('2027-01-24T07:30:00Z'), reason: 'restore is slow' })).toMatch(
      /Reason:\*\* restore is slow[\s\S]*New end time:\*\* Sunday 24 January 2027, 08:30 CET \(07:30 UTC; 02:30 EST\) \(1 h 30 min more\)/,
    );
    expect(say('completion-with-issues', { issues: ['replica lag', 'one slow query'] })).toMatch(
      /\* replica lag\n\* one slow query/,
    );
    expect(say('cancellation', { nextSlot: at('2027-01-31T03:00:00Z') })).toContain(
      'Next maintenance window:** Sunday 31 January 2027, 04:00–07:00 CET',
    );
    expect(
      say('completion', { actualStart: at('2027-01-24T03:02:00Z'), actualEnd: at('2027-01-24T05:10:00Z') }),
    ).toMatch(/Started:\*\* Sunday 24 January 2027, 04:02 CET[\s\S]*Duration:\*\* 2 h 8 min/);
    expect(say('progress', { message: 'row counts verified' })).toContain(
      'Current activity:** row counts verified',
    );
  });
});
