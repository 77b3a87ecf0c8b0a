// E-mail notices in the scheduler's loop: requests merged on the local GitHub API server, ticks with a
// controlled clock, the execute workflow played in process, and a real SMTP server (aiosmtpd) taking
// the mail, read back by Python's email and html.parser, ical.js and python3-icalendar. Each notice
// (announcement, reminders, start, outcome) is e-mailed at its tick, to its environment's and impact's
// recipients, with a text and an HTML part, the announcement with the feed's event (METHOD:PUBLISH);
// once: after its action is recorded on the result issue, never again on a repeated tick, one thread
// per occurrence. A relay that fails, or takes a message without acknowledging it, is reported and
// not tried again by a later tick.
import { createServer } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import type { OutboundMail } from '../../src/outbound/mail.ts';
import { createOutbound, type Outbound } from '../../src/outbound/port.ts';
import { parseWithIcalJs, parseWithPython } from '../calendar/parsers.ts';
import {
  describeWithSink,
  header,
  headerValues,
  htmlOutlines,
  parseMails,
  startSink,
  type Sink,
} from '../outbound/smtp-sink.ts';
import { startWorld, succeed, type World } from './support.ts';

let world: World;
let relay: Sink;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
  await relay.close();
});

// The repository's policy: the built-in one, with e-mail recipients, and medium work approved by one
// code owner (bob; the built-in manager team does not exist here). Provenance reads it from the
// approved commit, the tick from its checkout: both get this file.
const POLICY_YAML = DEFAULT_POLICY_YAML.replace(
  'medium: { code_owners: 1, teams: [{ team: org/eng-managers, count: 1 }] }',
  'medium: { code_owners: 1 }',
).replace(
  '  extra_zones: []\n',
  `  extra_zones: []
  email:
    from: Acme maintenance <maint@acme.example>
    to: [engineering@acme.example]
    recipients:
      - environments: [production]
        impacts: [medium, high]
        to: [customers@acme.example]
        cc: [support@acme.example]
      - environments: [staging]
        to: [qa@acme.example]
`,
);
const parsed = parsePolicy({ path: DEFAULT_POLICY_PATH, text: POLICY_YAML });
if (!parsed.policy) throw new Error(JSON.stringify(parsed.findings));
const policy: Policy = parsed.policy;

const steps = '[{name: deploy, run: ./deploy.sh}]';
/** Medium impact in production (Sunday 02:00-03:00 UTC): reminders 7 days and 1 day before. */
const failover = { title: 'Database failover', impact: 'medium', start: '2027-01-17T02:00', steps };
/** Low impact in staging (Friday 22:00-22:30 in the 22:00-23:00 UTC window): a reminder 1 day before. */
const upgrade = {
  title: 'Cluster upgrade',
  environment: 'staging',
  impact: 'low',
  start: '2027-01-15T22:00',
  duration: '30m',
  steps,
};

/** The lines a reader sees, blank ones left out. */
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

interface Sent {
  mail: OutboundMail;
  /** The occurrence's state on its result issue when the message was handed to the relay. */
  recorded: OccurrenceState | undefined;
}

/** The port, with every message's moment recorded: what the result issue said as it was sent. */
function watched(outbound: Outbound, sent: Sent[]): Outbound {
  return {
    send: (request) => outbound.send(request),
    sendMail: async (mail) => {
      const key = /\.([a-z0-9-]+)@/.exec(mail.messageId)![1];
      const issue = world.issues().find((i) => {
        const marker = decodeStateMarker(i.body ?? '');
        return marker.kind === 'found' && marker.key === key;
      });
      const marker = issue && decodeStateMarker(issue.body ?? '');
      sent.push({ mail, recorded: marker?.kind === 'found' ? marker.state : undefined });
      return outbound.sendMail(mail);
    },
  };
}

const ACTION_OF: Record<string, string> = {
  announcement: 'announce',
  'reminder-P7D': 'remind:P7D',
  'reminder-P1D': 'remind:P1D',
  start: 'start',
  completion: 'complete',
};

