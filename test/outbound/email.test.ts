// The e-mail adapter against a real SMTP server (aiosmtpd, test/outbound/smtp-sink.ts), the messages
// read back by Python's email package: what arrives, STARTTLS, implicit TLS and AUTH, what is refused
// before anything is sent (a header that could be forged, credentials that would travel in the
// clear), and which failures are tried again: only those after which the relay cannot have the message.
import { createServer } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFrom } from '../../src/outbound/credentials.ts';
import { createMailer, mailRetryable, smtpConnection, type MailOptions } from '../../src/outbound/email.ts';
import { OutboundError } from '../../src/outbound/errors.ts';
import { mailProblem, subjectLine, type OutboundMail } from '../../src/outbound/mail.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import {
  describeWithSink,
  header,
  headerValues,
  parseMails,
  startSink,
  type Sink,
  type SinkOptions,
} from './smtp-sink.ts';

const PASSWORD = 'p@ss:w/rd%20£';
const AT = Date.parse('2027-01-10T09:07:00Z');

function mail(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: { name: 'Ops maintenance', address: 'maint@example.com' },
    to: ['engineering@example.com', 'customers@example.com'],
    cc: ['support@example.com'],
    subject: '📅 Scheduled maintenance: Deploy',
    text: 'We will carry out planned maintenance on production.\n',
    html: '<!DOCTYPE html>\n<html><body><p>We will carry out planned maintenance on production.</p></body></html>\n',
    messageId: '<announcement.deploy@acme.ops.maint>',
    date: AT,
    attachments: [
      {
        filename: 'deploy.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n',
      },
    ],
    summary: 'announcement of deploy',
    ...overrides,
  };
}

let sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  sinks = [];
});

async function sink(options: SinkOptions = {}): Promise<Sink> {
  const started = await startSink(options);
  sinks.push(started);
  return started;
}

const url = (s: Sink, scheme = 'smtp', credentials = '') => `${scheme}://${credentials}127.0.0.1:${s.port}`;
const credentials = `maint:${encodeURIComponent(PASSWORD)}@`;

