// The e-mail of a notice as the run mode builds it (run-email.ts), sent through the port to a real
// SMTP server (aiosmtpd) and read back by Python's email package and ical.js: the recipients of each
// environment and impact, both parts, the announcement's calendar event (the feed's UID and SEQUENCE),
// one thread from the announcement to the outcome, and a title that tries to add a header.
import ICAL from 'ical.js';
import { afterEach, expect, it } from 'vitest';
import { buildFeeds } from '../../src/calendar/feeds.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { EmailPolicy, MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { sendNoticeMail, type MailContext } from '../../src/modes/run-email.ts';
import type { NoticeKind } from '../../src/notices/kinds.ts';
import { renderNotice } from '../../src/notices/render.ts';
import type { NoticeDetails } from '../../src/notices/view.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { request } from '../helpers/requests.ts';
import { builtIn } from '../notices/support.ts';
import {
  describeWithSink,
  header,
  headerValues,
  parseMails,
  startSink,
  type ParsedMail,
  type Sink,
} from '../outbound/smtp-sink.ts';

const NOW = Date.parse('2027-01-03T09:07:00Z');
const REPO = { owner: 'Acme', name: 'ops', serverUrl: 'https://github.com' };
const EMAIL: EmailPolicy = {
  from: { name: 'Acme maintenance', address: 'maint@acme.example' },
  to: ['engineering@acme.example'],
  cc: [],
  recipients: [
    {
      environments: ['production'],
      impacts: ['medium', 'high'],
      to: ['customers@acme.example'],
      cc: ['support@acme.example'],
    },
    { environments: ['staging'], to: ['qa@acme.example'], cc: [] },
  ],
};
const base = defaultPolicy();
const POLICY: Policy = { ...base, notices: { ...base.notices, email: EMAIL } };

let relay: Sink;
afterEach(async () => relay?.close());

const SEQUENCES: Readonly<Record<string, number>> = { deploy: 2, 'staging-upgrade': 0 };

function context(key: string): MailContext {
  return {
    repo: REPO,
    key,
    sequence: (r) => SEQUENCES[r.id] ?? 0,
    pullRequestUrl: 'https://github.com/Acme/ops/pull/7',
  };
}

async function send(
  req: MaintenanceRequest,
  kind: NoticeKind,
  details: NoticeDetails = {},
  mail: Partial<MailContext> = {},
) {
  const rendered = renderNotice(
    { kind, channel: 'email', request: req, policy: POLICY, now: NOW, details },
    builtIn,
  );
  if (!rendered.ok) throw new Error(rendered.problem.message);
  const outbound = createOutbound({
    policy: POLICY,
    credentials: { smtpUrl: `smtp://127.0.0.1:${relay.port}` },
  });
  const problems = await sendNoticeMail(outbound, {
    policy: POLICY,
    email: EMAIL,
    now: NOW,
    mail: { ...context(req.id), ...mail },
    kind,
    request: req,
    details,
    notice: rendered.notice,
  });
  return { problems, notice: rendered.notice };
}

const production = request('deploy', {
  title: 'Database failover',
  environment: 'production',
  impact: 'high',
  start: '2027-01-17T02:00',
  duration: '2h',
});
const staging = request('staging-upgrade', {
  title: 'Kubernetes upgrade',
  environment: 'staging',
  impact: 'low',
  start: '2027-01-14T22:00',
});