describeWithSink('e-mail notices in the run mode', () => {
  it('go out at their ticks, to the recipients of each environment and impact, once, recorded first', async () => {
    world = await startWorld('2027-01-03T09:07:00Z');
    relay = await startSink();
    const sent: Sent[] = [];
    const outbound = watched(
      createOutbound({ policy, credentials: { smtpUrl: `smtp://127.0.0.1:${relay.port}` } }),
      sent,
    );
    world.push({ [DEFAULT_POLICY_PATH]: POLICY_YAML }, 'The maintenance policy');
    world.land('db-failover', failover);
    world.land('cluster-upgrade', upgrade);

    /** The Message-IDs delivered by one tick at `iso`. */
    const tick = async (iso: string) => {
      world.clock.now = Date.parse(iso);
      const before = relay.delivered.length;
      const report = await world.tick({ policy, outbound });
      expect(report.problems).toEqual([]);
      await relay.settled();
      return parseMails(relay.delivered.slice(before)).map((m) => header(m, 'Message-ID'));
    };

    expect(await tick('2027-01-03T09:07:00Z')).toEqual([
      '<announcement.cluster-upgrade@acme.ops.maint>', // the earlier occurrence first
      '<announcement.db-failover@acme.ops.maint>',
    ]);
    expect(await tick('2027-01-03T09:22:00Z')).toEqual([]);
    expect(await tick('2027-01-10T02:07:00Z')).toEqual(['<reminder-P7D.db-failover@acme.ops.maint>']);
    expect(await tick('2027-01-10T02:22:00Z')).toEqual([]);
    expect(await tick('2027-01-14T22:07:00Z')).toEqual(['<reminder-P1D.cluster-upgrade@acme.ops.maint>']);
    expect(await tick('2027-01-15T22:07:00Z')).toEqual(['<start.cluster-upgrade@acme.ops.maint>']);
    await world.execute(succeed);
    expect(await tick('2027-01-15T22:21:00Z')).toEqual(['<completion.cluster-upgrade@acme.ops.maint>']);
    expect(await tick('2027-01-16T02:07:00Z')).toEqual(['<reminder-P1D.db-failover@acme.ops.maint>']);
    expect(await tick('2027-01-17T01:37:00Z')).toEqual([]); // the silence: no notice
    expect(await tick('2027-01-17T02:07:00Z')).toEqual(['<start.db-failover@acme.ops.maint>']);
    expect(await tick('2027-01-17T02:08:00Z')).toEqual([]);
    await world.execute(succeed);
    expect(await tick('2027-01-17T02:31:00Z')).toEqual(['<completion.db-failover@acme.ops.maint>']);
    expect(await tick('2027-01-17T02:46:00Z')).toEqual([]);

    // Each went to its environment's and impact's recipients.
    const production = ['engineering@acme.example', 'customers@acme.example', 'support@acme.example'];
    const staging = ['engineering@acme.example', 'qa@acme.example'];
    for (const delivered of relay.delivered) {
      const key = /\.([a-z-]+)@acme/.exec(header(parseMails([delivered])[0]!, 'Message-ID')!)![1];
      expect(delivered.rcpt_tos).toEqual(key === 'db-failover' ? production : staging);
    }

    // Every message was handed over only once its action was recorded on the result issue.
    expect(sent).toHaveLength(relay.delivered.length);
    for (const { mail, recorded } of sent) {
      const notice = /^<([a-zA-Z0-9-]+)\./.exec(mail.messageId)![1]!;
      expect(recorded?.done, mail.messageId).toContain(ACTION_OF[notice]);
      expect(recorded?.owed ?? []).not.toContain(ACTION_OF[notice]);
    }

    // Each notice arrived once, however many ticks came after it.
    const mails = parseMails(relay.delivered);
    const ids = mails.map((m) => header(m, 'Message-ID'));
    expect(new Set(ids).size).toBe(ids.length);

    // One thread per occurrence, rooted at its announcement.
    for (const id of ['db-failover', 'cluster-upgrade']) {
      const thread = mails.filter((m) => header(m, 'Message-ID')!.includes(`.${id}@`));
      const root = `<announcement.${id}@acme.ops.maint>`;
      expect(header(thread[0]!, 'Message-ID')).toBe(root);
      expect(headerValues(thread[0]!, 'In-Reply-To')).toEqual([]);
      for (const later of thread.slice(1)) {
        expect(header(later, 'In-Reply-To')).toBe(root);
        expect(header(later, 'References')).toBe(root);
      }
    }

    // Every message has a plain text and an HTML part which, read by an HTML parser, says the same
    // line for line and links to the result issue. Only the announcement carries the event.
    const [issue] = world.issues().filter((i) => i.title.includes('Database failover'));
    const issueUrl = `https://github.com/acme/ops/issues/${issue!.number}`;
    const failoverMails = mails.filter((m) => header(m, 'Message-ID')!.includes('.db-failover@'));
    expect(failoverMails.map((m) => [m.content_type, m.attachments.length])).toEqual([
      ['multipart/mixed', 1],
      ['multipart/alternative', 0],
      ['multipart/alternative', 0],
      ['multipart/alternative', 0],
      ['multipart/alternative', 0],
    ]);
    const outlines = htmlOutlines(failoverMails.map((m) => m.html ?? ''));
    failoverMails.forEach((mail, i) => {
      expect(mail.defects).toEqual([]);
      expect(header(mail, 'From')).toBe('Acme maintenance <maint@acme.example>');
      expect(header(mail, 'Subject')).toContain('Database failover');
      expect(lines(outlines[i]!.text)).toEqual(lines(mail.text ?? ''));
      expect(mail.text).toContain(`Follow progress: ${issueUrl}`);
      expect(outlines[i]!.links.map((l) => l.href)).toContain(issueUrl);
    });

    // The announcement carries the event the feed publishes (METHOD:PUBLISH, its UID and SEQUENCE),
    // linked to the result issue as the feed's event is once the issue exists: read alike by ical.js
    // and by python3-icalendar.
    const [attachment] = failoverMails[0]!.attachments;
    expect([attachment!.filename, attachment!.content_type, attachment!.params.method]).toEqual([
      'db-failover.ics',
      'text/calendar',
      'PUBLISH',
    ]);
    const readers = [
      parseWithIcalJs(attachment!.content!),
      parseWithPython(new Map([['db-failover.ics', attachment!.content!]])).get('db-failover.ics')!,
    ];
    for (const calendar of readers) {
      expect(calendar.errors).toEqual([]);
      expect(calendar.calendar.METHOD).toBe('PUBLISH');
      expect(calendar.events.map((e) => [e.uid, e.sequence, e.dtstart, e.dtend, e.url])).toEqual([
        ['db-failover@acme.ops.maint', 0, '2027-01-17T02:00:00Z', '2027-01-17T03:00:00Z', issueUrl],
      ]);
    }
  });

  it('a relay that fails is reported, and its notice is not sent again by a later tick', async () => {
    world = await startWorld('2027-01-03T09:07:00Z');
    relay = await startSink();
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const instant = { now: () => world.clock.now, sleep: async () => undefined };
    const broken = createOutbound({
      policy,
      credentials: { smtpUrl: `smtp://127.0.0.1:${closedPort}` },
      mail: { clock: instant },
    });
    const working = createOutbound({ policy, credentials: { smtpUrl: `smtp://127.0.0.1:${relay.port}` } });
    world.land('db-failover', failover);

    const first = await world.tick({ policy, outbound: broken });
    expect(first.actions.map((a) => [a.action, a.done])).toEqual([['announce', true]]);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(
      /^db-failover: E-mail: email send: ESOCKET .*ECONNREFUSED.* after 3 attempts/,
    );

    world.clock.now = Date.parse('2027-01-03T09:22:00Z');
    const second = await world.tick({ policy, outbound: working });
    expect(second).toEqual({ actions: [], problems: [] });
    await relay.settled();
    expect(relay.delivered).toEqual([]);
  });

  it('a message the relay took but never acknowledged is not sent again: the thread goes on from it', async () => {
    world = await startWorld('2027-01-03T09:07:00Z');
    relay = await startSink({ faults: ['data:hang'] }); // takes the first message, answers 5 s later
    const outbound = createOutbound({
      policy,
      credentials: { smtpUrl: `smtp://127.0.0.1:${relay.port}` },
      mail: { timeouts: { socketMs: 1000 } },
    });
    world.land('db-failover', failover);

    const first = await world.tick({ policy, outbound });
    expect(first.actions.map((a) => [a.action, a.done])).toEqual([['announce', true]]);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(
      /^db-failover: E-mail: .*not retried, as the relay may have taken the message/,
    );
    // The announcement was recorded on the result issue before it was sent...
    const [issue] = world.issues();
    const marker = decodeStateMarker(issue!.body ?? '');
    expect(marker.kind === 'found' && marker.state.done).toContain('announce');

    // ...so the ticks after it do not send it a second time, and the reminder answers it.
    world.clock.now = Date.parse('2027-01-03T09:22:00Z');
    expect(await world.tick({ policy, outbound })).toEqual({ actions: [], problems: [] });
    world.clock.now = Date.parse('2027-01-10T02:07:00Z');
    const reminder = await world.tick({ policy, outbound });
    expect(reminder.problems).toEqual([]);
    await relay.settled();
    const mails = parseMails(relay.delivered);
    expect(mails.map((m) => [header(m, 'Message-ID'), headerValues(m, 'In-Reply-To')])).toEqual([
      ['<announcement.db-failover@acme.ops.maint>', []],
      ['<reminder-P7D.db-failover@acme.ops.maint>', ['<announcement.db-failover@acme.ops.maint>']],
    ]);
  });

  it('without MAINT_SMTP_URL the tick says so and sends the other notices', async () => {
    world = await startWorld('2027-01-03T09:07:00Z');
    relay = await startSink();
    world.land('db-failover', failover);
    const report = await world.tick({ policy, outbound: createOutbound({ policy, credentials: {} }) });
    expect(report.actions.map((a) => a.action)).toEqual(['announce']);
    expect(report.problems).toEqual([
      'db-failover: E-mail: email send: the secret MAINT_SMTP_URL is not set; nothing was sent',
    ]);
    expect(world.comments(world.issues()[0]!.number).join('\n')).toContain('<!-- maint:notice announce -->');
  });
});