/** A clock whose waits pass at once, and the waits asked for. */
function fastClock() {
  let now = AT;
  const waits: number[] = [];
  return {
    waits,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

describeWithSink('a message the relay takes', () => {
  it('arrives as it was given: envelope, headers, both parts and the attachment', async () => {
    const relay = await sink();
    const outbound = createOutbound({
      policy: defaultPolicy(),
      credentials: credentialsFrom((name) => (name === 'MAINT_SMTP_URL' ? url(relay) : undefined)),
    });
    const sent = await outbound.sendMail(mail());
    await relay.settled();
    expect(sent).toMatchObject({
      messageId: '<announcement.deploy@acme.ops.maint>',
      attempts: 1,
      rejected: [],
    });

    expect(relay.delivered).toHaveLength(1);
    const [delivered] = relay.delivered;
    expect(delivered!.mail_from).toBe('maint@example.com');
    expect(delivered!.tls).toBe(false);
    expect(delivered!.rcpt_tos).toEqual([
      'engineering@example.com',
      'customers@example.com',
      'support@example.com',
    ]);
    const [read] = parseMails(relay.delivered);
    expect(read!.defects).toEqual([]);
    expect(header(read!, 'From')).toBe('Ops maintenance <maint@example.com>');
    expect(header(read!, 'To')).toBe('engineering@example.com, customers@example.com');
    expect(header(read!, 'Cc')).toBe('support@example.com');
    expect(headerValues(read!, 'Bcc')).toEqual([]);
    expect(header(read!, 'Subject')).toBe('📅 Scheduled maintenance: Deploy');
    expect(header(read!, 'Message-ID')).toBe('<announcement.deploy@acme.ops.maint>');
    expect(headerValues(read!, 'In-Reply-To')).toEqual([]);
    expect(header(read!, 'Date')).toBe('Sun, 10 Jan 2027 09:07:00 +0000');
    expect(header(read!, 'Auto-Submitted')).toBe('auto-generated');
    expect(read!.content_type).toBe('multipart/mixed');
    expect(read!.text!.replace(/\r\n/g, '\n')).toBe(mail().text);
    expect(read!.html!.replace(/\r\n/g, '\n').trimEnd()).toBe(mail().html.trimEnd());
    expect(read!.attachments).toEqual([
      {
        filename: 'deploy.ics',
        content_type: 'text/calendar',
        params: { charset: 'utf-8', method: 'PUBLISH', name: 'deploy.ics' },
        content: mail().attachments[0]!.content,
      },
    ]);
  });

  it('threads: In-Reply-To and References as given', async () => {
    const relay = await sink();
    const root = '<announcement.deploy@acme.ops.maint>';
    await createMailer(url(relay)).send(
      mail({ messageId: '<reminder-P1D.deploy@acme.ops.maint>', inReplyTo: root, references: [root] }),
    );
    await relay.settled();
    const [read] = parseMails(relay.delivered);
    expect(header(read!, 'In-Reply-To')).toBe(root);
    expect(header(read!, 'References')).toBe(root);
  });

  it('over STARTTLS, logged in with the URL’s user and password (URL-encoded)', async () => {
    const relay = await sink({ tls: 'starttls', auth: { user: 'maint', password: PASSWORD } });
    await createMailer(url(relay, 'smtp', credentials), { ca: relay.ca! }).send(mail());
    await relay.settled();
    expect(relay.delivered.map((d) => [d.tls, d.user])).toEqual([[true, 'maint']]);
  });

  it('over implicit TLS (smtps://)', async () => {
    const relay = await sink({ tls: 'implicit', auth: { user: 'maint', password: PASSWORD } });
    await createMailer(url(relay, 'smtps', credentials), { ca: relay.ca! }).send(mail());
    await relay.settled();
    expect(relay.delivered.map((d) => [d.tls, d.user])).toEqual([[true, 'maint']]);
  });
});

describeWithSink('refused before the message could go wrong', () => {
  it('credentials over smtp:// to a relay that offers no STARTTLS: nothing is sent, the password never shown', async () => {
    const relay = await sink();
    const error = await refusal(createMailer(url(relay, 'smtp', credentials)).send(mail()));
    await relay.settled();
    expect(error.message).toMatch(/STARTTLS/);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
    expect(relay.delivered).toEqual([]);
  });

  it('a certificate nobody vouches for: nothing is sent', async () => {
    const relay = await sink({ tls: 'starttls', auth: { user: 'maint', password: PASSWORD } });
    const error = await refusal(createMailer(url(relay, 'smtp', credentials)).send(mail()));
    await relay.settled();
    expect(error.message).toMatch(/certificate/i);
    expect(relay.delivered).toEqual([]);
  });

  it('a wrong password: a configuration error, tried once, the password not shown', async () => {
    const relay = await sink({ tls: 'starttls', auth: { user: 'maint', password: 'right' } });
    const error = await refusal(
      createMailer(url(relay, 'smtp', `maint:${encodeURIComponent(PASSWORD)}@`), { ca: relay.ca! }).send(
        mail(),
      ),
    );
    await relay.settled();
    expect(error.kind).toBe('configuration');
    expect(error.message).toMatch(/refused the credentials of MAINT_SMTP_URL/);
    expect(error.message).not.toContain(PASSWORD);
    expect(relay.events.filter((e) => e.stage === 'auth')).toHaveLength(1);
    expect(relay.delivered).toEqual([]);
  });

  it.each<[string, Partial<OutboundMail>, RegExp]>([
    ['a subject with a header after CRLF', { subject: 'Deploy\r\nBcc: evil@evil.example' }, /subject/],
    ['a subject with a bare LF', { subject: 'Deploy\nX-Evil: 1' }, /subject/],
    [
      'a recipient with a header after CRLF',
      { to: ['ops@example.com\r\nBcc: evil@evil.example'] },
      /not an e-mail/,
    ],
    ['a recipient that is a list', { cc: ['a@example.com, evil@evil.example'] }, /not an e-mail/],
    [
      'a sender name with CRLF',
      { from: { name: 'Ops\r\nBcc: evil@evil.example', address: 'maint@example.com' } },
      /name/,
    ],
    [
      'a sender name that closes the address',
      { from: { name: 'x" <evil@evil.example>', address: 'maint@example.com' } },
      /name/,
    ],
    ['a Message-ID with CRLF', { messageId: '<a@b>\r\nBcc: evil@evil.example' }, /Message-ID/],
    ['no recipient', { to: [], cc: [] }, /no recipient/],
    [
      'an attachment name with a quote',
      { attachments: [{ ...mail().attachments[0]!, filename: 'a".ics' }] },
      /attachment/,
    ],
  ])('%s: refused, nothing reaches the relay', async (_name, overrides, why) => {
    const relay = await sink();
    const error = await refusal(createMailer(url(relay)).send(mail(overrides)));
    await relay.settled();
    expect(error.kind).toBe('configuration');
    expect(error.message).toMatch(why);
    expect(relay.events.filter((e) => e.event !== 'ready')).toEqual([]);
    expect(relay.delivered).toEqual([]);
  });

  it('subjectLine puts any title on one header line; such subjects arrive as one Subject and nothing more', async () => {
    const relay = await sink();
    const mailer = createMailer(url(relay));
    const titles = fc.sample(
      fc.string({
        unit: fc.constantFrom(
          'a',
          ' ',
          '\r',
          '\n',
          '\t',
          '\u0000',
          '\u2028',
          'Bcc: x@evil.example',
          'é',
          '=?',
        ),
        maxLength: 12,
      }),
      { numRuns: 25, seed: 14 },
    );
    for (const title of titles) {
      const subject = subjectLine(`Maintenance: ${title}`);
      expect(mailProblem(mail({ subject }))).toBeUndefined();
      await mailer.send(mail({ subject }));
    }
    await relay.settled();
    const read = parseMails(relay.delivered);
    read.forEach((message, i) => {
      expect(headerValues(message, 'Subject')).toEqual([subjectLine(`Maintenance: ${titles[i]}`)]);
      expect(headerValues(message, 'Bcc')).toEqual([]);
      expect(message.defects).toEqual([]);
    });
    for (const delivered of relay.delivered)
      expect(delivered.rcpt_tos).toEqual([
        'engineering@example.com',
        'customers@example.com',
        'support@example.com',
      ]);
  });
});

describeWithSink('tried again only when the relay cannot have the message', () => {
  const retrying = (relay: Sink, extra: Partial<MailOptions> = {}) => {
    const { clock, waits } = fastClock();
    return { mailer: createMailer(url(relay), { clock, random: () => 0.5, ...extra }), waits };
  };

  it('a 451 to a recipient: tried again, delivered once', async () => {
    const relay = await sink({ faults: ['rcpt:451'] });
    const { mailer, waits } = retrying(relay);
    const sent = await mailer.send(mail({ to: ['engineering@example.com'], cc: [] }));
    await relay.settled();
    expect(sent.attempts).toBe(2);
    expect(waits).toHaveLength(1);
    expect(relay.delivered).toHaveLength(1);
  });

  it('a 451 to the message itself (RFC 5321: not accepted): tried again, delivered once', async () => {
    const relay = await sink({ faults: ['data:451'] });
    const { mailer } = retrying(relay);
    expect((await mailer.send(mail())).attempts).toBe(2);
    await relay.settled();
    expect(relay.events.filter((e) => e.event === 'refused').map((e) => e.stage)).toEqual(['data']);
    expect(relay.delivered).toHaveLength(1);
  });

  it('a 550: refused for good, not tried again', async () => {
    const relay = await sink({ faults: ['rcpt:550'] });
    const { mailer, waits } = retrying(relay);
    const error = await refusal(mailer.send(mail({ to: ['nobody@example.com'], cc: [] })));
    expect(error).toMatchObject({ kind: 'refused', attempts: 1 });
    expect(error.message).toMatch(/550/);
    expect(waits).toEqual([]);
  });

  it('no answer once the message was sent: not tried again, so it is delivered once, not twice', async () => {
    const relay = await sink({ faults: ['data:hang'] });
    const { mailer, waits } = retrying(relay, { timeouts: { socketMs: 1000 } });
    const error = await refusal(mailer.send(mail()));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/not retried, as the relay may have taken the message/);
    expect(waits).toEqual([]);
    await relay.settled();
    expect(relay.delivered).toHaveLength(1);
  });

  it('no connection at all: tried three times, then a network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { clock, waits } = fastClock();
    const error = await refusal(
      createMailer(`smtp://127.0.0.1:${port}`, { clock, random: () => 0.5 }).send(mail()),
    );
    expect(error).toMatchObject({ kind: 'network', attempts: 3 });
    expect(waits).toHaveLength(2);
  });
});