describeWithSink('the e-mail of a notice', () => {
  it('goes to the recipients of its environment and impact, with both parts and the feed’s event', async () => {
    relay = await startSink();
    const sent = [
      await send(production, 'announcement', { resultIssueUrl: 'https://github.com/Acme/ops/issues/3' }),
      await send(staging, 'announcement'),
    ];
    expect(sent.flatMap((s) => s.problems)).toEqual([]);
    await relay.settled();
    expect(relay.delivered.map((d) => d.rcpt_tos)).toEqual([
      ['engineering@acme.example', 'customers@acme.example', 'support@acme.example'],
      ['engineering@acme.example', 'qa@acme.example'],
    ]);
    const [prod, stage] = parseMails(relay.delivered) as [ParsedMail, ParsedMail];
    expect(prod.defects).toEqual([]);
    expect(header(prod, 'From')).toBe('Acme maintenance <maint@acme.example>');
    expect(header(prod, 'Subject')).toBe(sent[0]!.notice.subject);
    expect(header(prod, 'Message-ID')).toBe('<announcement.deploy@acme.ops.maint>');
    expect(prod.text!.replace(/\r\n/g, '\n').trim()).toBe(sent[0]!.notice.text);
    expect(prod.html!.replace(/\r\n/g, '\n').trim()).toBe(sent[0]!.notice.html!.trim());

    // The attachment: ical.js finds the feed's event in it, UID and SEQUENCE included.
    const feed = buildFeeds({
      requests: [production, staging],
      policy: POLICY,
      now: NOW,
      repo: REPO,
      sequences: new Map(Object.entries(SEQUENCES)),
    }).get('maintenance.ics')!;
    const feedEvents = new ICAL.Component(ICAL.parse(feed))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    for (const [mail, req] of [
      [prod, production],
      [stage, staging],
    ] as const) {
      expect(mail.attachments).toHaveLength(1);
      const [attachment] = mail.attachments;
      expect(attachment!.filename).toBe(`${req.id}.ics`);
      expect(attachment!.content_type).toBe('text/calendar');
      expect(attachment!.params.method).toBe('PUBLISH');
      const calendar = new ICAL.Component(ICAL.parse(attachment!.content!));
      expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
      const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      expect(events).toHaveLength(1);
      const inFeed = feedEvents.find((e) => e.uid === events[0]!.uid)!;
      expect(events[0]!.uid).toBe(`${req.id}@acme.ops.maint`);
      expect(events[0]!.sequence).toBe(SEQUENCES[req.id]);
      expect([
        events[0]!.sequence,
        events[0]!.startDate.toUnixTime(),
        events[0]!.endDate.toUnixTime(),
      ]).toEqual([inFeed.sequence, inFeed.startDate.toUnixTime(), inFeed.endDate.toUnixTime()]);
    }
  });

  it('threads the announcement, the reminders, the start and the outcome of one occurrence', async () => {
    relay = await startSink();
    const steps: [NoticeKind, NoticeDetails][] = [
      ['announcement', {}],
      ['reminder', { offset: 'P7D' }],
      ['reminder', { offset: 'P1D' }],
      ['start', { actualStart: production.startsAt }],
      ['completion', { actualStart: production.startsAt, actualEnd: production.endsAt }],
    ];
    for (const [kind, details] of steps) expect((await send(production, kind, details)).problems).toEqual([]);
    await relay.settled();
    const mails = parseMails(relay.delivered);
    const root = header(mails[0]!, 'Message-ID')!;
    expect(headerValues(mails[0]!, 'In-Reply-To')).toEqual([]);
    for (const later of mails.slice(1)) {
      expect(header(later, 'In-Reply-To')).toBe(root);
      expect(header(later, 'References')).toBe(root);
    }
    expect(new Set(mails.map((m) => header(m, 'Message-ID'))).size).toBe(steps.length);
    // Only the announcement carries the event: a reminder does not change the calendar.
    expect(mails.map((m) => m.attachments.length)).toEqual([1, 0, 0, 0, 0]);
  });

  it('a cancellation carries the cancelled event, with the SEQUENCE that supersedes the announcement', async () => {
    relay = await startSink();
    const cancelled = { ...production, status: 'cancelled' as const };
    const sent = await send(cancelled, 'cancellation', { reason: 'no longer needed' }, { sequence: () => 3 });
    expect(sent.problems).toEqual([]);
    await relay.settled();
    const [mail] = parseMails(relay.delivered);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(mail!.attachments[0]!.content!)).getFirstSubcomponent('vevent')!,
    );
    expect([event.uid, event.sequence, event.component.getFirstPropertyValue('status')]).toEqual([
      'deploy@acme.ops.maint',
      3,
      'CANCELLED',
    ]);
    expect(header(mail!, 'In-Reply-To')).toBe('<announcement.deploy@acme.ops.maint>');
  });

  it('without a known SEQUENCE the message goes without the event, and says so', async () => {
    relay = await startSink();
    const sent = await send(
      production,
      'announcement',
      {},
      { sequence: () => ({ problem: 'is a shallow git clone' }) },
    );
    expect(sent.problems).toEqual(['e-mail: sent without the calendar event: is a shallow git clone']);
    await relay.settled();
    expect(parseMails(relay.delivered)[0]!.attachments).toEqual([]);
  });

  it('a title that tries to add a header stays in the one Subject; nobody else receives it', async () => {
    relay = await startSink();
    const hostile = {
      ...production,
      title: 'Failover\r\nBcc: attacker@evil.example\r\nX-Injected: 1\r\n\r\n<b>body</b>',
      description: 'Text\r\n.\r\nMAIL FROM:<attacker@evil.example>\r\nRCPT TO:<victim@evil.example>',
    };
    expect((await send(hostile, 'announcement')).problems).toEqual([]);
    await relay.settled();
    expect(relay.delivered).toHaveLength(1);
    expect(relay.delivered[0]!.rcpt_tos).toEqual([
      'engineering@acme.example',
      'customers@acme.example',
      'support@acme.example',
    ]);
    const [mail] = parseMails(relay.delivered);
    expect(headerValues(mail!, 'Subject')).toEqual([
      '📅 Scheduled maintenance: Failover Bcc: attacker@evil.example X-Injected: 1 <b>body</b>',
    ]);
    expect(headerValues(mail!, 'Bcc')).toEqual([]);
    expect(headerValues(mail!, 'X-Injected')).toEqual([]);
    expect(mail!.text).toContain('MAIL FROM:<attacker@evil.example>');
  });
});