describe('which failures are tried again', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, true],
    ['no DNS answer', { code: 'EDNS', originalCode: 'ENOTFOUND' }, true],
    ['connect timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT', command: 'CONN' }, true],
    ['no greeting', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' }, true],
    ['STARTTLS timed out', { code: 'ETIMEDOUT', timeoutType: 'UPGRADE_TIMEOUT', command: 'CONN' }, true],
    ['451 to MAIL FROM', { code: 'EENVELOPE', responseCode: 451, command: 'MAIL FROM' }, true],
    ['452 to RCPT TO', { code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }, true],
    ['451 after the data', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, true],
    ['550 to RCPT TO', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, false],
    ['554 after the data', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, false],
    [
      'socket timeout (maybe mid-message)',
      { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' },
      false,
    ],
    ['connection closed (maybe after the data)', { code: 'ECONNECTION', command: 'CONN' }, false],
    ['connection reset', { code: 'ESOCKET', originalCode: 'ECONNRESET' }, false],
    ['login refused', { code: 'EAUTH', responseCode: 535 }, false],
    ['the attempt’s own deadline', { code: 'EABORT' }, false],
  ])('%s: retried %s', (_name, error, expected) => {
    expect(mailRetryable(error)).toBe(expected);
  });
});

describe('MAINT_SMTP_URL', () => {
  it('no MAINT_SMTP_URL: a configuration error naming the secret', async () => {
    const error = await refusal(createMailer(undefined).send(mail()));
    expect(error).toMatchObject({ service: 'email', operation: 'send', kind: 'configuration' });
    expect(error.message).toMatch(/the secret MAINT_SMTP_URL is not set/);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'smtps://maint:secret@smtp.example.com',
      { host: 'smtp.example.com', port: 465, secure: true, auth: { user: 'maint', pass: 'secret' } },
    ],
    [
      'smtp://maint:s%40c%3Aret@smtp.example.com',
      { port: 587, secure: false, requireTLS: true, auth: { user: 'maint', pass: 's@c:ret' } },
    ],
    ['smtp://relay.internal:25', { host: 'relay.internal', port: 25, secure: false }],
    ['smtp://[::1]:2525', { host: '::1', port: 2525 }],
  ])('%s', (text, expected) => {
    const parsed = smtpConnection(text);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.connection).toMatchObject(expected);
    if (parsed.ok && !parsed.connection.auth) expect(parsed.connection.requireTLS).toBeUndefined();
  });

  it.each([
    ['https://maint:secret@smtp.example.com', /must start with smtps:\/\/ or smtp:\/\//],
    ['smtp://maint:secret@smtp.example.com/?tls.rejectUnauthorized=false', /takes no path or query/],
    ['maint:secret@smtp.example.com', /must start with smtps/],
    ['not a url secret', /is not a URL/],
    ['smtp://maint:%E0%A4%A@smtp.example.com', /not URL-encoded/],
  ])('%s is refused without being shown', (text, why) => {
    const parsed = smtpConnection(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(why);
    expect(!parsed.ok && parsed.reason).not.toContain('secret');
  });
});
